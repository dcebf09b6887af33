// genvectors.mjs writes vectors.json: USER_SRP_AUTH handshakes produced by the
// real amazon-cognito-identity-js client, for the Go server tests to verify.
//
// Usage (the Go tests only read the committed vectors.json; they never run this):
//
//	tmp=$(mktemp -d)
//	npm install --prefix "$tmp" amazon-cognito-identity-js
//	node internal/cognito/srp/testdata/genvectors.mjs "$tmp"
//
// For each case the script plays a fake Cognito endpoint to the library's own
// CognitoUser.authenticateUser (the code path browsers and React Native use):
// InitiateAuth answers with SALT, SRP_B, SECRET_BLOCK and USER_ID_FOR_SRP, and
// RespondToAuthChallenge records SRP_A, TIMESTAMP and PASSWORD_CLAIM_SIGNATURE.
// The server values (verifier v and B = k·v + g^b mod N) are computed here with
// the library's own BigInteger and AuthenticationHelper hashing/padding, so the
// Go side is checked against an independent implementation throughout.
//
// Everything is deterministic: the client's secret a, the server's b, salts
// and secret blocks are expanded from fixed labels with SHA-256, and the
// clock is pinned while the library formats TIMESTAMP. These are test-only
// values; none of them protects anything.

import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const prefix = process.argv[2];
if (!prefix) {
	console.error('usage: node genvectors.mjs <npm --prefix dir holding amazon-cognito-identity-js>');
	process.exit(2);
}
const require = createRequire(path.join(path.resolve(prefix), 'node_modules', 'noop.js'));
const cognito = require('amazon-cognito-identity-js');
const BigInteger = require('amazon-cognito-identity-js/lib/BigInteger').default;
const libVersion = require('amazon-cognito-identity-js/package.json').version;
const { AuthenticationHelper, CognitoUser, CognitoUserPool } = cognito;

// expand returns n deterministic bytes derived from label.
function expand(label, n) {
	const chunks = [];
	for (let i = 0; Buffer.concat(chunks).length < n; i++) {
		chunks.push(createHash('sha256').update(`${label}/${i}`).digest());
	}
	return Buffer.concat(chunks).subarray(0, n);
}

// Pin the client's random a: AuthenticationHelper's constructor calls
// generateRandomSmallA, which normally draws 128 random bytes.
let nextSmallA = null;
const realSmallA = AuthenticationHelper.prototype.generateRandomSmallA;
AuthenticationHelper.prototype.generateRandomSmallA = function () {
	if (nextSmallA === null) return realSmallA.call(this);
	const a = nextSmallA;
	nextSmallA = null;
	return a;
};

// withClock runs fn with `new Date()` pinned to ms (DateHelper reads it).
function withClock(ms, fn) {
	const RealDate = globalThis.Date;
	globalThis.Date = class extends RealDate {
		constructor(...args) {
			super(...(args.length ? args : [ms]));
		}
	};
	try {
		return fn();
	} finally {
		globalThis.Date = RealDate;
	}
}

function modPow(base, exp, mod) {
	let out;
	base.modPow(exp, mod, (err, r) => {
		if (err) throw err;
		out = r;
	});
	return out;
}

// server computes v and B with the library's primitives.
function server(poolName, userIdForSrp, password, saltParam, bHex) {
	const h = new AuthenticationHelper(poolName);
	const x = new BigInteger(
		h.hexHash(h.padHex(new BigInteger(saltParam, 16)) + h.hash(`${poolName}${userIdForSrp}:${password}`)),
		16,
	);
	const v = modPow(h.g, x, h.N);
	const B = h.k.multiply(v).add(modPow(h.g, new BigInteger(bHex, 16), h.N)).mod(h.N);
	return { v, B, k: h.k };
}

// client runs CognitoUser.authenticateUser against a fake endpoint and
// returns what it sent.
function client({ userPoolId, username, password, challenge, aHex, clockMs }) {
	const storage = new Map();
	const Storage = {
		setItem: (k, v) => storage.set(k, v),
		getItem: k => (storage.has(k) ? storage.get(k) : null),
		removeItem: k => storage.delete(k),
		clear: () => storage.clear(),
	};
	const pool = new CognitoUserPool({ UserPoolId: userPoolId, ClientId: '1example23456789abcdefghij', Storage });
	const user = new CognitoUser({ Username: username, Pool: pool, Storage });
	const sent = {};
	user.client = {
		request(op, params, cb) {
			if (op === 'InitiateAuth') {
				sent.srpA = params.AuthParameters.SRP_A;
				sent.username = params.AuthParameters.USERNAME;
				return cb(null, { ChallengeName: 'PASSWORD_VERIFIER', ChallengeParameters: challenge, Session: 'session' });
			}
			if (op === 'RespondToAuthChallenge') {
				Object.assign(sent, params.ChallengeResponses);
				return cb(Object.assign(new Error('stop after capture'), { code: 'Captured' }));
			}
			return cb(new Error(`unexpected ${op}`));
		},
	};
	nextSmallA = new BigInteger(aHex, 16);
	let failure = null;
	withClock(clockMs, () =>
		user.authenticateUser(new cognito.AuthenticationDetails({ Username: username, Password: password }), {
			onSuccess: () => { failure = new Error('unexpected success'); },
			onFailure: err => { if (err.code !== 'Captured') failure = err; },
			newPasswordRequired: () => { failure = new Error('unexpected challenge'); },
		}),
	);
	if (failure) throw failure;
	if (!sent.PASSWORD_CLAIM_SIGNATURE) throw new Error('client did not answer synchronously');
	return sent;
}

