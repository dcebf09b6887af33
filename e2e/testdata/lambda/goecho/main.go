// Command goecho is a Lambda function built with aws-lambda-go for the end-to-end tests: it
// returns the event it received with the function's name and a variable from its environment.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

func handle(ctx context.Context, event json.RawMessage) (map[string]any, error) {
	var in map[string]any
	_ = json.Unmarshal(event, &in)
	if in["fail"] == true {
		return nil, errors.New("asked to fail")
	}
	lc, _ := lambdacontext.FromContext(ctx)
	return map[string]any{
		"event":     in,
		"function":  lambdacontext.FunctionName,
		"requestId": lc.AwsRequestID,
		"greeting":  os.Getenv("GREETING"),
	}, nil
}

func main() { lambda.Start(handle) }
