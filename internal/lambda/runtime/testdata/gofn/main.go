// Command gofn is a provided.al2023 test function built with aws-lambda-go. Its behaviour is
// chosen by the event's "action":
//
//	echo (default)  answer {"event": <event>, "env": <environment>, "context": {...}}
//	print           print the event's "lines" to stdout, then echo
//	error           return an error (errorType errorString)
//	panic           panic
//	exit            exit with status 1 without answering
//	sleep           sleep "ms" milliseconds, then echo
//	big             answer a string of "size" bytes
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

type event struct {
	Action string   `json:"action"`
	Lines  []string `json:"lines"`
	MS     int      `json:"ms"`
	Size   int      `json:"size"`
}

var coldStarts int

func init() {
	coldStarts++
	fmt.Println("init: cold start")
}

func handle(ctx context.Context, raw json.RawMessage) (any, error) {
	var ev event
	_ = json.Unmarshal(raw, &ev)
	lc, _ := lambdacontext.FromContext(ctx)
	deadline, _ := ctx.Deadline()
	switch ev.Action {
	case "print":
		for _, l := range ev.Lines {
			fmt.Println(l)
		}
	case "error":
		return nil, errors.New("something went wrong")
	case "panic":
		panic("boom")
	case "exit":
		fmt.Println("exiting")
		os.Exit(1)
	case "sleep":
		time.Sleep(time.Duration(ev.MS) * time.Millisecond)
	case "big":
		return strings.Repeat("x", ev.Size), nil
	}
	env := map[string]string{}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	return map[string]any{
		"event": raw,
		"env":   env,
		"pid":   os.Getpid(),
		"context": map[string]any{
			"requestId":   lc.AwsRequestID,
			"functionArn": lc.InvokedFunctionArn,
			"deadlineMs":  deadline.UnixMilli(),
			"identity":    lc.Identity,
			"client":      lc.ClientContext,
		},
	}, nil
}

func main() { lambda.Start(handle) }
