"""Telegram's parse_mode=HTML: allowed tags, balance, entity decoding and length limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError, bad_request

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024

_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACES = " \t\r\n\v\f"


@dataclass(frozen=True)
class Formatted:
    """Text as Telegram stores it: plain characters plus entities in UTF-16 offsets."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Open:
    tag: str
    argument: str
    offset: int  # UTF-16 units into the result
    byte_pos: int


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _parse_error(reason: str) -> ApiError:
    return bad_request(f"can't parse entities: {reason}")


def _decode_entity(src: str, pos: int) -> tuple[str, int] | None:
    """The character an ``&...`` reference at ``pos`` stands for and where it ends, or None."""
    end = pos + 1
    if src.startswith("&#", pos):
        end += 1
        hexa = src.startswith("x", end)
        end += hexa
        digits_start = end
        allowed = "0123456789abcdefABCDEF" if hexa else "0123456789"
        while end < len(src) and src[end] in allowed:
            end += 1
        if end == digits_start or end - pos > 10:
            return None
        code = int(src[digits_start:end], 16 if hexa else 10)
        if code == 0 or code > 0x10FFFF:
            return None
        char = chr(code)
    else:
        while end < len(src) and src[end].isascii() and src[end].isalpha():
            end += 1
        named = _NAMED.get(src[pos + 1 : end])
        if named is None:
            return None
        char = named
    return char, end + 1 if src.startswith(";", end) else end


def _byte_offset(src: str, pos: int) -> int:
    return len(src[:pos].encode())


def _read_attributes(src: str, pos: int, tag: str, begin: int) -> tuple[str, int]:
    """Reads attributes up to ``>``; returns the tag's argument and the position of ``>``."""
    argument = ""
    where = f"at byte offset {_byte_offset(src, begin)}"
    while True:
        while pos < len(src) and src[pos] in _SPACES:
            pos += 1
        if pos >= len(src):
            raise _parse_error(f"Unclosed start tag {where}")
        if src[pos] == ">":
            return argument, pos
        name_start = pos
        while pos < len(src) and src[pos] not in _SPACES and src[pos] not in "=>":
            pos += 1
        name = src[name_start:pos]
        if not name:
            raise _parse_error(f'Empty attribute name in the tag "{tag}" {where}')
        while pos < len(src) and src[pos] in _SPACES:
            pos += 1
        if pos >= len(src):
            raise _parse_error(f"Unclosed start tag {where}")
        if src[pos] != "=":
            if tag == "blockquote" and name == "expandable":
                argument = "expandable"
                continue
            raise _parse_error(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" {where}'
            )
        pos += 1
        while pos < len(src) and src[pos] in _SPACES:
            pos += 1
        if pos >= len(src):
            raise _parse_error(f"Unclosed start tag {where}")
        value, pos = _read_value(src, pos)
        if pos >= len(src):
            raise _parse_error(f"Unclosed start tag {where}")
        if (tag == "a" and name == "href") or (tag == "tg-emoji" and name == "emoji-id"):
            argument = value
        elif tag == "span" and name == "class" and value.startswith("tg-"):
            argument = value[3:]
        elif tag == "code" and name == "class" and value.startswith("language-"):
            argument = value[len("language-") :]


def _read_value(src: str, pos: int) -> tuple[str, int]:
    """An attribute value (quoted, or a name token) starting at ``pos`` and where it ends."""
    if src[pos] not in "'\"":
        start = pos
        while pos < len(src) and ((src[pos].isascii() and src[pos].isalnum()) or src[pos] in ".-"):
            pos += 1
        if pos < len(src) and src[pos] not in _SPACES and src[pos] != ">":
            raise _parse_error(
                f"Unexpected end of name token at byte offset {_byte_offset(src, start)}"
            )
        return src[start:pos].lower(), pos
    quote = src[pos]
    pos += 1
    value: list[str] = []
    while pos < len(src) and src[pos] != quote:
        decoded = _decode_entity(src, pos) if src[pos] == "&" else None
        if decoded is None:
            value.append(src[pos])
            pos += 1
        else:
            value.append(decoded[0])
            pos = decoded[1]
    return "".join(value), pos + 1 if pos < len(src) else pos


def _entity(opened: _Open, end: int) -> dict[str, Any]:
    entity: dict[str, Any] = {
        "type": _ENTITY_TYPES[opened.tag],
        "offset": opened.offset,
        "length": end - opened.offset,
    }
    if opened.tag == "a":
        entity["url"] = opened.argument
    elif opened.tag == "tg-emoji":
        entity["custom_emoji_id"] = opened.argument
    elif opened.tag == "blockquote" and opened.argument:
        entity["type"] = "expandable_blockquote"
    elif opened.tag == "code" and opened.argument:
        entity["language"] = opened.argument
    return entity


