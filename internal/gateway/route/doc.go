// Package route owns HTTP API route keys and request routing for the API Gateway data plane:
// parsing and validating route keys as CreateRoute and UpdateRoute do (Parse, Key), compiling a
// deployment's routes into an immutable table and selecting the route for a request with AWS's
// priorities (NewTable, Table.Match), selecting the stage that serves a request path
// (SelectStage), and selecting the API mapping of a custom domain name that serves it
// (NewMappings, Mappings.Select). It is pure: no I/O, no net/http, no storage.
//
// # Route keys
//
// A route key is "$default" or "METHOD /path": METHOD is ANY, GET, POST, PUT, PATCH, DELETE,
// HEAD or OPTIONS; the path is "/" or non-empty parts, each a literal, a {name} variable or, as
// the last part only, a greedy {name+} variable. Parse errors are *awserr.Error values of type
// BadRequestException:
//
//   - "Route key is required" for "". Quoted from a real CreateRoute failure in
//     goldstack/goldstack#42.
//   - MsgRouteKeyFormat, `The provided route key is not formatted properly for HTTP protocol.
//     Format should be "<HTTP METHOD> /<RESOURCE PATH>" or "$default"`, for a bad method, a
//     missing space or a path without a leading "/". Quoted in CloudFormation and Terraform
//     failures (several public repositories; some render the brackets as [ ]).
//   - MsgPathParts, "One or more path parts appear to be invalid. Parts are validated against
//     this regular expression: ^(\{[\w.:-]+\+?\}|[a-zA-Z0-9.:_-]+)$", for an empty part (a
//     trailing or doubled slash) or a part outside that expression. The first sentence is
//     reported for HTTP API routes by users; the full text and expression are those of AWS's
//     Lambda test tool (aws/aws-lambda-dotnet, ApiGatewayRouteConfigService.cs), whose reviewer
//     called it "the regex that aws uses" (aws/aws-lambda-dotnet#1911).
//   - MsgGreedyNotLast for a greedy variable that is not last, and "Path variable names must be
//     unique within a route key: <name> is used more than once". Not confirmed: the developer
//     guide says only that "the greedy path variable must be at the end of the resource path".
//
// # Matching
//
// From https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html:
// API Gateway selects "the route with the most-specific match": (1) a full match of route and
// method, (2) a route and method with a greedy path variable, (3) $default; otherwise 404
// {"message":"Not Found"}. "ANY" matches every method the resource has no route for. With
// routes GET /pets/dog/1, GET /pets/dog/{id}, GET /pets/{proxy+}, ANY /{proxy+} and $default,
// GET /pets/dog/1 selects the first, GET /pets/dog/2 the second, GET /pets/cat/1 the third and
// POST /test/5 the fourth. The same page says API Gateway "decodes URL-encoded request
// parameters before passing them to your backend integration"; real HTTP API events (payload
// 2.0) carry decoded pathParameters ("Summer Sale 2023" for Summer%20Sale%202023, in a snapshot
// recorded from AWS in aws/aws-lambda-dotnet's LambdaTestTool-v2 tests).
//
// Observed rather than documented, and implemented here:
//
//   - One trailing slash does not matter: /pets/ selects GET /pets (HTTP API and REST API,
//     aws-powertools/powertools-lambda-python#1552; the 2026 "trailing slash authorizer bypass"
//     report on HTTP APIs). Route keys themselves cannot end in "/".
//   - A {name} variable does not match an empty segment (aws/chalice#588, REST API).
//   - Two routes may not use different variable names at the same position of the path:
//     renaming GET /products/{id} to {productId} fails with a ConflictException that "has a
//     conflicting variable on the same hierarchical level". NewTable refuses such tables with
//     that wording; its full sentence, the duplicate-key message and the rule's reach across
//     methods are not confirmed.
//
// Choices where nothing authoritative was found (documented on Table.Match): a greedy variable
// needs a non-empty remainder (/pets/{proxy+} does not match /pets or /pets/; /{proxy+} does
// not match /), greedy and {name} siblings may coexist, segments are decoded one by one so %2F
// stays inside a parameter, HEAD is not served by GET routes, paths and methods are
// case-sensitive, and ties between routes of the same class go to the more specific segment
// from the left.
//
// # Stages
//
// "If the request explicitly matches a stage, API Gateway sends the request to that stage. If
// no stage fully matches the request, API Gateway sends the request to the $default stage. If
// there's no $default stage, then the API returns {"message":"Not Found"}" (same page). A named
// stage is served under /<stage>/ and its name stays in the rawPath of the integration event;
// the $default stage is served at the root (aws-powertools/powertools-lambda-python#621).
// SelectStage treats "/dev" like "/dev/" (an assumption).
//
// # Custom domain names
//
// A request to a custom domain name goes to the API mapping whose key is the longest
// whole-level prefix of its path, else to the mapping of the empty key, else 404; the mapped
// stage serves the rest of the path, with no stage segment
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-mappings.html). See
// Mappings for the details.
package route
