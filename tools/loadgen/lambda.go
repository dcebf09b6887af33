package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	agw "github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	agwtypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	lmb "github.com/aws/aws-sdk-go-v2/service/lambda"
	lmbtypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// handlerPackage is the Go handler the lambda command builds, relative to the module root.
const handlerPackage = "./tools/loadgen/testdata/lambdafn"

// lambdaConfig is the configuration of the lambda command.
type lambdaConfig struct {
	httpLoad
	// ColdStarts is how many cold starts to time (0: none).
	ColdStarts int
}

// parseLambdaFlags parses the flags of the lambda command.
func parseLambdaFlags(args []string, stderr io.Writer, getenv func(string) string) (*lambdaConfig, error) {
	c := &lambdaConfig{}
	fs := c.flagSet("lambda", "the path through Gatehouse and the function", stderr)
	fs.IntVar(&c.ColdStarts, "cold", 10, "how many cold starts to time (UpdateFunctionConfiguration, then Invoke)")
	if err := c.parse(fs, args, getenv); err != nil {
		return nil, err
	}
	if c.ColdStarts < 0 {
		return nil, errors.New("-cold must not be negative")
	}
	return c, nil
}

// runLambda measures, in one run, warm requests to the same Go handler served by a plain
// net/http server and reached through a Gatehouse HTTP API route with an AWS_PROXY (payload
// 2.0) integration of a provided.al2023 function, then times cold starts of that function
// through the Lambda API.
func runLambda(ctx context.Context, c *lambdaConfig, stdout, stderr io.Writer) error {
	dir, err := os.MkdirTemp("", "loadgen-lambda-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin, pkg, err := buildHandler(ctx, dir)
	if err != nil {
		return err
	}
	plainURL, stopPlain, err := startPlain(ctx, bin)
	if err != nil {
		return err
	}
	defer stopPlain()

	return c.serve(ctx, stderr, func(t *target) error {
		cfg := sdkConfig()
		lc := lmb.NewFromConfig(cfg, func(o *lmb.Options) { o.BaseEndpoint = aws.String(t.URL) })
		gw := agw.NewFromConfig(cfg, func(o *agw.Options) { o.BaseEndpoint = aws.String(t.URL) })
		apiID, err := setUpFunctionAPI(ctx, lc, gw, pkg)
		if err != nil {
			return err
		}
		if err := c.measureWarm(ctx, t, plainURL, apiID, stdout, stderr); err != nil || c.ColdStarts == 0 {
			return err
		}
		return c.measureCold(ctx, lc, stdout, stderr)
	})
}

// measureWarm measures the plain server at plainURL and the API's route to the function.
func (c *lambdaConfig) measureWarm(ctx context.Context, t *target, plainURL, apiID string, stdout, stderr io.Writer) error {
	client, closeIdle := httpClient(c.Concurrency)
	defer closeIdle()
	paths := []httpPath{
		{"plain net/http, same handler", getOp(client, plainURL+"/fn/items/1", nil), false},
		{"Gatehouse route → Lambda function", getOp(client, t.URL+"/_aws/execute-api/"+apiID+"/fn/items/1", nil), true},
	}
	fmt.Fprint(stdout, httpTableHeader("added p50 / p99"))
	added := func(ps []*phase) string {
		if len(ps) < 2 {
			return "–"
		}
		return signed(ps[1].Percentile(50)-ps[0].Percentile(50)) + " / " + signed(ps[1].Percentile(99)-ps[0].Percentile(99))
	}
	_, err := c.measurePaths(ctx, t.Storage, paths, added, stdout, stderr)
	return err
}

// measureCold times c.ColdStarts cold starts and prints a table of them.
func (c *lambdaConfig) measureCold(ctx context.Context, lc *lmb.Client, stdout, stderr io.Writer) error {
	before := loadAverage()
	fmt.Fprintf(stderr, "timing %d cold starts (load average %s)\n", c.ColdStarts, before)
	cs, err := coldStarts(ctx, lc, c.ColdStarts)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	fmt.Fprintln(stdout, "| cold starts | first Invoke min / median / max | Init Duration min / median / max | next Invoke (warm), median | load avg 1m |")
	fmt.Fprintln(stdout, "|---:|---|---|---:|---|")
	fmt.Fprintf(stdout, "| %d | %s | %s | %s | %s |\n", c.ColdStarts, spread(cs.first), spread(cs.init), ms(median(cs.warm)),
		loadChange(before, loadAverage()))
	return nil
}

// buildHandler builds handlerPackage with CGO_ENABLED=0 into dir/bootstrap (for this machine's
// OS: Gatehouse runs functions as local processes) and returns its path and a provided.al2023
// deployment package holding it.
func buildHandler(ctx context.Context, dir string) (bin string, pkg []byte, err error) {
	gomod, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", nil, fmt.Errorf("go env GOMOD: %w", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	if _, err := os.Stat(filepath.Join(root, handlerPackage)); err != nil {
		return "", nil, fmt.Errorf("run loadgen lambda inside the Gatehouse module (no %s under %s)", handlerPackage, root)
	}
	bin = filepath.Join(dir, "bootstrap")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", bin, handlerPackage)
	cmd.Dir, cmd.Env = root, append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", nil, fmt.Errorf("go build %s: %w\n%s", handlerPackage, err, out)
	}
	code, err := os.ReadFile(bin)
	if err != nil {
		return "", nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	h := &zip.FileHeader{Name: "bootstrap", Method: zip.Deflate}
	h.SetMode(0o755)
	w, err := zw.CreateHeader(h)
	if err == nil {
		_, err = w.Write(code)
	}
	if err = errors.Join(err, zw.Close()); err != nil {
		return "", nil, err
	}
	return bin, buf.Bytes(), nil
}