const cases = [
	{
		name: 'plain',
		userPoolId: 'us-east-1_gAtEhOuSe',
		username: 'alice',
		userIdForSrp: 'alice',
		password: 'Correct-Horse-Battery-1!',
		salt: expand('salt/plain', 16),
		clockMs: Date.UTC(2024, 9, 6, 13, 37, 50), // single-digit day
	},
	{
		name: 'alias-login-salt-leading-zero-byte',
		userPoolId: 'eu-west-2_Z9y8X7w6V',
		username: 'bob@example.com', // signs in with an alias; USER_ID_FOR_SRP is the username
		userIdForSrp: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
		password: 'hunter2-Hunter2',
		salt: Buffer.concat([Buffer.from([0x00]), expand('salt/zero', 15)]),
		clockMs: Date.UTC(2025, 0, 1, 0, 0, 5), // midnight, all fields padded
	},
	{
		name: 'unicode-password-salt-msb-set',
		userPoolId: 'ap-southeast-2_Q1w2E3r4T',
		username: 'Zoë',
		userIdForSrp: 'Zoë',
		password: 'pässwörd-ß-🔑-密码',
		salt: Buffer.concat([Buffer.from([0xc7]), expand('salt/msb', 15)]),
		clockMs: Date.UTC(2024, 1, 29, 9, 5, 0), // leap day, morning
	},
	{
		name: 'odd-nibble-salt-long-password',
		userPoolId: 'us-west-2_aBcDeFgHi',
		username: 'carol',
		userIdForSrp: 'carol',
		password: 'p'.repeat(200) + ' with spaces & :colons:',
		salt: Buffer.concat([Buffer.from([0x0a]), expand('salt/nibble', 15)]),
		clockMs: Date.UTC(2026, 11, 31, 23, 59, 59),
	},
];

const out = {
	comment:
		'Generated by genvectors.mjs with the real amazon-cognito-identity-js client. ' +
		'All secrets here (a, b, passwords) are fixed test-only values. Do not edit by hand.',
	library: `amazon-cognito-identity-js@${libVersion}`,
	k: new AuthenticationHelper('x').k.toString(16),
	cases: [],
};

for (const c of cases) {
	const h = new AuthenticationHelper('x');
	const poolName = c.userPoolId.split('_')[1];
	const saltParam = h.padHex(new BigInteger(c.salt.toString('hex'), 16));
	const bHex = expand(`server-b/${c.name}`, 32).toString('hex');
	const { v, B } = server(poolName, c.userIdForSrp, c.password, saltParam, bHex);
	const secretBlock = expand(`secret-block/${c.name}`, 96 + c.name.length).toString('base64');
	const challenge = {
		SALT: saltParam,
		SRP_B: B.toString(16),
		SECRET_BLOCK: secretBlock,
		USER_ID_FOR_SRP: c.userIdForSrp,
		USERNAME: c.userIdForSrp,
	};
	const good = client({
		userPoolId: c.userPoolId,
		username: c.username,
		password: c.password,
		challenge,
		aHex: expand(`client-a/${c.name}`, 128).toString('hex'),
		clockMs: c.clockMs,
	});
	const bad = client({
		userPoolId: c.userPoolId,
		username: c.username,
		password: c.password + 'x',
		challenge,
		aHex: expand(`client-a-wrong/${c.name}`, 128).toString('hex'),
		clockMs: c.clockMs + 1000,
	});
	if (good.USERNAME !== c.userIdForSrp) throw new Error('client did not echo USER_ID_FOR_SRP');
	out.cases.push({
		name: c.name,
		user_pool_id: c.userPoolId,
		pool_name: poolName,
		user_id_for_srp: c.userIdForSrp,
		password: c.password,
		salt: c.salt.toString('hex'),
		salt_param: saltParam,
		verifier: v.toString(16).padStart(768, '0'),
		server_b: bHex,
		srp_b: challenge.SRP_B,
		secret_block: secretBlock,
		client: {
			username: good.username,
			srp_a: good.srpA,
			timestamp: good.TIMESTAMP,
			signature: good.PASSWORD_CLAIM_SIGNATURE,
		},
		wrong_password_client: {
			srp_a: bad.srpA,
			timestamp: bad.TIMESTAMP,
			signature: bad.PASSWORD_CLAIM_SIGNATURE,
		},
	});
}

const dest = path.join(path.dirname(fileURLToPath(import.meta.url)), 'vectors.json');
writeFileSync(dest, JSON.stringify(out, null, '\t') + '\n');
console.log(`wrote ${out.cases.length} cases to ${dest}`);
