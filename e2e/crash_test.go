package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// buildBinary compiles cmd/gatehouse once per test binary, statically (CGO_ENABLED=0).
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "gatehouse-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "gatehouse")
	cmd := exec.Command("go", "build", "-o", bin, "../cmd/gatehouse")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startBinary runs the gatehouse binary on dataDir and waits until it is healthy.
func startBinary(t *testing.T, bin, dataDir, addr string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data", dataDir, "--listen", addr, "--log-level", "warn")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/_gatehouse/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return cmd
			}
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("gatehouse did not become healthy: %v", err)
		}
		time.Sleep(10 * time.Millisecond) // polling a separate process's readiness, not a timing assertion
	}
}

func cliClient(url string) *cip.Client {
	return cip.New(cip.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		Retryer:     retry.AddWithMaxAttempts(retry.NewStandard(), 1),
	})
}

// TestCrashDurability kills the server with SIGKILL in the middle of a stream of
// AdminCreateUser calls, restarts it on the same data directory, and checks that every call
// that was answered 200 created a user that is still there.
func TestCrashDurability(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	dataDir := t.TempDir()
	addr := freeAddr(t)
	cmd := startBinary(t, bin, dataDir, addr)
	c := cliClient("http://" + addr)
	ctx := context.Background()
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("crash")})
	if err != nil {
		cmd.Process.Kill()
		t.Fatal(err)
	}
	pid := pool.UserPool.Id

	const workers, killAfter = 4, 150
	var (
		mu    sync.Mutex
		acked []string
		n     atomic.Int64
		wg    sync.WaitGroup
	)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				name := fmt.Sprintf("user-%d-%d", w, i)
				_, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pid, Username: aws.String(name),
					MessageAction: types.MessageActionTypeSuppress})
				if err != nil {
					return // the server is gone
				}
				mu.Lock()
				acked = append(acked, name)
				mu.Unlock()
				if n.Add(1) == killAfter {
					_ = cmd.Process.Kill() // SIGKILL: no shutdown, no flush
				}
			}
		}()
	}
	wg.Wait()
	_ = cmd.Wait()
	if len(acked) < killAfter {
		t.Fatalf("only %d calls succeeded before the kill", len(acked))
	}

	cmd = startBinary(t, bin, dataDir, addr)
	defer func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }()
	for _, name := range acked {
		if _, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pid, Username: aws.String(name)}); err != nil {
			t.Errorf("user %s was acknowledged before the crash but is missing: %v", name, err)
		}
	}
	t.Logf("%d acknowledged users all survived SIGKILL", len(acked))
}

// TestGracefulShutdown checks that SIGTERM stops the server cleanly (exit status 0) and that
// the data written before it is there after a restart.
func TestGracefulShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	dataDir, addr := t.TempDir(), freeAddr(t)
	cmd := startBinary(t, bin, dataDir, addr)
	c := cliClient("http://" + addr)
	pool, err := c.CreateUserPool(context.Background(), &cip.CreateUserPoolInput{PoolName: aws.String("graceful")})
	if err != nil {
		cmd.Process.Kill()
		t.Fatal(err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
	cmd = startBinary(t, bin, dataDir, addr)
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	if _, err := c.DescribeUserPool(context.Background(), &cip.DescribeUserPoolInput{UserPoolId: pool.UserPool.Id}); err != nil {
		t.Fatalf("pool lost across restart: %v", err)
	}
}
