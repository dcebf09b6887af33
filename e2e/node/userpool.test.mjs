// End-to-end walk through Gatehouse's user-pool API with the real Node SDKs: the AWS SDK for
// JavaScript v3 (@aws-sdk/client-cognito-identity-provider) and the Amplify-era browser library
// amazon-cognito-identity-js (which talks to the endpoint with the global fetch).
//
// Run by e2e/node_test.go (go test ./e2e/), which starts a server and sets GATEHOUSE_ENDPOINT:
//   GATEHOUSE_ENDPOINT=http://127.0.0.1:4566 node --test userpool.test.mjs
//
// Sign-in is tested in signin.test.mjs.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import {
  AdminAddUserToGroupCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  CodeMismatchException,
  CognitoIdentityProviderServiceException,
  ConfirmSignUpCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GroupExistsException,
  InvalidPasswordException,
  ListUsersCommand,
  ListUsersInGroupCommand,
  ResourceNotFoundException,
  SignUpCommand,
  UsernameExistsException,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoUser, CognitoUserAttribute, CognitoUserPool } from "amazon-cognito-identity-js";

import { endpoint, idp } from "./env.mjs";


const PASSWORD = "Passw0rd!";
const msgCodeMismatch = "Invalid verification code provided, please try again.";

// messages returns what the pool delivered to username (or address), newest first.
async function messages(poolId, username) {
  const q = new URLSearchParams({ userPoolId: poolId, username });
  const res = await fetch(`${endpoint}/_gatehouse/messages?${q}`);
  assert.equal(res.status, 200, `GET /_gatehouse/messages: ${res.status}`);
  const body = await res.json();
  assert.ok(Array.isArray(body.messages), `messages body: ${JSON.stringify(body)}`);
  return body.messages;
}

async function lastCode(poolId, username) {
  const msgs = await messages(poolId, username);
  assert.ok(msgs.length > 0, `no message was delivered to ${username} in ${poolId}`);
  assert.match(msgs[0].code, /^[0-9]{6}$/, `code in ${JSON.stringify(msgs[0])}`);
  return msgs[0].code;
}

function wrongCode(code) {
  return code === "000000" ? "111111" : "000000";
}

// rejectsWith asserts that promise rejects with the SDK's typed exception cls, with AWS's name,
// message and HTTP status 400.
async function rejectsWith(promise, cls, message) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected ${cls.name}, got success`);
  assert.ok(
    err instanceof cls,
    `expected ${cls.name}, got ${err?.constructor?.name} ${err?.name}: ${err?.message}`,
  );
  assert.ok(err instanceof CognitoIdentityProviderServiceException, "a service exception");
  assert.equal(err.name, cls.name);
  if (message !== undefined) {
    assert.equal(err.message, message);
  }
  assert.equal(err.$fault, "client");
  assert.equal(err.$metadata.httpStatusCode, 400);
  assert.ok(err.$metadata.requestId, "x-amzn-RequestId is set");
  return err;
}

function attr(user, name) {
  return (user.UserAttributes ?? user.Attributes ?? []).find((a) => a.Name === name)?.Value;
}

// Promise wrappers around amazon-cognito-identity-js's callback API.
function jsSignUp(pool, username, password, attributes) {
  return new Promise((resolve, reject) =>
    pool.signUp(username, password, attributes, null, (err, result) => (err ? reject(err) : resolve(result))),
  );
}
function jsConfirmRegistration(user, code) {
  return new Promise((resolve, reject) =>
    user.confirmRegistration(code, false, (err, result) => (err ? reject(err) : resolve(result))),
  );
}
function jsResendConfirmationCode(user) {
  return new Promise((resolve, reject) =>
    user.resendConfirmationCode((err, result) => (err ? reject(err) : resolve(result))),
  );
}
// jsForgotPassword resolves with the data passed to inputVerificationCode.
function jsForgotPassword(user) {
  return new Promise((resolve, reject) =>
    user.forgotPassword({
      onSuccess: (data) => reject(new Error(`onSuccess called instead of inputVerificationCode: ${JSON.stringify(data)}`)),
      onFailure: reject,
      inputVerificationCode: resolve,
    }),
  );
}
function jsConfirmPassword(user, code, password) {
  return new Promise((resolve, reject) =>
    user.confirmPassword(code, password, { onSuccess: resolve, onFailure: reject }),
  );
}
async function jsRejects(promise, code, message) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected ${code}, got success`);
  assert.equal(err.code, code, `error ${err.code ?? err.name}: ${err.message}`);
  assert.equal(err.name, code);
  if (message !== undefined) {
    assert.equal(err.message, message);
  }
  return err;
}