// startPlain runs the handler binary as a plain HTTP server ($LOADGEN_LISTEN) and returns its
// base URL and a function that stops it.
func startPlain(ctx context.Context, bin string) (string, func(), error) {
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "LOADGEN_LISTEN=127.0.0.1:0")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(out).ReadString('\n')
		line <- strings.TrimSpace(s)
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case u := <-line:
		if !strings.HasPrefix(u, "http://") {
			stop()
			return "", nil, fmt.Errorf("plain handler server: unexpected first line %q", u)
		}
		return u, stop, nil
	case <-time.After(10 * time.Second):
	case <-ctx.Done():
	}
	stop()
	return "", nil, errors.New("plain handler server did not start")
}

// setUpFunctionAPI creates, through the AWS SDK, the function "loadgen-fn" from pkg, an HTTP
// API whose GET /fn/{proxy+} route is an AWS_PROXY integration (payload 2.0) of it, with a
// $default stage that deploys automatically, and lets API Gateway invoke it. It returns the
// API's id.
func setUpFunctionAPI(ctx context.Context, lc *lmb.Client, gw *agw.Client, pkg []byte) (string, error) {
	fn, err := lc.CreateFunction(ctx, &lmb.CreateFunctionInput{FunctionName: aws.String(coldFunction),
		Runtime: lmbtypes.RuntimeProvidedal2023, Handler: aws.String("bootstrap"),
		Role: aws.String("arn:aws:iam::000000000000:role/loadgen"), Code: &lmbtypes.FunctionCode{ZipFile: pkg}})
	if err != nil {
		return "", fmt.Errorf("create function: %w", err)
	}
	if _, err := lc.AddPermission(ctx, &lmb.AddPermissionInput{FunctionName: aws.String(coldFunction), StatementId: aws.String("apigateway"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("apigateway.amazonaws.com")}); err != nil {
		return "", fmt.Errorf("add permission: %w", err)
	}
	api, err := gw.CreateApi(ctx, &agw.CreateApiInput{Name: aws.String("loadgen-lambda"), ProtocolType: agwtypes.ProtocolTypeHttp})
	if err != nil {
		return "", err
	}
	integ, err := gw.CreateIntegration(ctx, &agw.CreateIntegrationInput{ApiId: api.ApiId, IntegrationType: agwtypes.IntegrationTypeAwsProxy,
		IntegrationUri: fn.FunctionArn, PayloadFormatVersion: aws.String("2.0")})
	if err != nil {
		return "", err
	}
	if _, err := gw.CreateRoute(ctx, &agw.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("GET /fn/{proxy+}"),
		Target: aws.String("integrations/" + aws.ToString(integ.IntegrationId))}); err != nil {
		return "", err
	}
	if _, err := gw.CreateStage(ctx, &agw.CreateStageInput{ApiId: api.ApiId, StageName: aws.String("$default"), AutoDeploy: aws.Bool(true)}); err != nil {
		return "", err
	}
	return aws.ToString(api.ApiId), nil
}

