"""Callback data from clients is untrusted: every parser either reads a button of ours with
ids the database can hold, or says "not this button" (which ends in "out of date")."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, User
from hypothesis import given
from hypothesis import strategies as st

from esvitlo.bot import callbacks
from esvitlo.bot.callbacks import MAX_ID, ChannelAct, PowerAct

CLASSES = sorted(
    (
        cls
        for _, cls in inspect.getmembers(callbacks, inspect.isclass)
        if issubclass(cls, CallbackData) and cls is not CallbackData
    ),
    key=lambda cls: cls.__name__,
)
INT_FIELDS = [
    (cls, name)
    for cls in CLASSES
    for name, field in cls.model_fields.items()
    if field.annotation is int
]
SIGNED = {(ChannelAct, "chat")}  # chat ids of groups and channels are negative


def outcome(cls: type[CallbackData], data: str) -> CallbackData | None:
    """What aiogram's filter makes of ``data``: the parsed button, or None (not ours)."""
    query = CallbackQuery(
        id="1", from_user=User(id=1, is_bot=False, first_name="U"), chat_instance="1", data=data
    )
    found: Any = asyncio.run(cls.filter()(query))  # any exception but "no" fails the test
    if found is False:
        return None
    assert isinstance(found, dict) and isinstance(found["callback_data"], cls)
    return found["callback_data"]


def within_bounds(value: CallbackData) -> bool:
    """Every number fits a BIGINT and only a chat id may be negative."""
    for name, number in value.model_dump().items():
        if isinstance(number, int) and not isinstance(number, bool):
            low = -MAX_ID - 1 if (type(value), name) in SIGNED else 0
            if not low <= number <= MAX_ID:
                return False
    return True


def test_every_callback_class_is_covered():
    names = {cls.__name__ for cls in CLASSES}
    assert {"Nav", "Address", "ChannelAct", "PowerAct", "Forget", "RegionPage"} <= names
    assert INT_FIELDS, "the int fields are found by their annotation"


_part = st.one_of(
    st.text(max_size=12),
    st.integers().map(str),
    st.integers(min_value=2**63 - 3, max_value=2**70).map(str),
    st.integers(min_value=-(2**70), max_value=-1).map(str),
    st.sampled_from(["", " 7", "+5", "1_0", "5.0", "1e3", "0x10", "٣", "NaN", "∞"]),
)


@given(cls=st.sampled_from(CLASSES), parts=st.lists(_part, max_size=6))
def test_any_data_with_our_prefix_is_read_in_bounds_or_refused(cls, parts):
    value = outcome(cls, ":".join([cls.__prefix__, *parts]))
    assert value is None or within_bounds(value)


@given(cls=st.sampled_from(CLASSES), data=st.text(max_size=64))
def test_any_string_is_read_in_bounds_or_refused(cls, data):
    value = outcome(cls, data)
    assert value is None or within_bounds(value)


def _packed(cls: type[CallbackData], field: str, number: int) -> str:
    """A button of ``cls`` as ours would pack it, with ``field`` set to ``number``."""
    fields = cls.model_fields
    values = ["0" if f.annotation is int else "x" for f in fields.values()]
    values[list(fields).index(field)] = str(number)
    return ":".join([cls.__prefix__, *values])


@pytest.mark.parametrize(
    ("cls", "field"), INT_FIELDS, ids=[f"{c.__name__}.{f}" for c, f in INT_FIELDS]
)
@given(
    big=st.integers(min_value=MAX_ID + 1, max_value=10**40),
    negative=st.integers(min_value=-(10**40), max_value=-1),
)
def test_ids_beyond_64_bits_or_negative_are_refused(cls, field, big, negative):
    assert outcome(cls, _packed(cls, field, big)) is None
    if (cls, field) in SIGNED:
        assert outcome(cls, _packed(cls, field, -MAX_ID - 2 - (big - MAX_ID - 1))) is None
    else:
        assert outcome(cls, _packed(cls, field, negative)) is None


def test_the_buttons_we_make_still_read_back():
    for button in (
        PowerAct(action="open", mon=MAX_ID),
        PowerAct(action="beat", sub=12, n=300),
        ChannelAct(action="link", chat=-1001234567890, sub=3),
        callbacks.Forget(step=3),
        callbacks.Lead(edge="off", minutes=60),
        callbacks.QueuePage(region="kyiv", page=4),
    ):
        assert outcome(type(button), button.pack()) == button
