package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	agw "github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	agwtypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/gatehouse-dev/gatehouse/internal/testenv"
)

// TestReplicasShareAPIsAndThrottling runs two servers on one PostgreSQL database and one Redis:
// an API created on one is served by the other, and their throttling spends one budget.
func TestReplicasShareAPIsAndThrottling(t *testing.T) {
	t.Parallel()
	pg, redis, data := testenv.WithPostgres(t), testenv.WithRedis(t), testenv.WithData(t.TempDir())
	a := testenv.Start(t, pg, redis, data)
	b := testenv.Start(t, pg, redis, data)
	e := &gwEnv{t: t, s: a, gw: a.APIGatewayV2(), ctx: testenv.Ctx(t)}
	backend := echoBackend(t)
	api, err := e.gw.CreateApi(e.ctx, &agw.CreateApiInput{Name: aws.String("shared"), ProtocolType: agwtypes.ProtocolTypeHttp,
		Target: aws.String(backend.URL)})
	e.must(err, "quick create on replica a")
	_, err = e.gw.UpdateStage(e.ctx, &agw.UpdateStageInput{ApiId: api.ApiId, StageName: aws.String("$default"),
		DefaultRouteSettings: &agwtypes.RouteSettings{ThrottlingBurstLimit: aws.Int32(4), ThrottlingRateLimit: aws.Float64(0.001)}})
	e.must(err, "throttle the stage")
	ok, throttled := 0, 0
	for i := range 10 {
		s := a
		if i%2 == 1 {
			s = b
		}
		status, _, _ := e.call("GET", s.URL+"/_aws/execute-api/"+aws.ToString(api.ApiId)+"/x", nil)
		switch status {
		case 200:
			ok++
		case 429:
			throttled++
		default:
			t.Fatalf("request %d to replica %d: %d", i, i%2, status)
		}
	}
	if ok != 4 || throttled != 6 {
		t.Errorf("two replicas let %d requests through and throttled %d; want the shared burst of 4", ok, throttled)
	}
}
