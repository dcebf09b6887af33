// The tutorial's whole path with the Node SDKs: a user pool and app client
// (@aws-sdk/client-cognito-identity-provider), a Node.js function created and invoked
// (@aws-sdk/client-lambda), an HTTP API whose route has a JWT authorizer for the pool and the
// function as its integration (@aws-sdk/client-apigatewayv2), a sign-in with
// amazon-cognito-identity-js (SRP), then fetch: 401 without a token, and with the access token
// the function answers with the caller's claims.
//
// Run by e2e/node_test.go, which sets GATEHOUSE_ENDPOINT and GATEHOUSE_FUNCTION_ZIP (a package
// whose index.handler returns requestContext.authorizer.jwt.claims).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { CreateFunctionCommand, InvokeCommand, LambdaClient, ResourceConflictException } from "@aws-sdk/client-lambda";
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
} from "@aws-sdk/client-apigatewayv2";
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";

import { endpoint, idp } from "./env.mjs";

const config = {
  region: "us-east-1",
  endpoint,
  credentials: { accessKeyId: "AKIDNODETEST", secretAccessKey: "node-test-secret" },
  maxAttempts: 1,
};
const lambda = new LambdaClient(config);
const gw = new ApiGatewayV2Client(config);

function signIn(pool, username, password) {
  const user = new CognitoUser({ Username: username, Pool: pool });
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: resolve,
      onFailure: reject,
    });
  });
}

describe("Lambda behind a JWT-protected HTTP API route, with the Node SDKs", () => {
  it("creates, invokes and serves the function with the caller's claims", async () => {
    const zip = readFileSync(process.env.GATEHOUSE_FUNCTION_ZIP);
    const fn = await lambda.send(new CreateFunctionCommand({
      FunctionName: "claims", Runtime: "nodejs20.x", Handler: "index.handler",
      Role: "arn:aws:iam::000000000000:role/lambda", Code: { ZipFile: zip },
    }));
    assert.equal(fn.FunctionArn, "arn:aws:lambda:us-east-1:000000000000:function:claims");
    await assert.rejects(lambda.send(new CreateFunctionCommand({
      FunctionName: "claims", Runtime: "nodejs20.x", Handler: "index.handler",
      Role: "arn:aws:iam::000000000000:role/lambda", Code: { ZipFile: zip },
    })), ResourceConflictException);

    const inv = await lambda.send(new InvokeCommand({ FunctionName: "claims", Payload: Buffer.from(JSON.stringify({ direct: true })) }));
    assert.equal(inv.StatusCode, 200);
    assert.equal(inv.FunctionError, undefined);
    assert.deepEqual(JSON.parse(Buffer.from(inv.Payload).toString()), { statusCode: 200, body: "{}" });

    const poolId = (await idp.send(new CreateUserPoolCommand({ PoolName: "node-lambda" }))).UserPool.Id;
    const clientId = (await idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "web" }))).UserPoolClient.ClientId;
    await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: "carol", MessageAction: "SUPPRESS" }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: "carol", Password: "Passw0rd!", Permanent: true }));

    const api = await gw.send(new CreateApiCommand({ Name: "claims-api", ProtocolType: "HTTP" }));
    const authz = await gw.send(new CreateAuthorizerCommand({
      ApiId: api.ApiId, Name: "cognito", AuthorizerType: "JWT", IdentitySource: ["$request.header.Authorization"],
      JwtConfiguration: { Issuer: `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`, Audience: [clientId] },
    }));
    const integ = await gw.send(new CreateIntegrationCommand({
      ApiId: api.ApiId, IntegrationType: "AWS_PROXY", IntegrationUri: fn.FunctionArn, PayloadFormatVersion: "2.0",
    }));
    await gw.send(new CreateRouteCommand({
      ApiId: api.ApiId, RouteKey: "GET /me", AuthorizationType: "JWT", AuthorizerId: authz.AuthorizerId,
      Target: `integrations/${integ.IntegrationId}`,
    }));
    await gw.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: "$default", AutoDeploy: true }));

    const url = `${endpoint}/_aws/execute-api/${api.ApiId}/me`;
    const denied = await fetch(url);
    assert.equal(denied.status, 401);
    assert.deepEqual(await denied.json(), { message: "Unauthorized" });

    const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint });
    const session = await signIn(pool, "carol", "Passw0rd!");
    const res = await fetch(url, { headers: { Authorization: session.getAccessToken().getJwtToken() } });
    assert.equal(res.status, 200);
    const claims = await res.json();
    assert.equal(claims.username, "carol");
    assert.equal(claims.client_id, clientId);
    assert.equal(claims.token_use, "access");
    assert.equal(claims.sub, session.getAccessToken().decodePayload().sub);
  });
});
