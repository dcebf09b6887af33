// Gatehouse's Node.js runtime interface client. It runs the function named by _HANDLER behind
// the Lambda Runtime API at AWS_LAMBDA_RUNTIME_API, the way AWS's Node.js runtimes do:
// handler resolution relative to LAMBDA_TASK_ROOT (CommonJS and ES modules), async and
// callback handlers, the context object, console output formatted as Lambda formats it, and
// Runtime.* errors. Only Node's standard library is used.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { Writable } from 'node:stream';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const env = process.env;
const API_PREFIX = '/2018-06-01/runtime';
const [apiHost, apiPort] = splitHostPort(env.AWS_LAMBDA_RUNTIME_API || '');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const nodeMajor = Number((/^AWS_Lambda_nodejs(\d+)\.x$/.exec(env.AWS_EXECUTION_ENV || '') || [])[1] || 0);
const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');

let currentRequestId; // printed as "undefined" outside an invocation, as Lambda does

function splitHostPort(s) {
  const i = s.lastIndexOf(':');
  return [s.slice(0, i).replace(/^\[|\]$/g, ''), Number(s.slice(i + 1))];
}

// ---------------------------------------------------------------------------------------
// Errors

function runtimeError(type, message) {
  const e = new Error(message);
  e.name = type;
  return e;
}

function isErrorLike(e) {
  return util.types.isNativeError(e) ||
    (e && typeof e.name === 'string' && typeof e.message === 'string' && typeof e.stack === 'string');
}