// coldFunction is the function the lambda command creates.
const coldFunction = "loadgen-fn"

// coldEvent is the payload of the timed invocations: a payload format 2.0 GET.
const coldEvent = `{"version":"2.0","routeKey":"$default","rawPath":"/cold","rawQueryString":"","headers":{"user-agent":"loadgen"},` +
	`"requestContext":{"stage":"$default","http":{"method":"GET","path":"/cold","protocol":"HTTP/1.1","sourceIp":"127.0.0.1"}},"isBase64Encoded":false}`

// initDuration finds Lambda's Init Duration in a REPORT log line.
var initDuration = regexp.MustCompile(`Init Duration: ([0-9.]+) ms`)

// coldTimes are the timings of the cold starts.
type coldTimes struct {
	// first is each cold Invoke as the SDK client saw it, init the Init Duration its REPORT
	// line gave, warm the Invoke right after it.
	first, init, warm []time.Duration
}

// coldStarts n times changes the function's configuration (a new environment variable, which
// retires its instances) and times the next Invoke (LogType Tail, for the REPORT line) and the
// one after it.
func coldStarts(ctx context.Context, lc *lmb.Client, n int) (*coldTimes, error) {
	var cs coldTimes
	invoke := func() (time.Duration, *lmb.InvokeOutput, error) {
		t0 := time.Now()
		out, err := lc.Invoke(ctx, &lmb.InvokeInput{FunctionName: aws.String(coldFunction), Payload: []byte(coldEvent),
			LogType: lmbtypes.LogTypeTail})
		d := time.Since(t0)
		if err == nil && out.FunctionError != nil {
			err = fmt.Errorf("function error %s: %s", aws.ToString(out.FunctionError), out.Payload)
		}
		return d, out, err
	}
	for i := range n {
		if _, err := lc.UpdateFunctionConfiguration(ctx, &lmb.UpdateFunctionConfigurationInput{FunctionName: aws.String(coldFunction),
			Environment: &lmbtypes.Environment{Variables: map[string]string{"LOADGEN_COLD": strconv.Itoa(i)}}}); err != nil {
			return nil, fmt.Errorf("update function configuration: %w", err)
		}
		d, out, err := invoke()
		if err != nil {
			return nil, fmt.Errorf("cold invoke: %w", err)
		}
		tail, _ := base64.StdEncoding.DecodeString(aws.ToString(out.LogResult))
		m := initDuration.FindSubmatch(tail)
		if m == nil {
			return nil, fmt.Errorf("cold invoke %d: no Init Duration in the log tail:\n%s", i, tail)
		}
		f, _ := strconv.ParseFloat(string(m[1]), 64)
		cs.first, cs.init = append(cs.first, d), append(cs.init, time.Duration(f*float64(time.Millisecond)))
		w, _, err := invoke()
		if err != nil {
			return nil, fmt.Errorf("warm invoke: %w", err)
		}
		cs.warm = append(cs.warm, w)
	}
	return &cs, nil
}

// median returns the middle of ds (the lower of the two middles), 0 for none.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(ds))
	return s[(len(s)-1)/2]
}

// spread formats min / median / max of ds.
func spread(ds []time.Duration) string {
	if len(ds) == 0 {
		return "–"
	}
	return ms(slices.Min(ds)) + " / " + ms(median(ds)) + " / " + ms(slices.Max(ds))
}

// signed formats a difference of durations with its sign: "+0.41 ms", "-0.20 ms".
func signed(d time.Duration) string {
	if d < 0 {
		return "-" + ms(-d)
	}
	return "+" + ms(d)
}
