"""The API's errors, all as JSON ``{"error": {"code": ..., "message": ...}}`` with the
message in the requested language."""
from __future__ import annotations

from flask import Response, current_app, jsonify
from flask_limiter.errors import RateLimitExceeded
from werkzeug.exceptions import HTTPException

from dashboard.i18n import gettext as _


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def bad_parameter(message: str) -> ApiError:
    return ApiError(400, "bad_parameter", message)


def not_found() -> ApiError:
    return ApiError(404, "not_found", _("There is nothing at this address."))


def unauthorized() -> ApiError:
    return ApiError(401, "unauthorized", _("The API token is unknown, expired or revoked."))


def error_response(status: int, code: str, message: str) -> Response:
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    response.headers["Cache-Control"] = "private, no-store"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def from_api_error(error: ApiError) -> Response:
    return error_response(error.status, error.code, error.message)


def from_http_exception(error: HTTPException) -> Response:
    if isinstance(error, RateLimitExceeded):
        response = error_response(429, "rate_limited", _("Too many requests: please wait a minute and try again."))
        if error.retry_after:
            response.headers["Retry-After"] = str(int(error.retry_after))
        return response
    code, message = {
        404: ("not_found", _("There is nothing at this address.")),
        405: ("method_not_allowed", _("The API only answers GET requests.")),
    }.get(error.code or 500, ("bad_request", _("The request could not be understood.")))
    return error_response(error.code or 500, code, message)


def from_exception(error: Exception) -> Response:
    current_app.logger.exception("API request failed", exc_info=error)
    return error_response(500, "server_error", _("Something went wrong on the server; it has been logged."))
