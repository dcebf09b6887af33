"""Gatehouse's Python runtime interface client.

Runs the function named by _HANDLER ("pkg/module.function") behind the Lambda Runtime API at
AWS_LAMBDA_RUNTIME_API, the way AWS's Python runtimes (awslambdaric) do: module lookup from
LAMBDA_TASK_ROOT, the context object, the logging format, and error payloads
{"errorMessage", "errorType", "requestId", "stackTrace"}. Only the standard library is used.
"""

import decimal
import http.client
import importlib
import json
import logging
import math
import os
import sys
import time
import traceback

API_PREFIX = "/2018-06-01/runtime"
ERROR_LINE_SEPARATOR = "\r"
ERROR_INDENT = "\u00a0"  # no-break space: CloudWatch keeps the indentation


class Unbuffered(object):
    """Flushes after every write, so that output reaches the log as it is printed."""

    def __init__(self, stream):
        self.stream = stream

    def __getattr__(self, attr):
        return getattr(self.stream, attr)

    def write(self, msg):
        self.stream.write(msg)
        self.stream.flush()

    def writelines(self, msgs):
        self.stream.writelines(msgs)
        self.stream.flush()


class FaultException(Exception):
    MARSHAL_ERROR = "Runtime.MarshalError"
    UNMARSHAL_ERROR = "Runtime.UnmarshalError"
    USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
    HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
    IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
    BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
    MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"
    LAMBDA_CONTEXT_UNMARSHAL_ERROR = "Runtime.LambdaContextUnmarshalError"

    def __init__(self, exception_type, msg, trace=None):
        super().__init__(msg)
        self.msg = msg
        self.exception_type = exception_type
        self.trace = trace


# ---------------------------------------------------------------------------------------
# JSON


class _Encoder(json.JSONEncoder):
    def default(self, obj):
        if isinstance(obj, decimal.Decimal):
            if obj.is_nan():
                return math.nan
            return int(obj) if obj == obj.to_integral_value() else float(obj)
        return super().default(obj)


def to_json(obj):
    ensure_ascii = os.environ.get("AWS_EXECUTION_ENV") != "AWS_Lambda_python3.12"
    return _Encoder(ensure_ascii=ensure_ascii).encode(obj)


# ---------------------------------------------------------------------------------------
# Runtime API client


