// What every Node test shares: the Gatehouse endpoint (GATEHOUSE_ENDPOINT, set by
// e2e/node_test.go) and an AWS SDK v3 client pointed at it.
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";

export const endpoint = process.env.GATEHOUSE_ENDPOINT;
if (!endpoint) {
  throw new Error("GATEHOUSE_ENDPOINT is not set (e.g. http://127.0.0.1:4566)");
}

export const idp = new CognitoIdentityProviderClient({
  region: "us-east-1",
  endpoint,
  credentials: { accessKeyId: "AKIDNODETEST", secretAccessKey: "node-test-secret" },
  maxAttempts: 1, // errors surface at once and no request runs twice
});
