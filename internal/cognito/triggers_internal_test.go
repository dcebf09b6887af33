package cognito

import (
	"context"
	"github.com/gatehouse-dev/gatehouse/internal/lambda"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/awserr"
)

// slowInvoker never answers before the invocation's deadline.
type slowInvoker struct{ calls atomic.Int32 }

func (s *slowInvoker) Invoke(ctx context.Context, _ lambda.InvokeInput) (*lambda.InvokeOutput, error) {
	s.calls.Add(1)
	<-ctx.Done()
	return nil, ctx.Err()
}

// A function that does not answer in time is called again, up to three times, then the trigger
// fails as Cognito reports it.
func TestTriggerTimeout(t *testing.T) {
	old := triggerTimeout
	triggerTimeout = 20 * time.Millisecond
	t.Cleanup(func() { triggerTimeout = old })
	inv := &slowInvoker{}
	s := &Service{Region: "us-east-1", AccountID: "123456789012", Lambda: inv}
	p := &UserPool{Id: "us-east-1_abc"}
	_, err := s.invokeTrigger(context.Background(), p, trigPostAuthentication, "arn:aws:lambda:us-east-1:123456789012:function:f",
		s.newEvent(p, "PostAuthentication_Authentication", "u", "c", struct{}{}, emptyResponse{}))
	e, ok := awserr.As(err)
	if !ok || e.Type != ErrUnexpectedLambda || e.Message != "PostAuthentication invocation failed due to error Socket timeout while invoking Lambda function." {
		t.Fatalf("error = %v", err)
	}
	if n := inv.calls.Load(); n != triggerAttempts {
		t.Fatalf("%d calls, want %d", n, triggerAttempts)
	}
	// A caller that gives up is not retried.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.invokeTrigger(ctx, p, trigPostAuthentication, "f", s.newEvent(p, "x", "u", "c", nil, nil)); err != context.Canceled {
		t.Fatalf("cancelled: %v", err)
	}
}
