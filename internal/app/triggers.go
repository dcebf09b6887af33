package app

import (
	"context"

	"github.com/gatehouse-dev/gatehouse/internal/cognito"
	"github.com/gatehouse-dev/gatehouse/internal/lambda"
)

// cognitoTriggers runs the user pools' Lambda triggers on the Lambda service: cognito.Invoker
// is lambda.Invoker with the user-pool domain's own types, so that the domain does not depend
// on the Lambda service and its runtime host.
type cognitoTriggers struct{ lambda.Invoker }

func (t cognitoTriggers) Invoke(ctx context.Context, in cognito.Invocation) (*cognito.InvocationResult, error) {
	out, err := t.Invoker.Invoke(ctx, lambda.InvokeInput{Function: in.Function, Payload: in.Payload, InvocationType: lambda.RequestResponse,
		Principal: in.Principal, SourceArn: in.SourceArn, SourceAccount: in.SourceAccount})
	if err != nil {
		return nil, err
	}
	return &cognito.InvocationResult{Payload: out.Payload, FunctionError: out.FunctionError}, nil
}
