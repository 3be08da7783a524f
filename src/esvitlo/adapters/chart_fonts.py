"""What the Pillow charts share: the bundled DejaVu fonts, loaded once per size, and PNG output.

Fonts are read from the package data (no system fonts), so images look the same everywhere.
"""

from __future__ import annotations

import io
from functools import cache
from importlib import resources

from PIL import Image, ImageFont

FONT_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}
COMPRESS_LEVEL = 1  # zlib: ~2 ms faster than 6 for ~20% more bytes; Telegram re-encodes photos


@cache
def _font_bytes(bold: bool) -> bytes:
    """The bundled font file's bytes, read once."""
    path = resources.files("esvitlo").joinpath("data", "fonts", FONT_FILES[bold])
    return path.read_bytes()


@cache
def load_font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu Sans (or Sans Bold) at a pixel size, loaded once per size."""
    data = io.BytesIO(_font_bytes(bold))
    return ImageFont.truetype(data, size, layout_engine=ImageFont.Layout.BASIC)


def fitted_font(text: str, size: int, width: float, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The largest font up to ``size`` (at least 10 px) in which ``text`` fits ``width``."""
    font = load_font(size, bold)
    while size > 10 and font.getlength(text) > width:
        size -= 1
        font = load_font(size, bold)
    return font


def png_bytes(image: Image.Image, compress_level: int = COMPRESS_LEVEL) -> bytes:
    """The image encoded as PNG."""
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=compress_level)
    return out.getvalue()
