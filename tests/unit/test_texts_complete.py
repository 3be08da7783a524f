"""Every user-facing text in both languages: the same placeholders, each one renders with
sample values, tags close on the same line, one apostrophe in Ukrainian."""

from __future__ import annotations

import re
import string
from dataclasses import fields

import pytest

from esvitlo.domain.texts import bot_texts_for, power_texts_for, texts_for, web_texts_for
from esvitlo.domain.texts.admin_web import admin_web_texts_for
from esvitlo.domain.texts.feeds import feed_texts_for
from esvitlo.domain.texts.lookup import lookup_texts_for

KINDS = {
    "texts": texts_for,
    "bot": bot_texts_for,
    "power": power_texts_for,
    "web": web_texts_for,
    "lookup": lookup_texts_for,
    "feeds": feed_texts_for,
    "admin": admin_web_texts_for,
}
TAG = re.compile(r"</?([a-z]+)[^>]*>")
ALLOWED_TAGS = {"b", "i", "code", "pre", "a"}
BAD_APOSTROPHE = re.compile(r"[а-яіїєґА-ЯІЇЄҐ]['’][а-яіїєґА-ЯІЇЄҐ]")


def _strings(kind: str, lang: str) -> dict[str, str]:
    texts = KINDS[kind](lang)
    return {f.name: getattr(texts, f.name) for f in fields(texts) if f.type in ("str", str)}


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_both_languages_have_the_same_placeholders(kind):
    uk, en = _strings(kind, "uk"), _strings(kind, "en")
    assert uk.keys() == en.keys()
    differing = {name for name in uk if _placeholders(uk[name]) != _placeholders(en[name])}
    assert not differing, differing


@pytest.mark.parametrize("lang", ["uk", "en"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_text_renders_with_sample_values_and_closes_its_tags(kind, lang):
    for name, template in _strings(kind, lang).items():
        values = {key: f"<{key}>" for key in _placeholders(template)}
        template.format(**values)  # a KeyError or ValueError fails the test
        for line in template.split("\n"):
            opened = [t.group(1) for t in TAG.finditer(line) if not t.group(0).startswith("</")]
            closed = [t.group(1) for t in TAG.finditer(line) if t.group(0).startswith("</")]
            assert sorted(opened) == sorted(closed), (name, line)
            assert set(opened) <= ALLOWED_TAGS, (name, line)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_ukrainian_uses_one_apostrophe_and_one_word_for_a_heartbeat(kind):
    for name, text in _strings(kind, "uk").items():
        assert not BAD_APOSTROPHE.search(text), (name, text)
        assert "серцебит" not in text, name


def test_tuples_have_a_value_for_every_slot_in_both_languages():
    for kind, of in KINDS.items():
        uk, en = of("uk"), of("en")
        for field in fields(uk):
            value = getattr(uk, field.name)
            if isinstance(value, tuple):
                assert len(value) == len(getattr(en, field.name)), (kind, field.name)
                assert all(isinstance(v, str) and v for v in value), (kind, field.name)