describe("user pool with the Node SDKs", () => {
  let poolId;
  let clientId;
  let aliceSub;

  before(async () => {
    const pool = await idp.send(
      new CreateUserPoolCommand({
        PoolName: "node-pool",
        UsernameAttributes: ["email"],
        AutoVerifiedAttributes: ["email"],
        Schema: [{ Name: "team", AttributeDataType: "String", Mutable: true }],
      }),
    );
    poolId = pool.UserPool.Id;
    const client = await idp.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "node-web", GenerateSecret: false }),
    );
    clientId = client.UserPoolClient.ClientId;
  });

  after(() => idp.destroy());

  describe("@aws-sdk/client-cognito-identity-provider", () => {
    it("created the pool and a public client", async () => {
      assert.match(poolId, /^us-east-1_[A-Za-z0-9]{9}$/);
      assert.match(clientId, /^[a-z0-9]{26}$/);
      const { UserPool } = await idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.deepEqual(UserPool.UsernameAttributes, ["email"]);
      assert.deepEqual(UserPool.AutoVerifiedAttributes, ["email"]);
      assert.ok(UserPool.CreationDate instanceof Date, "CreationDate is parsed as a Date");
      const team = UserPool.SchemaAttributes.find((a) => a.Name === "custom:team");
      assert.ok(team, "custom:team in SchemaAttributes");
      assert.equal(team.AttributeDataType, "String");
      assert.equal(team.Mutable, true);
    });

    it("signs up a user who must confirm by email", async () => {
      const out = await idp.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: "alice@example.com",
          Password: PASSWORD,
          UserAttributes: [{ Name: "custom:team", Value: "blue" }],
        }),
      );
      assert.equal(out.$metadata.httpStatusCode, 200);
      assert.equal(out.UserConfirmed, false);
      assert.match(out.UserSub, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.deepEqual(out.CodeDeliveryDetails, {
        Destination: "a***@e***",
        DeliveryMedium: "EMAIL",
        AttributeName: "email",
      });
      aliceSub = out.UserSub;

      const user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "alice@example.com" }));
      assert.equal(user.UserStatus, "UNCONFIRMED");
      assert.equal(user.Username, aliceSub);
    });

    it("refuses a second sign-up, a weak password and an unknown pool with typed exceptions", async () => {
      await rejectsWith(
        idp.send(new SignUpCommand({ ClientId: clientId, Username: "alice@example.com", Password: PASSWORD })),
        UsernameExistsException,
        "An account with the given email already exists.",
      );
      await rejectsWith(
        idp.send(new SignUpCommand({ ClientId: clientId, Username: "bob@example.com", Password: "Sh0rt!" })),
        InvalidPasswordException,
        "Password did not conform with policy: Password not long enough",
      );
      await rejectsWith(
        idp.send(new DescribeUserPoolCommand({ UserPoolId: "us-east-1_doesnotex" })),
        ResourceNotFoundException,
        "User pool us-east-1_doesnotex does not exist.",
      );
      await rejectsWith(
        idp.send(new AdminGetUserCommand({ UserPoolId: "us-east-1_doesnotex", Username: "alice@example.com" })),
        ResourceNotFoundException,
        "User pool us-east-1_doesnotex does not exist.",
      );
    });

    it("confirms the sign-up with the delivered code", async () => {
      const msgs = await messages(poolId, "alice@example.com");
      assert.equal(msgs.length, 1, JSON.stringify(msgs));
      const code = msgs[0].code;
      assert.match(code, /^[0-9]{6}$/);

      await rejectsWith(
        idp.send(
          new ConfirmSignUpCommand({ ClientId: clientId, Username: "alice@example.com", ConfirmationCode: wrongCode(code) }),
        ),
        CodeMismatchException,
        msgCodeMismatch,
      );
      const out = await idp.send(
        new ConfirmSignUpCommand({ ClientId: clientId, Username: "alice@example.com", ConfirmationCode: code }),
      );
      assert.equal(out.$metadata.httpStatusCode, 200);

      const user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "alice@example.com" }));
      assert.equal(user.UserStatus, "CONFIRMED");
      assert.equal(user.Enabled, true);
      assert.equal(user.Username, aliceSub);
      assert.equal(attr(user, "sub"), aliceSub);
      assert.equal(attr(user, "email"), "alice@example.com");
      assert.equal(attr(user, "email_verified"), "true");
      assert.equal(attr(user, "custom:team"), "blue");
      assert.ok(user.UserCreateDate instanceof Date, "UserCreateDate is parsed as a Date");
      assert.ok(user.UserLastModifiedDate instanceof Date, "UserLastModifiedDate is parsed as a Date");
      // The same user by its sub.
      const bySub = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: aliceSub }));
      assert.equal(attr(bySub, "email"), "alice@example.com");
    });

    it("lists users with a filter", async () => {
      await idp.send(
        new SignUpCommand({ ClientId: clientId, Username: "amber@example.com", Password: PASSWORD }),
      );
      const all = await idp.send(new ListUsersCommand({ UserPoolId: poolId }));
      assert.equal(all.Users.length, 2);

      const exact = await idp.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'email = "alice@example.com"' }));
      assert.equal(exact.Users.length, 1);
      assert.equal(exact.Users[0].Username, aliceSub);
      assert.equal(exact.Users[0].UserStatus, "CONFIRMED");
      assert.equal(attr(exact.Users[0], "email_verified"), "true");

      const prefix = await idp.send(
        new ListUsersCommand({ UserPoolId: poolId, Filter: 'email ^= "a"', AttributesToGet: ["email"] }),
      );
      assert.deepEqual(prefix.Users.map((u) => attr(u, "email")).sort(), ["alice@example.com", "amber@example.com"]);
      for (const u of prefix.Users) {
        assert.deepEqual(u.Attributes.map((a) => a.Name), ["email"]);
      }

      const unconfirmed = await idp.send(
        new ListUsersCommand({ UserPoolId: poolId, Filter: 'cognito:user_status = "UNCONFIRMED"' }),
      );
      assert.deepEqual(unconfirmed.Users.map((u) => attr(u, "email")), ["amber@example.com"]);

      const none = await idp.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'email = "nobody@example.com"' }));
      assert.deepEqual(none.Users, []);
    });

    it("puts a user in a group", async () => {
      const { Group } = await idp.send(
        new CreateGroupCommand({ UserPoolId: poolId, GroupName: "admins", Precedence: 1, Description: "Admins" }),
      );
      assert.equal(Group.GroupName, "admins");
      assert.equal(Group.UserPoolId, poolId);
      assert.equal(Group.Precedence, 1);
      assert.ok(Group.CreationDate instanceof Date);

      await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: "alice@example.com", GroupName: "admins" }));
      const { Groups } = await idp.send(
        new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: "alice@example.com" }),
      );
      assert.deepEqual(
        Groups.map((g) => [g.GroupName, g.Description, g.Precedence]),
        [["admins", "Admins", 1]],
      );
      const members = await idp.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: "admins" }));
      assert.deepEqual(members.Users.map((u) => u.Username), [aliceSub]);

      await rejectsWith(
        idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: "admins" })),
        GroupExistsException,
        "A group with the name admins already exists.",
      );
    });
  });

  describe("amazon-cognito-identity-js", () => {
    let userPool;
    const email = "bob@example.com";

    before(() => {
      userPool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint });
    });

    it("signs up a second user", async () => {
      const result = await jsSignUp(userPool, email, PASSWORD, [
        new CognitoUserAttribute({ Name: "custom:team", Value: "red" }),
      ]);
      assert.equal(result.userConfirmed, false);
      assert.match(result.userSub, /^[0-9a-f-]{36}$/);
      assert.deepEqual(result.codeDeliveryDetails, {
        Destination: "b***@e***",
        DeliveryMedium: "EMAIL",
        AttributeName: "email",
      });
      assert.ok(result.user instanceof CognitoUser);
      assert.equal(result.user.getUsername(), email);

      await jsRejects(jsSignUp(userPool, email, PASSWORD, []), "UsernameExistsException",
        "An account with the given email already exists.");
      await jsRejects(jsSignUp(userPool, "carl@example.com", "Sh0rt!", []), "InvalidPasswordException",
        "Password did not conform with policy: Password not long enough");
    });

    it("resends the code and confirms the registration", async () => {
      const user = new CognitoUser({ Username: email, Pool: userPool });
      const first = await lastCode(poolId, email);

      const resent = await jsResendConfirmationCode(user);
      assert.deepEqual(resent.CodeDeliveryDetails, {
        Destination: "b***@e***",
        DeliveryMedium: "EMAIL",
        AttributeName: "email",
      });
      const msgs = await messages(poolId, email);
      assert.equal(msgs.length, 2, JSON.stringify(msgs));
      const code = msgs[0].code;
      assert.match(code, /^[0-9]{6}$/);
      if (code !== first) {
        await jsRejects(jsConfirmRegistration(user, first), "CodeMismatchException", msgCodeMismatch);
      }
      await jsRejects(jsConfirmRegistration(user, wrongCode(code)), "CodeMismatchException", msgCodeMismatch);

      assert.equal(await jsConfirmRegistration(user, code), "SUCCESS");

      const got = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
      assert.equal(got.UserStatus, "CONFIRMED");
      assert.equal(attr(got, "email_verified"), "true");
      assert.equal(attr(got, "custom:team"), "red");

      await jsRejects(jsResendConfirmationCode(user), "InvalidParameterException", "User is already confirmed.");
    });

    it("resets a forgotten password with the delivered code", async () => {
      const user = new CognitoUser({ Username: email, Pool: userPool });
      const data = await jsForgotPassword(user);
      assert.deepEqual(data.CodeDeliveryDetails, {
        Destination: "b***@e***",
        DeliveryMedium: "EMAIL",
        AttributeName: "email",
      });
      const code = await lastCode(poolId, email);

      await jsRejects(jsConfirmPassword(user, code, "Sh0rt!"), "InvalidPasswordException",
        "Password did not conform with policy: Password not long enough");
      await jsRejects(jsConfirmPassword(user, wrongCode(code), "NewPassw0rd!"), "CodeMismatchException", msgCodeMismatch);
      assert.equal(await jsConfirmPassword(user, code, "NewPassw0rd!"), "SUCCESS");

      const got = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
      assert.equal(got.UserStatus, "CONFIRMED");
    });

    it("reports an unknown client as the library's error", async () => {
      const stranger = new CognitoUserPool({ UserPoolId: poolId, ClientId: "1234567890abcdefghijklmnop", endpoint });
      await jsRejects(jsSignUp(stranger, "dora@example.com", PASSWORD, []), "ResourceNotFoundException",
        "User pool client 1234567890abcdefghijklmnop does not exist.");
    });
  });
});
