"""Photos: reading image sizes, storing uploads under file_ids, resolving the photo parameter."""

from __future__ import annotations

import struct
import zlib
from typing import Any

from .errors import bad_request
from .params import Params, Upload
from .state import StoredFile, World

MAX_PHOTO_BYTES = 10 * 1024 * 1024
SIZE_BOUNDS = (("s", 90), ("m", 320), ("x", 800), ("y", 1280), ("w", 2560))


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF or JPEG image, or None when it is none of them."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    pos = 2
    while pos + 9 < len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return int(width), int(height)
        pos += 2 + int(length)
    return None


def _sizes(serial: int, width: int, height: int, size: int) -> list[dict[str, Any]]:
    """PhotoSize objects like Telegram's: scaled copies up to the original's size."""
    sizes: list[dict[str, Any]] = []
    longest = max(width, height)
    for letter, bound in SIZE_BOUNDS:
        scale = min(1.0, bound / longest)
        entry = {
            "file_id": f"AgACAgIAAxkBAAI{serial:08d}{letter}FakeTelegramPhoto",
            "file_unique_id": f"AQAD{serial:08d}{letter}",
            "file_size": max(1, int(size * scale * scale)),
            "width": max(1, round(width * scale)),
            "height": max(1, round(height * scale)),
        }
        sizes.append(entry)
        if scale == 1.0:
            break
    return sizes


def store_photo(world: World, upload: Upload) -> list[dict[str, Any]]:
    """Keeps an uploaded image and returns its PhotoSize list; 400 for what is no image."""
    if len(upload.data) > MAX_PHOTO_BYTES:
        raise bad_request("file is too big")
    dimensions = image_size(upload.data)
    if dimensions is None:
        raise bad_request("IMAGE_PROCESS_FAILED")
    width, height = dimensions
    if (
        width <= 0
        or height <= 0
        or width + height > 10_000
        or max(width, height) > 20 * min(width, height)
    ):
        raise bad_request("PHOTO_INVALID_DIMENSIONS")
    serial = world.serial()
    sizes = _sizes(serial, width, height, len(upload.data))
    stored = StoredFile(
        file_id=sizes[-1]["file_id"],
        file_unique_id=sizes[-1]["file_unique_id"],
        data=upload.data,
        sizes=sizes,
        path=f"photos/file_{serial}.{_extension(upload.data)}",
    )
    for size in sizes:
        world.files[size["file_id"]] = stored
    return sizes


def _extension(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "png"
    return "gif" if data.startswith(b"GIF") else "jpg"


def resolve_photo(world: World, params: Params) -> list[dict[str, Any]]:
    """The photo of a sendPhoto call: an upload (attach:// or a ``photo`` part) or a file_id."""
    value = params.text("photo")
    if value and value.startswith("attach://"):
        upload = params.files.get(value.removeprefix("attach://"))
        if upload is None:
            raise bad_request("there is no photo in the request")
        return store_photo(world, upload)
    if "photo" in params.files:
        return store_photo(world, params.files["photo"])
    if not value:
        raise bad_request("there is no photo in the request")
    if value.startswith(("http://", "https://")):
        raise bad_request("failed to get HTTP URL content")
    stored = world.files.get(value)
    if stored is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    return stored.sizes


def make_png(width: int = 1, height: int = 1) -> bytes:
    """A valid grey PNG image of the given size, for tests and demos."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", header),
            chunk(b"IDAT", zlib.compress(rows)),
            chunk(b"IEND", b""),
        )
    )
