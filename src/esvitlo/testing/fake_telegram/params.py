"""Bot API parameters from JSON, form-urlencoded or multipart bodies, with typed access."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, MultipartReader, web

from .errors import bad_request


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    data: bytes


class Params:
    """The parameters of one call: plain values plus uploaded files by part name."""

    def __init__(self, values: dict[str, Any], files: dict[str, Upload] | None = None) -> None:
        self.values = values
        self.files = files or {}

    def record(self) -> dict[str, Any]:
        """The parameters as the call log keeps them (uploads reduced to name and size)."""
        recorded = {name: self._decoded(name) for name in self.values}
        for name, upload in self.files.items():
            recorded[name] = {"upload": upload.filename, "size": len(upload.data)}
        return recorded

    def _decoded(self, name: str) -> Any:
        value = self.values[name]
        if isinstance(value, str) and value[:1] in ("{", "["):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def has(self, name: str) -> bool:
        """Whether the parameter was sent."""
        return self.values.get(name) not in (None, "")

    def text(self, name: str, default: str | None = None) -> str | None:
        """A string parameter (numbers are turned into their text)."""
        value = self.values.get(name)
        if value is None:
            return default
        return value if isinstance(value, str) else json.dumps(value)

    def required_str(self, name: str) -> str:
        """A string parameter that must be present and non-empty."""
        value = self.text(name)
        if not value:
            raise bad_request(f"{name} is empty")
        return value

    def integer(self, name: str, default: int | None = None) -> int | None:
        """An integer parameter; 400 when it is not a number."""
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            raise bad_request(f"invalid {name} specified")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def required_int(self, name: str) -> int:
        """An integer parameter that must be present."""
        value = self.integer(name)
        if value is None:
            raise bad_request(f"{name} is empty")
        return value

    def flag(self, name: str) -> bool:
        """A boolean parameter (``true``/``1`` in forms)."""
        value = self.values.get(name)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def structured(self, name: str, what: str = "JSON object") -> Any:
        """A structured parameter sent as JSON text in forms or as a value in JSON bodies."""
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        if value == "":
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {what}") from None

    def chat_ref(self, name: str = "chat_id") -> int | str:
        """A chat id or ``@username``."""
        value = self.values.get(name)
        if value is None or value == "":
            raise bad_request(f"{name} is empty")
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value)
        try:
            return int(text)
        except ValueError:
            return text


async def read_params(request: web.Request) -> Params:
    """Collects query, JSON, urlencoded and multipart parameters of a Bot API request."""
    values: dict[str, Any] = dict(request.query)
    files: dict[str, Upload] = {}
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON request body") from None
        if isinstance(body, dict):
            values.update(body)
    elif request.content_type == "multipart/form-data":
        multipart = await read_multipart(await request.multipart())
        values.update(multipart.values)
        files.update(multipart.files)
    elif request.can_read_body:
        values.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
    return Params(values, files)


async def read_multipart(reader: MultipartReader) -> Params:
    """Collects the fields and file parts of a multipart/form-data body."""
    values: dict[str, Any] = {}
    files: dict[str, Upload] = {}
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader) or part.name is None:
            continue
        data = bytes(await part.read())
        if part.filename is not None:
            content_type = part.headers.get("Content-Type", "application/octet-stream")
            files[part.name] = Upload(part.filename, content_type, data)
        else:
            values[part.name] = data.decode("utf-8", errors="replace")
    return Params(values, files)
