"""Decode Bot API request parameters from a query string, JSON, a form or multipart/form-data."""

import json
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from urllib.parse import parse_qsl

# Parameters that stay strings even when they look like JSON (a text "123" is not a number).
STRING_PARAMS = {
    "text",
    "caption",
    "parse_mode",
    "callback_query_id",
    "inline_message_id",
    "file_id",
    "language_code",
    "url",
    "secret_token",
    "ip_address",
    "action",
    "title",
    "description",
    "short_description",
    "business_connection_id",
    "message_effect_id",
}


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    data: bytes


class BodyError(ValueError):
    """The request body cannot be decoded."""


def decode_request(query: str, content_type: str, body: bytes) -> tuple[dict, dict[str, Upload]]:
    """Parameters and uploaded files of one request, typed as Telegram reads them."""
    params = {name: coerce(name, value) for name, value in parse_qsl(query)}
    uploads: dict[str, Upload] = {}
    media_type = content_type.split(";")[0].strip().lower()
    if media_type == "application/json" and body:
        try:
            decoded = json.loads(body)
        except ValueError as error:
            raise BodyError(f"can't parse JSON: {error}") from error
        if not isinstance(decoded, dict):
            raise BodyError("JSON body must be an object")
        params.update(decoded)
        if isinstance(params.get("chat_id"), str):
            params["chat_id"] = coerce("chat_id", params["chat_id"])
    elif media_type == "application/x-www-form-urlencoded":
        fields = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        params.update((name, coerce(name, value)) for name, value in fields)
    elif media_type == "multipart/form-data":
        fields, uploads = _multipart(content_type, body)
        params.update((name, coerce(name, value)) for name, value in fields.items())
    return params, uploads


def coerce(name: str, value: str):
    """A form value as the typed value Telegram reads: JSON for objects, numbers and flags."""
    if name in STRING_PARAMS:
        return value
    if name == "chat_id":
        return int(value) if value.lstrip("-").isdigit() else value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _multipart(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, Upload]]:
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise BodyError("malformed multipart body")
    fields: dict[str, str] = {}
    uploads: dict[str, Upload] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is None:
            fields[name] = data.decode("utf-8", "replace")
        else:
            uploads[name] = Upload(filename, part.get_content_type(), data)
    return fields, uploads
