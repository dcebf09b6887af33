// Sign-in with the libraries real apps use: amazon-cognito-identity-js (Amplify's USER_SRP_AUTH,
// NEW_PASSWORD_REQUIRED, TOTP MFA set-up and sign-in, refresh), the AWS SDK v3
// (USER_PASSWORD_AUTH), and aws-jwt-verify checking both token kinds against the pool's JWKS.
//
// Run by e2e/node_test.go, which starts a server and sets GATEHOUSE_ENDPOINT.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";

import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  AdminGetUserCommand,
  InitiateAuthCommand,
  NotAuthorizedException,
  SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";
import { JwtRsaVerifier } from "aws-jwt-verify";

import { endpoint, idp } from "./env.mjs";


// authenticate runs amazon-cognito-identity-js's authenticateUser (USER_SRP_AUTH by default)
// and resolves with the session, or with {newPasswordRequired}, {mfaSetup} or {totpRequired}
// for those challenges.
function authenticate(user, password) {
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: password }), {
      onSuccess: (session) => resolve({ session }),
      onFailure: reject,
      newPasswordRequired: (userAttributes, requiredAttributes) =>
        resolve({ newPasswordRequired: { userAttributes, requiredAttributes } }),
      mfaSetup: (challengeName, challengeParameters) => resolve({ mfaSetup: challengeParameters }),
      totpRequired: (challengeName, challengeParameters) => resolve({ totpRequired: challengeParameters }),
    });
  });
}

// totp computes the RFC 6238 code (SHA-1, six digits, 30-second steps) of a base32 secret for
// time step step, as an authenticator app does.
function totp(secret, step) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const ch of secret.replace(/=+$/, "")) {
    bits += alphabet.indexOf(ch).toString(2).padStart(5, "0");
  }
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = createHmac("sha1", key).update(msg).digest();
  const o = h[h.length - 1] & 0xf;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, "0");
}

const currentStep = () => Math.floor(Date.now() / 30000);