class RuntimeClient(object):
    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self.conn = http.client.HTTPConnection(host.strip("[]"), int(port))

    def _call(self, method, path, body=None, headers=None):
        self.conn.request(method, API_PREFIX + path, body=body, headers=headers or {})
        resp = self.conn.getresponse()
        return resp, resp.read()

    def next(self):
        resp, body = self._call("GET", "/invocation/next")
        if resp.status != 200:
            raise RuntimeError("Failed to get the next invocation: HTTP %d" % resp.status)
        return resp.headers, body

    def _post(self, path, data, headers):
        if isinstance(data, str):
            data = data.encode("utf-8")
        resp, body = self._call("POST", path, data, headers)
        if resp.status != 202:
            sys.stdout.write(
                "[ERROR] LAMBDA_RUNTIME Failed to post to %s. Http response code: %d. %s\n"
                % (path, resp.status, body.decode("utf-8", "replace"))
            )

    def post_result(self, invoke_id, data, content_type):
        self._post("/invocation/%s/response" % invoke_id, data, {"Content-Type": content_type})

    def post_error(self, invoke_id, error):
        self._post(
            "/invocation/%s/error" % invoke_id,
            to_json(error),
            {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": error["errorType"]},
        )

    def post_init_error(self, error):
        self._post(
            "/init/error",
            to_json(error),
            {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": error["errorType"]},
        )


# ---------------------------------------------------------------------------------------
# Handler, errors, context


def get_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException(FaultException.MALFORMED_HANDLER_NAME, "Bad handler '{}': {}".format(handler, str(e)))
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException(
                FaultException.BUILT_IN_MODULE_CONFLICT,
                "Cannot use built-in module {} as a handler module".format(modname),
            )
        m = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException(
            FaultException.IMPORT_MODULE_ERROR, "Unable to import module '{}': {}".format(modname, str(e))
        )
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException(
            FaultException.USER_CODE_SYNTAX_ERROR, "Syntax error in module '{}': {}".format(modname, str(e)), trace
        )
    try:
        return getattr(m, fname)
    except AttributeError:
        raise FaultException(
            FaultException.HANDLER_NOT_FOUND, "Handler '{}' missing on module '{}'".format(fname, modname), None
        )


def make_error(message, error_type, stack_trace, invoke_id=None):
    return {
        "errorMessage": message if message else "",
        "errorType": error_type if error_type else "",
        "requestId": invoke_id if invoke_id is not None else "",
        "stackTrace": stack_trace if stack_trace else [],
    }


def user_traceback(tb):
    """The traceback without the bootstrap's own frames."""
    frames = [(f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(tb)]
    for i, frame in enumerate(frames):
        if not frame[0].endswith("/bootstrap.py"):
            return frames[i:]
    return frames


def error_from_exception(exc_info, invoke_id=None):
    etype, value, tb = exc_info
    return make_error(str(value), etype.__name__, traceback.format_list(user_traceback(tb)), invoke_id)


def log_error(error):
    description = "[ERROR]"
    if error.get("errorType"):
        description += " " + error["errorType"]
    if error.get("errorMessage"):
        if error.get("errorType"):
            description += ":"
        description += " " + error["errorMessage"]
    lines = [description]
    stack = error.get("stackTrace")
    if stack is not None:
        lines.append("Traceback (most recent call last):")
        for element in stack:
            if element == "":
                lines.append("")
                continue
            for line in element.splitlines():
                stripped = line.lstrip(" ")
                lines.append(ERROR_INDENT * (len(line) - len(stripped)) + stripped)
    sys.stdout.write(ERROR_LINE_SEPARATOR.join(lines) + "\n")


class CognitoIdentity(object):
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]


class Client(object):
    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]


class ClientContext(object):
    __slots__ = ["custom", "env", "client"]


def obj_from_dict(cls, d):
    if d is None:
        return None
    obj = cls()
    for field in cls.__slots__:
        setattr(obj, field, d.get(field, None))
    return obj


class LambdaContext(object):
    def __init__(self, invoke_id, client_context, cognito_identity, deadline_ms, invoked_function_arn):
        self.aws_request_id = invoke_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoked_function_arn
        self.client_context = obj_from_dict(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = obj_from_dict(Client, self.client_context.client)
        self.identity = obj_from_dict(CognitoIdentity, {})
        if cognito_identity is not None:
            self.identity.cognito_identity_id = cognito_identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = cognito_identity.get("cognitoIdentityPoolId")
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        remaining = self._deadline_ms - int(time.time() * 1000)
        return remaining if remaining > 0 else 0

    def log(self, msg):
        sys.stdout.write(str(msg))

    def __repr__(self):
        return (
            "LambdaContext([aws_request_id={},log_group_name={},log_stream_name={},function_name={},"
            "memory_limit_in_mb={},function_version={},invoked_function_arn={},client_context={},identity={}])"
        ).format(
            self.aws_request_id,
            self.log_group_name,
            self.log_stream_name,
            self.function_name,
            self.memory_limit_in_mb,
            self.function_version,
            self.invoked_function_arn,
            self.client_context,
            self.identity,
        )


def parse_json_header(value, name):
    try:
        return json.loads(value)
    except Exception as e:
        raise FaultException(
            FaultException.LAMBDA_CONTEXT_UNMARSHAL_ERROR, "Unable to parse {} JSON: {}".format(name, str(e)), None
        )


# ---------------------------------------------------------------------------------------
# Logging: "[LEVEL]\t<time>Z\t<request id>\t<message>"

_request_id = None


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _request_id or ""
        return True


class StdoutHandler(logging.Handler):
    def emit(self, record):
        sys.stdout.write(self.format(record))


def setup_logging():
    logging.Formatter.converter = time.gmtime
    handler = StdoutHandler()
    if (os.environ.get("AWS_LAMBDA_LOG_FORMAT") or "").upper() == "JSON":

        class JsonFormatter(logging.Formatter):
            def format(self, record):
                out = {
                    "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created)),
                    "level": record.levelname,
                    "message": record.getMessage(),
                    "logger": record.name,
                    "requestId": getattr(record, "aws_request_id", ""),
                }
                return json.dumps(out, default=str) + "\n"

        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter(
                "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S"
            )
        )
    level = (os.environ.get("AWS_LAMBDA_LOG_LEVEL") or "").upper()
    if level in logging._nameToLevel:
        logging.getLogger().setLevel(level)
    handler.addFilter(RequestIdFilter())
    logging.getLogger().addHandler(handler)


# ---------------------------------------------------------------------------------------
# The invocation loop


def handle(client, request_handler, headers, body):
    invoke_id = headers.get("Lambda-Runtime-Aws-Request-Id")
    error = None
    try:
        client_context = headers.get("Lambda-Runtime-Client-Context")
        cognito_identity = headers.get("Lambda-Runtime-Cognito-Identity")
        context = LambdaContext(
            invoke_id,
            parse_json_header(client_context, "Client Context") if client_context else None,
            parse_json_header(cognito_identity, "Cognito Identity") if cognito_identity else None,
            int(headers.get("Lambda-Runtime-Deadline-Ms") or 0),
            headers.get("Lambda-Runtime-Invoked-Function-Arn"),
        )
        content_type = headers.get("Content-Type") or "application/json"
        if content_type == "application/json":
            try:
                event = json.loads(body)
            except Exception as e:
                raise FaultException(FaultException.UNMARSHAL_ERROR, "Unable to unmarshal input: {}".format(str(e)))
        else:
            event = body
        response = request_handler(event, context)
        if isinstance(response, bytes):
            result, result_type = response, "application/unknown"
        else:
            try:
                result, result_type = to_json(response), "application/json"
            except Exception as e:
                raise FaultException(FaultException.MARSHAL_ERROR, "Unable to marshal response: {}".format(str(e)))
    except FaultException as e:
        error = make_error(e.msg, e.exception_type, e.trace, invoke_id)
    except Exception:
        error = error_from_exception(sys.exc_info(), invoke_id)
    if error is not None:
        log_error(error)
        client.post_error(invoke_id, error)
    else:
        client.post_result(invoke_id, result, result_type)


def main():
    global _request_id
    sys.stdout = Unbuffered(sys.stdout)
    sys.stderr = Unbuffered(sys.stderr)
    # The function's code comes first on the path, in place of the bootstrap's directory.
    sys.path[0] = os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
    client = RuntimeClient(os.environ["AWS_LAMBDA_RUNTIME_API"])
    setup_logging()
    try:
        request_handler = get_handler(os.environ.get("_HANDLER", ""))
    except FaultException as e:
        error = make_error(e.msg, e.exception_type, e.trace)
        log_error(error)
        client.post_init_error(error)
        sys.exit(1)
    except Exception:
        error = error_from_exception(sys.exc_info())
        log_error(error)
        client.post_init_error(error)
        sys.exit(1)
    while True:
        headers, body = client.next()
        _request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        trace_id = headers.get("Lambda-Runtime-Trace-Id")
        if trace_id:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        handle(client, request_handler, headers, body)


if __name__ == "__main__":
    main()
