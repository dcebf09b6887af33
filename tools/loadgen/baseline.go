package main

import (
	"context"
	"crypto/rand"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/cognito/srp"
	"github.com/gatehouse-dev/gatehouse/internal/cognito/srp/srpclient"
)

// baselineName describes what the CPU baseline of a flow measures.
func baselineName(flow string) string {
	if flow == FlowSRP {
		return "SRP math only: client and server exponentiations of one exchange"
	}
	return "password check only: the verifier exponentiation"
}

// baselineLabel is the short name of a flow's CPU baseline in tables.
func baselineLabel(flow string) string {
	if flow == FlowSRP {
		return "srp math only (CPU baseline)"
	}
	return "password check only (CPU baseline)"
}

// runBaseline measures the pure-CPU cost of a flow's cryptography from workers closed-loop
// goroutines for d, with no HTTP and no storage:
//
//   - srp: one exchange is what client and server compute in a USER_SRP_AUTH sign-in: the
//     client's secret a and A = g^a (srpclient.New), the server's B = k·v + g^b
//     (srp.NewServerSession), the client's claim (srpclient.Claim: g^x and S) and the server's
//     check (VerifyClaim: S = (A·v^u)^b). The verifier is computed once, beforehand, as it is
//     when a password is set.
//   - password: one check of a password against its verifier (srp.CheckPassword: g^x), what
//     USER_PASSWORD_AUTH computes besides signing the tokens.
func runBaseline(ctx context.Context, flow string, workers int, d, timeout time.Duration) (*phase, error) {
	o, err := baselineOp(flow)
	if err != nil {
		return nil, err
	}
	return measure(ctx, workers, d, timeout, o), nil
}

// baselineOp returns one unit of a flow's CPU baseline, checked once.
func baselineOp(flow string) (op, error) {
	const poolID = "us-east-1_LoadGen123"
	poolName, user := srp.PoolName(poolID), userName(0)
	salt, err := srp.NewSalt(rand.Reader)
	if err != nil {
		return nil, err
	}
	verifier := srp.Verifier(poolName, user, userPassword, salt)
	saltHex := srp.SaltHex(salt)
	if flow != FlowSRP {
		o := func(context.Context, int) error {
			if !srp.CheckPassword(poolName, user, userPassword, salt, verifier) {
				return newKindError("mismatch", "the password does not match its verifier")
			}
			return nil
		}
		return o, o(context.Background(), 0)
	}
	secretBlock := make([]byte, 64) // the size does not matter: it is only HMACed
	if _, err := rand.Read(secretBlock); err != nil {
		return nil, err
	}
	ts := time.Date(2026, 11, 22, 13, 37, 50, 0, time.UTC).Format(srp.TimestampLayout)
	o := func(context.Context, int) error {
		c, err := srpclient.New(rand.Reader)
		if err != nil {
			return err
		}
		a := c.A()
		if err := srp.ValidateA(a); err != nil {
			return err
		}
		s, err := srp.NewServerSession(rand.Reader, verifier)
		if err != nil {
			return err
		}
		sig, err := c.Claim(poolName, user, userPassword, saltHex, s.B(), secretBlock, ts)
		if err != nil {
			return err
		}
		ok, err := s.VerifyClaim(poolName, user, a, secretBlock, ts, sig)
		if err != nil {
			return err
		}
		if !ok {
			return newKindError("mismatch", "the server rejected the client's claim")
		}
		return nil
	}
	return o, o(context.Background(), 0)
}