describe("sign-in with the Node libraries", () => {
  let poolId, clientId, pool, issuer;

  before(async () => {
    const p = await idp.send(new CreateUserPoolCommand({ PoolName: "node-signin" }));
    poolId = p.UserPool.Id;
    const c = await idp.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: "web",
      ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }));
    clientId = c.UserPoolClient.ClientId;
    await idp.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: "dana", MessageAction: "SUPPRESS",
      UserAttributes: [{ Name: "email", Value: "dana@example.com" }, { Name: "email_verified", Value: "true" }],
    }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: "dana", Password: "Passw0rd!", Permanent: true }));
    pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint });
    const disc = await (await fetch(`${endpoint}/${poolId}/.well-known/openid-configuration`)).json();
    issuer = disc.issuer;
  });

  it("signs in with SRP and the tokens verify with aws-jwt-verify", async () => {
    const user = new CognitoUser({ Username: "dana", Pool: pool });
    const { session } = await authenticate(user, "Passw0rd!");
    assert.ok(session.isValid());
    const jwksUri = `${endpoint}/${poolId}/.well-known/jwks.json`;
    // aws-jwt-verify fetches JWKS over https only; over plain http we hand it the document.
    const jwks = await (await fetch(jwksUri)).json();
    const idVerifier = JwtRsaVerifier.create({ issuer, audience: clientId, jwksUri, customJwtCheck: ({ payload }) => {
      assert.equal(payload.token_use, "id");
    } });
    idVerifier.cacheJwks(jwks);
    const idPayload = await idVerifier.verify(session.getIdToken().getJwtToken());
    assert.equal(idPayload["cognito:username"], "dana");
    assert.equal(idPayload.email, "dana@example.com");
    assert.equal(idPayload.email_verified, true);
    // Access tokens have no aud: aws-jwt-verify checks client_id for them.
    const accessVerifier = JwtRsaVerifier.create({ issuer, audience: null, jwksUri, customJwtCheck: ({ payload }) => {
      assert.equal(payload.token_use, "access");
      assert.equal(payload.client_id, clientId);
    } });
    accessVerifier.cacheJwks(jwks);
    const accessPayload = await accessVerifier.verify(session.getAccessToken().getJwtToken());
    // A token signed with the other key type's kid, or tampered, is refused.
    const tampered = session.getIdToken().getJwtToken().replace(/\.[^.]+\./, (m) => m.slice(0, -2) + "A.");
    await assert.rejects(idVerifier.verify(tampered));
    assert.equal(accessPayload.username, "dana");
    assert.equal(accessPayload.scope, "aws.cognito.signin.user.admin");

    // Refresh through the library.
    const refreshed = await new Promise((resolve, reject) =>
      user.refreshSession(session.getRefreshToken(), (err, s) => (err ? reject(err) : resolve(s))));
    assert.ok(refreshed.isValid());
    assert.equal(refreshed.getIdToken().payload.auth_time, session.getIdToken().payload.auth_time);
  });

  it("refuses a wrong password with AWS's error", async () => {
    const user = new CognitoUser({ Username: "dana", Pool: pool });
    await assert.rejects(authenticate(user, "wrong"), (err) => {
      assert.equal(err.code ?? err.name, "NotAuthorizedException");
      assert.equal(err.message, "Incorrect username or password.");
      return true;
    });
  });

  it("answers NEW_PASSWORD_REQUIRED for an invited user", async () => {
    await idp.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: "erik", TemporaryPassword: "TempPassw0rd!", MessageAction: "SUPPRESS",
    }));
    const user = new CognitoUser({ Username: "erik", Pool: pool });
    const first = await authenticate(user, "TempPassw0rd!");
    assert.ok(first.newPasswordRequired, "expected the NEW_PASSWORD_REQUIRED challenge");
    const session = await new Promise((resolve, reject) =>
      user.completeNewPasswordChallenge("NewPassw0rd!", {}, { onSuccess: resolve, onFailure: reject }));
    assert.ok(session.isValid());
    const again = await authenticate(new CognitoUser({ Username: "erik", Pool: pool }), "NewPassw0rd!");
    assert.ok(again.session?.isValid());
  });

  it("signs in with USER_PASSWORD_AUTH through the AWS SDK v3", async () => {
    const out = await idp.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "dana", PASSWORD: "Passw0rd!" },
    }));
    assert.equal(out.AuthenticationResult.TokenType, "Bearer");
    assert.ok(out.AuthenticationResult.RefreshToken);
    await assert.rejects(
      idp.send(new InitiateAuthCommand({
        ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "dana", PASSWORD: "nope" },
      })),
      (err) => err instanceof NotAuthorizedException && err.message === "Incorrect username or password.",
    );
  });

  it("sets up TOTP MFA when the pool requires it, then signs in with a code", async () => {
    await idp.send(new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId, MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: { Enabled: true },
    }));
    try {
      await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: "fran", MessageAction: "SUPPRESS" }));
      await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: "fran", Password: "Passw0rd!", Permanent: true }));
      const user = new CognitoUser({ Username: "fran", Pool: pool });
      const first = await authenticate(user, "Passw0rd!");
      assert.ok(first.mfaSetup, "expected the MFA_SETUP challenge");
      assert.equal(first.mfaSetup.MFAS_CAN_SETUP, '["SOFTWARE_TOKEN_MFA"]');
      const secret = await new Promise((resolve, reject) =>
        user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }));
      const step = currentStep();
      const session = await new Promise((resolve, reject) =>
        user.verifySoftwareToken(totp(secret, step), "node-phone", { onSuccess: resolve, onFailure: reject }));
      assert.ok(session.isValid());
      const u = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "fran" }));
      assert.deepEqual(u.UserMFASettingList, ["SOFTWARE_TOKEN_MFA"]);

      // The next sign-in asks for a code; the code of the step that was just used is refused
      // (replay), the next step's is accepted.
      const again = new CognitoUser({ Username: "fran", Pool: pool });
      const second = await authenticate(again, "Passw0rd!");
      assert.ok(second.totpRequired, "expected the SOFTWARE_TOKEN_MFA challenge");
      await assert.rejects(new Promise((resolve, reject) =>
        again.sendMFACode(totp(secret, step), { onSuccess: resolve, onFailure: reject }, "SOFTWARE_TOKEN_MFA")), (err) => {
        assert.equal(err.code ?? err.name, "ExpiredCodeException");
        return true;
      });
      const signedIn = await new Promise((resolve, reject) =>
        again.sendMFACode(totp(secret, step + 1), { onSuccess: resolve, onFailure: reject }, "SOFTWARE_TOKEN_MFA"));
      assert.ok(signedIn.isValid());
      assert.equal(signedIn.getIdToken().payload["cognito:username"], "fran");
    } finally {
      await idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: "OFF" }));
    }
  });
});
