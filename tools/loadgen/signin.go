package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/gatehouse-dev/gatehouse/internal/cognito/srp"
	"github.com/gatehouse-dev/gatehouse/internal/cognito/srp/srpclient"
)

// userPassword is the permanent password of every user loadgen creates.
const userPassword = "Loadgen-Passw0rd!"

// pool is the user pool, app client and users a run signs in.
type pool struct {
	// ID and ClientID are the user pool's and the app client's ids.
	ID, ClientID string
	// Users are the names of the confirmed users, all with userPassword.
	Users []string
}

// userName returns the name of the i-th user.
func userName(i int) string { return fmt.Sprintf("user%05d", i) }

// createPool creates a pool, an app client allowing the password, SRP and refresh flows, and n
// confirmed users with userPassword (AdminCreateUser, then AdminSetUserPassword Permanent),
// from up to workers goroutines.
func createPool(ctx context.Context, c *cip.Client, n, workers int, progress io.Writer) (*pool, error) {
	name := fmt.Sprintf("loadgen-%d", time.Now().UnixNano())
	p, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String(name)})
	if err != nil {
		return nil, fmt.Errorf("create user pool: %w", err)
	}
	pl := &pool{ID: aws.ToString(p.UserPool.Id)}
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &pl.ID, ClientName: aws.String("loadgen"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
			types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		return pl, fmt.Errorf("create user pool client: %w", err)
	}
	pl.ClientID = aws.ToString(cl.UserPoolClient.ClientId)

	start := time.Now()
	next := atomic.Int64{}
	var (
		mu       sync.Mutex
		firstErr error
	)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				if err := createUser(ctx, c, pl.ID, userName(i)); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	if firstErr != nil {
		return pl, firstErr
	}
	for i := range n {
		pl.Users = append(pl.Users, userName(i))
	}
	fmt.Fprintf(progress, "created pool %s, client %s and %d users in %.1fs\n", pl.ID, pl.ClientID, n, time.Since(start).Seconds())
	return pl, nil
}

// createUser creates a confirmed user with userPassword.
func createUser(ctx context.Context, c *cip.Client, poolID, name string) error {
	_, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: &name,
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(name + "@example.com")},
			{Name: aws.String("email_verified"), Value: aws.String("true")}},
		MessageAction: types.MessageActionTypeSuppress})
	if err != nil {
		return fmt.Errorf("create user %s: %w", name, err)
	}
	_, err = c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &poolID, Username: &name,
		Password: aws.String(userPassword), Permanent: true})
	if err != nil {
		return fmt.Errorf("set password of %s: %w", name, err)
	}
	return nil
}

// signer signs users of a pool in with one flow.
type signer struct {
	c    *cip.Client
	pool *pool
	flow string
	next atomic.Uint64
}

// signIn signs the next user in (round-robin over the pool's users) and checks that tokens
// came back.
func (s *signer) signIn(ctx context.Context, _ int) error {
	user := s.pool.Users[int(s.next.Add(1)%uint64(len(s.pool.Users)))]
	var res *types.AuthenticationResultType
	var err error
	if s.flow == FlowSRP {
		res, err = s.srp(ctx, user)
	} else {
		res, err = s.password(ctx, user)
	}
	if err != nil {
		return err
	}
	if res == nil || aws.ToString(res.IdToken) == "" || aws.ToString(res.AccessToken) == "" || aws.ToString(res.RefreshToken) == "" {
		return newKindError("no tokens", "sign-in of %s returned no ID, access or refresh token", user)
	}
	return nil
}

// password is a USER_PASSWORD_AUTH sign-in.
func (s *signer) password(ctx context.Context, user string) (*types.AuthenticationResultType, error) {
	out, err := s.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &s.pool.ClientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": userPassword}})
	if err != nil {
		return nil, err
	}
	if out.ChallengeName != "" {
		return nil, newKindError("unexpected challenge", "USER_PASSWORD_AUTH of %s answered with challenge %s", user, out.ChallengeName)
	}
	return out.AuthenticationResult, nil
}

// srp is a USER_SRP_AUTH sign-in as amazon-cognito-identity-js does it: InitiateAuth with
// SRP_A, then RespondToAuthChallenge PASSWORD_VERIFIER with the claim signature.
func (s *signer) srp(ctx context.Context, user string) (*types.AuthenticationResultType, error) {
	c, err := srpclient.New(rand.Reader)
	if err != nil {
		return nil, err
	}
	out, err := s.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &s.pool.ClientID, AuthFlow: types.AuthFlowTypeUserSrpAuth,
		AuthParameters: map[string]string{"USERNAME": user, "SRP_A": c.A()}})
	if err != nil {
		return nil, err
	}
	if out.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		return nil, newKindError("unexpected challenge", "USER_SRP_AUTH of %s answered with challenge %q", user, out.ChallengeName)
	}
	p := out.ChallengeParameters
	block := p["SECRET_BLOCK"]
	raw, err := base64.StdEncoding.DecodeString(block)
	if err != nil {
		return nil, newKindError("bad challenge", "SECRET_BLOCK is not base64: %v", err)
	}
	ts := time.Now().UTC().Format(srp.TimestampLayout)
	sig, err := c.Claim(srp.PoolName(s.pool.ID), p["USER_ID_FOR_SRP"], userPassword, p["SALT"], p["SRP_B"], raw, ts)
	if err != nil {
		return nil, newKindError("bad challenge", "SRP claim: %v", err)
	}
	res, err := s.c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: &s.pool.ClientID,
		ChallengeName: types.ChallengeNameTypePasswordVerifier, ChallengeResponses: map[string]string{
			"USERNAME": p["USERNAME"], "PASSWORD_CLAIM_SECRET_BLOCK": block, "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": ts}})
	if err != nil {
		return nil, err
	}
	if res.ChallengeName != "" {
		return nil, newKindError("unexpected challenge", "PASSWORD_VERIFIER of %s answered with challenge %s", user, res.ChallengeName)
	}
	return res.AuthenticationResult, nil
}