@dataclass
class _Output:
    """The text parsed so far, its UTF-16 length, open tags and finished entities."""

    chars: list[str] = field(default_factory=list)
    length: int = 0
    stack: list[_Open] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)

    def add(self, char: str) -> None:
        """Appends one character of text."""
        self.chars.append(char)
        self.length += _utf16(char)


def _open_tag(src: str, begin: int, out: _Output) -> int:
    """Reads a start tag at ``begin``; returns the position of its ``>``."""
    name_end = begin + 1
    while name_end < len(src) and src[name_end] not in _SPACES and src[name_end] != ">":
        name_end += 1
    tag = src[begin + 1 : name_end].lower()
    where = f"at byte offset {_byte_offset(src, begin)}"
    if tag not in _ENTITY_TYPES:
        raise _parse_error(f'Unsupported start tag "{tag}" {where}')
    argument, pos = _read_attributes(src, name_end, tag, begin)
    if tag == "span" and argument != "spoiler":
        raise _parse_error(f'Tag "span" must have class "tg-spoiler" {where}')
    out.stack.append(_Open(tag, argument, out.length, begin))
    return pos


def _close_tag(src: str, begin: int, out: _Output) -> int:
    """Reads an end tag at ``begin`` (``</>`` closes any); returns the position of its ``>``."""
    where = f"at byte offset {_byte_offset(src, begin)}"
    if not out.stack:
        raise _parse_error(f"Unexpected end tag {where}")
    close = src.find(">", begin)
    if close < 0:
        raise _parse_error(f"Unclosed end tag {where}")
    name = src[begin + 2 : close].strip(_SPACES).lower()
    opened = out.stack[-1]
    if name and name != opened.tag:
        raise _parse_error(
            f'Unmatched end tag {where}, expected "</{opened.tag}>", found "</{name}>"'
        )
    out.stack.pop()
    if out.length > opened.offset:
        out.entities.append(_entity(opened, out.length))
    return close


def parse_html(src: str) -> tuple[Formatted, bool]:
    """Parses Telegram HTML into text and entities; also tells whether any tag was seen."""
    out = _Output()
    saw_tag = False
    pos = 0
    while pos < len(src):
        if src[pos] == "&" and (decoded := _decode_entity(src, pos)) is not None:
            out.add(decoded[0])
            pos = decoded[1]
        elif src[pos] != "<":
            out.add(src[pos])
            pos += 1
        else:
            saw_tag = True
            closing = src.startswith("/", pos + 1)
            pos = (_close_tag if closing else _open_tag)(src, pos, out) + 1
    if out.stack:
        raise _parse_error(f'Can\'t find end tag corresponding to start tag "{out.stack[-1].tag}"')
    entities = sorted(out.entities, key=lambda e: e["offset"])
    return Formatted("".join(out.chars), entities), saw_tag


def _strip(formatted: Formatted) -> Formatted:
    """Drops leading and trailing whitespace, moving and clipping entities to match."""
    text = formatted.text
    body = text.strip()
    if body == text:
        return formatted
    lead = _utf16(text[: len(text) - len(text.lstrip())])
    end = lead + _utf16(body)
    entities = []
    for entity in formatted.entities:
        start = max(entity["offset"], lead)
        stop = min(entity["offset"] + entity["length"], end)
        if stop > start:
            entities.append({**entity, "offset": start - lead, "length": stop - start})
    return Formatted(body, entities)


def format_text(src: str | None, parse_mode: str | None, *, caption: bool = False) -> Formatted:
    """Validates a message text (or caption) the way Telegram does and returns its content."""
    saw_tag = False
    mode = (parse_mode or "").lower()
    if not src:
        formatted = Formatted("")
    elif mode == "html":
        formatted, saw_tag = parse_html(src)
    elif mode in ("", "markdown", "markdownv2"):
        formatted = Formatted(src)
    else:
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    formatted = _strip(formatted)
    if caption:
        if len(formatted.text) > CAPTION_LIMIT:
            raise bad_request("message caption is too long")
        return formatted
    if not formatted.text:
        raise bad_request("text must be non-empty" if saw_tag else "message text is empty")
    if len(formatted.text) > TEXT_LIMIT:
        raise bad_request("message is too long")
    return formatted