// The body posted for an error: {errorType, errorMessage, trace}.
function toRapid(e) {
  try {
    if (isErrorLike(e)) {
      return { errorType: e.name, errorMessage: e.message, trace: String(e.stack).split('\n') };
    }
    return { errorType: typeof e, errorMessage: String(e), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

// The error as it is logged: a tab, then the error's JSON with its own properties.
function formatted(e) {
  const withProps = (_k, v) => {
    if (v instanceof Error) {
      const o = Object.assign({ errorType: v.name, errorMessage: v.message, code: v.code }, v);
      if (typeof v.stack === 'string') o.stack = v.stack.split('\n');
      return o;
    }
    return v;
  };
  try {
    return '\t' + JSON.stringify(e, withProps);
  } catch {
    return '\t' + JSON.stringify(toRapid(e));
  }
}

const intoError = (e) => (e instanceof Error ? e : new Error(e));

// ---------------------------------------------------------------------------------------
// Console: "<ISO time>\t<request id>\t<LEVEL>\t<message>", newlines turned into carriage
// returns so that one call is one line, or JSON with AWS_LAMBDA_LOG_FORMAT=JSON.

const LEVELS = { TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6 };
const jsonLogs = (env.AWS_LAMBDA_LOG_FORMAT || '').toUpperCase() === 'JSON';
const minLevel = LEVELS[(env.AWS_LAMBDA_LOG_LEVEL || '').toUpperCase()] || LEVELS.TRACE;

function writeLog(level, args) {
  const time = new Date().toISOString();
  let line;
  if (jsonLogs) {
    const o = { timestamp: time, level, requestId: currentRequestId };
    if (args.length === 1) {
      o.message = args[0];
      try {
        line = JSON.stringify(o, (_k, v) => (v instanceof Error
          ? Object.assign({ errorType: v.constructor?.name ?? 'UnknownError', errorMessage: v.message, stackTrace: typeof v.stack === 'string' ? v.stack.split('\n') : v.stack }, v)
          : v));
      } catch {
        o.message = util.format(o.message);
        line = JSON.stringify(o);
      }
    } else {
      o.message = util.format(...args);
      const err = args.find((a) => a instanceof Error);
      if (err) {
        o.errorType = err.constructor?.name ?? 'UnknownError';
        o.errorMessage = err.message;
        o.stackTrace = typeof err.stack === 'string' ? err.stack.split('\n') : [];
      }
      line = JSON.stringify(o);
    }
  } else {
    line = `${time}\t${currentRequestId}\t${level}\t${util.format(...args)}`;
  }
  process.stdout.write(line.replace(/\n/g, '\r') + '\n');
}

for (const [method, level] of [['trace', 'TRACE'], ['debug', 'DEBUG'], ['info', 'INFO'], ['warn', 'WARN'], ['error', 'ERROR'], ['fatal', 'FATAL']]) {
  console[method] = LEVELS[level] >= minLevel || level === 'FATAL' ? (...args) => writeLog(level, args) : () => {};
}
console.log = console.info;

function logError(what, e) {
  if (jsonLogs) console.error(intoError(e));
  else console.error(what, formatted(intoError(e)));
}

// ---------------------------------------------------------------------------------------
// Runtime API client

function call(method, p, body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: apiHost, port: apiPort, path: API_PREFIX + p, method, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function post(p, body, headers = {}) {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const res = await call('POST', p, buf, { 'Content-Type': 'application/json', 'Content-Length': buf.length, ...headers });
  return res.status;
}

function postError(p, e) {
  const r = toRapid(e);
  return post(p, JSON.stringify(r), { 'Lambda-Runtime-Function-Error-Type': r.errorType });
}

// ---------------------------------------------------------------------------------------
// Loading the handler

function packageTypeIsModule(folder) {
  // The nearest package.json decides; a node_modules folder or the root ends the search.
  for (;;) {
    if (folder.endsWith('/node_modules')) return false;
    const pj = path.join(folder, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        const pkg = JSON.parse(fs.readFileSync(pj, 'utf8'));
        return Boolean(pkg) && pkg.type === 'module';
      } catch (e) {
        console.warn(`${pj} cannot be read, it will be ignored for ES module detection purposes.`, e);
        return false;
      }
    }
    const parent = path.dirname(folder);
    if (parent === folder) return false;
    folder = parent;
  }
}

const tryRequire = (file) => (fs.existsSync(file) ? require(file) : undefined);
const tryImport = async (file) => (fs.existsSync(file) ? import(pathToFileURL(file).href) : undefined);

async function loadModule(appRoot, moduleRoot, moduleName) {
  const base = path.resolve(appRoot, moduleRoot, moduleName);
  const extensionless = tryRequire(base);
  if (extensionless) return extensionless;
  const isModule = packageTypeIsModule(path.dirname(base));
  if (!isModule) {
    const js = tryRequire(base + '.js');
    if (js) return js;
  }
  const loaded = (isModule && (await tryImport(base + '.js'))) ||
    (await tryImport(base + '.mjs')) ||
    tryRequire(base + '.cjs');
  if (loaded) return loaded;
  return require(require.resolve(moduleName, { paths: [appRoot, path.join(appRoot, moduleRoot)] }));
}

async function loadHandler(appRoot, fullHandler) {
  if (fullHandler.includes('..')) {
    throw runtimeError('Runtime.MalformedHandlerName',
      `'${fullHandler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  const handlerString = path.basename(fullHandler);
  const moduleRoot = fullHandler.substring(0, fullHandler.indexOf(handlerString));
  const m = /^([^.]*)\.(.*)$/.exec(handlerString);
  if (!m) throw runtimeError('Runtime.MalformedHandlerName', 'Bad handler');
  const [, moduleName, handlerPath] = m;

  globalThis.awslambda = { streamifyResponse, HttpResponseStream };
  let mod;
  try {
    mod = await loadModule(appRoot, moduleRoot, moduleName);
  } catch (e) {
    if (e instanceof SyntaxError) {
      const err = runtimeError('Runtime.UserCodeSyntaxError', String(e));
      err.stack = e.stack;
      throw err;
    }
    if (e && e.code === 'MODULE_NOT_FOUND') {
      throw runtimeError('Runtime.ImportModuleError', String(e));
    }
    throw e;
  }
  const find = (obj) => handlerPath.split('.').reduce((o, k) => o && o[k], obj);
  let fn = find(mod);
  if (!fn && nodeMajor >= 24 && mod && typeof mod === 'object' && 'default' in mod) fn = find(mod.default);
  if (!fn) throw runtimeError('Runtime.HandlerNotFound', `${fullHandler} is undefined or not exported`);
  if (typeof fn !== 'function') throw runtimeError('Runtime.HandlerNotFound', `${fullHandler} is not a function`);
  return fn;
}

// ---------------------------------------------------------------------------------------
// Response streaming handlers (awslambda.streamifyResponse) answer buffered invocations with
// everything they wrote.

function streamifyResponse(handler) {
  handler[STREAMING] = 'response';
  return handler;
}

class HttpResponseStream {
  static from(stream, prelude) {
    stream.write(JSON.stringify(prelude));
    stream.write(Buffer.alloc(8));
    return stream;
  }
}

// ---------------------------------------------------------------------------------------
// The invocation loop

let beforeExitListener = null;
process.on('beforeExit', () => {
  const l = beforeExitListener;
  beforeExitListener = null;
  if (l) l();
});

let currentInvokeId = null;
process.on('uncaughtException', (e) => {
  logError('Uncaught Exception', e);
  fatal(e, 129);
});
process.on('unhandledRejection', (reason) => {
  const e = runtimeError('Runtime.UnhandledPromiseRejection', reason === undefined ? undefined : String(reason));
  e.reason = reason;
  logError('Unhandled Promise Rejection', e);
  fatal(e, 128);
});

// fatal reports an error that escaped the handler, for the invocation in progress or as an
// init error, and exits.
function fatal(e, code) {
  const p = currentInvokeId ? `/invocation/${encodeURIComponent(currentInvokeId)}/error` : '/init/error';
  postError(p, e).finally(() => process.exit(code));
}

function scheduleIteration(handler) {
  setImmediate(() => {
    handleOnce(handler).catch((e) => {
      console.log(`Unexpected Top Level Error: ${e}`);
      fatal(e, 129);
    });
  });
}

function contextFor(headers, callbacks) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  const parse = (name) => {
    const v = headers[name];
    if (v === undefined || v === '') return undefined;
    try {
      return JSON.parse(v);
    } catch {
      throw runtimeError('Runtime.PlatformError', `Failed to parse ${name} as JSON`);
    }
  };
  return Object.assign(callbacks, {
    clientContext: parse('lambda-runtime-client-context'),
    identity: parse('lambda-runtime-cognito-identity'),
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    getRemainingTimeInMillis: () => deadline - Date.now(),
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
  });
}

async function handleOnce(handler) {
  const next = await call('GET', '/invocation/next');
  if (next.status !== 200) throw new Error(`Failed to get the next invocation: HTTP ${next.status}`);
  const headers = next.headers;
  const id = headers['lambda-runtime-aws-request-id'];
  const base = `/invocation/${encodeURIComponent(id)}`;
  currentRequestId = id;
  currentInvokeId = id;
  if (headers['lambda-runtime-trace-id']) env._X_AMZN_TRACE_ID = headers['lambda-runtime-trace-id'];
  else delete env._X_AMZN_TRACE_ID;

  const finish = (p) => p.then((status) => {
    if (status !== 202) console.error(`LAMBDA_RUNTIME Failed to post handler response. Http response code: ${status}.`);
  }).finally(() => {
    currentInvokeId = null;
    scheduleIteration(handler);
  });
  const sendError = (e) => {
    logError('Invoke Error', e);
    finish(postError(`${base}/error`, e));
  };
  const sendResult = (result) => {
    let body;
    try {
      body = JSON.stringify(result === undefined ? null : result);
    } catch {
      sendError(new Error('Unable to stringify response body'));
      return;
    }
    finish(post(`${base}/response`, body));
  };

  let settled = false;
  let waitForEmptyEventLoop = true;
  const complete = (err, result, wait) => {
    if (settled) return;
    settled = true;
    beforeExitListener = null;
    if (err !== undefined && err !== null) sendError(err);
    else if (wait) beforeExitListener = () => setImmediate(() => sendResult(result));
    else sendResult(result);
  };
  const callback = (err, result) => complete(err, result, waitForEmptyEventLoop);
  const callbacks = {
    get callbackWaitsForEmptyEventLoop() {
      return waitForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(v) {
      waitForEmptyEventLoop = v;
    },
    succeed: (result) => complete(null, result, false),
    fail: (err) => complete(err === undefined || err === null ? 'handled' : err, null, false),
    done: (err, result) => complete(err, result, false),
  };

  // When the event loop empties and nothing was reported: an async handler whose promise
  // never settled fails; a synchronous one that never called back answers null.
  const isAsync = handler.constructor && handler.constructor.name === 'AsyncFunction';
  beforeExitListener = () => {
    if (settled) return;
    settled = true;
    if (isAsync) {
      sendError(runtimeError('Runtime.NodeJsExit',
        'Error: Runtime exited without providing a reason. The Lambda runtime client detected an unexpected Node.js exit, most commonly caused by a Promise that was never settled.'));
    } else {
      sendResult(null);
    }
  };

  try {
    const context = contextFor(headers, callbacks);
    const event = JSON.parse(next.body.toString('utf8'));
    if (handler[STREAMING] === 'response') {
      const chunks = [];
      const stream = new Writable({ write(chunk, _enc, cb) { chunks.push(Buffer.from(chunk)); cb(); } });
      const ret = handler(event, stream, context);
      if (!ret || typeof ret.then !== 'function') {
        complete(runtimeError('Runtime.InvalidStreamingOperation', 'Streaming does not support non-async handlers.'));
        return;
      }
      await ret;
      if (!stream.writableFinished) {
        complete(runtimeError('Runtime.InvalidStreamingOperation', 'Response stream is not finished.'));
        return;
      }
      settled = true;
      beforeExitListener = null;
      finish(post(`${base}/response`, Buffer.concat(chunks)));
      return;
    }
    const ret = handler(event, context, callback);
    if (ret && typeof ret.then === 'function') {
      ret.then((v) => complete(null, v, false), (e) => complete(e === undefined || e === null ? 'handled' : e, null, false));
    }
  } catch (e) {
    callback(e);
  }
}

async function main() {
  let handler;
  try {
    handler = await loadHandler(env.LAMBDA_TASK_ROOT || process.cwd(), env._HANDLER || '');
    if (nodeMajor >= 24 && handler.length >= 3 && handler[STREAMING] !== 'response') {
      throw runtimeError('Runtime.CallbackHandlerDeprecated',
        'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.');
    }
  } catch (e) {
    logError(nodeMajor >= 24 ? 'Init Error' : 'Uncaught Exception', e);
    await postError('/init/error', e).catch(() => {});
    process.exit(129);
  }
  scheduleIteration(handler);
}

main();