// report is the outcome of a signin run.
type report struct {
	// Flow is FlowPassword or FlowSRP; Storage names the server's storage.
	Flow, Storage string
	// Concurrency, Users and Duration are the run's settings.
	Concurrency, Users int
	Duration           time.Duration
	// Result is what was measured. Its CPU time is the whole process's: in-process it covers
	// server and client, with -url the client only.
	Result *phase
	// InProcess tells whether the server ran in this process.
	InProcess bool
	// Baseline is the CPU baseline, when asked for.
	Baseline *phase
	// Started is when the measurement started.
	Started time.Time
}

// runSignin runs the signin command.
func runSignin(ctx context.Context, c *signinConfig, stdout, stderr io.Writer) (err error) {
	t, err := openTarget(ctx, c, stderr)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, t.Close()) }()
	fmt.Fprintf(stderr, "gatehouse at %s (storage %s); GOMAXPROCS %d\n", t.URL, t.Storage, runtime.GOMAXPROCS(0))

	client, tr := newClient(t.URL, c.Region, c.Concurrency)
	defer tr.CloseIdleConnections()
	pl, err := createPool(ctx, client, c.Users, min(c.Concurrency, 2*runtime.GOMAXPROCS(0)), stderr)
	if pl != nil && c.URL != "" {
		// A server that outlives the run keeps nothing of it.
		defer func() {
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			defer cancel()
			if _, derr := client.DeleteUserPool(dctx, &cip.DeleteUserPoolInput{UserPoolId: &pl.ID}); derr != nil {
				err = errors.Join(err, fmt.Errorf("delete user pool %s: %w", pl.ID, derr))
			}
		}()
	}
	if err != nil {
		return err
	}

	s := &signer{c: client, pool: pl, flow: c.Flow}
	// One sign-in first: it creates the pool's signing keys, which is not what is measured.
	if err := s.signIn(ctx, 0); err != nil {
		return fmt.Errorf("first sign-in: %w", err)
	}
	if c.Warmup > 0 {
		fmt.Fprintf(stderr, "warming up for %s\n", c.Warmup)
		w := drive(ctx, c.Concurrency, c.Warmup, c.Timeout, s.signIn)
		if w.ErrorCount() > 0 {
			fmt.Fprintf(stderr, "warm-up: %d errors (%s)\n", w.ErrorCount(), describeErrors(w))
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}

	r := &report{Flow: c.Flow, Storage: t.Storage, Concurrency: c.Concurrency, Users: c.Users, Duration: c.Duration,
		InProcess: c.URL == ""}
	fmt.Fprintf(stderr, "measuring %s sign-ins for %s with %d workers (load average %s)\n", c.Flow, c.Duration, c.Concurrency, loadAverage())
	stopProfiles, err := startProfiles(c)
	if err != nil {
		return err
	}
	r.Started = time.Now().UTC()
	r.Result = measure(ctx, c.Concurrency, c.Duration, c.Timeout, s.signIn)
	if err := stopProfiles(); err != nil {
		return err
	}
	if c.CPUBaseline && ctx.Err() == nil {
		fmt.Fprintf(stderr, "measuring the CPU baseline (%s) for %s with %d workers\n", baselineName(c.Flow), c.BaselineDuration, c.Concurrency)
		b, err := runBaseline(ctx, c.Flow, c.Concurrency, c.BaselineDuration, c.Timeout)
		if err != nil {
			return err
		}
		r.Baseline = b
	}
	if r.Result.ErrorCount() > 0 {
		fmt.Fprintf(stderr, "errors: %s\n", describeErrors(r.Result))
	}
	if err := r.write(stdout, c.JSON); err != nil {
		return err
	}
	if r.Result.Interrupted {
		return errors.New("interrupted: the figures cover part of the duration")
	}
	if r.Result.OK() == 0 {
		return errors.New("no sign-in succeeded")
	}
	return nil
}

// startProfiles starts the profiles the configuration asks for and returns the function that
// stops them and writes them out.
func startProfiles(c *signinConfig) (stop func() error, err error) {
	var cpuFile *os.File
	if c.CPUProfile != "" {
		if cpuFile, err = os.Create(c.CPUProfile); err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(cpuFile); err != nil {
			cpuFile.Close()
			return nil, err
		}
	}
	if c.BlockProfile != "" {
		runtime.SetBlockProfileRate(int(time.Microsecond))
	}
	return func() error {
		var errs []error
		if cpuFile != nil {
			pprof.StopCPUProfile()
			errs = append(errs, cpuFile.Close())
		}
		if c.BlockProfile != "" {
			runtime.SetBlockProfileRate(0)
			f, err := os.Create(c.BlockProfile)
			if err != nil {
				return errors.Join(append(errs, err)...)
			}
			errs = append(errs, pprof.Lookup("block").WriteTo(f, 0), f.Close())
		}
		return errors.Join(errs...)
	}, nil
}
