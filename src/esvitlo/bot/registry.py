"""Feature routers declared once at import time and built fresh for every Dispatcher.

aiogram lets a Router belong to one Dispatcher only; a service that restarts in the same
process (and the tests that do so) needs new Router objects each time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import CallbackType

Registration = tuple[str, CallbackType, tuple[Any, ...], dict[str, Any]]


class RouterSpec:
    """Records handler registrations (``@spec.message(...)`` etc.) and builds Routers."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._handlers: list[Registration] = []
        self._filters: list[tuple[str, tuple[Any, ...]]] = []

    def _decorator(
        self, observer: str, *filters: Any, **kwargs: Any
    ) -> Callable[[CallbackType], CallbackType]:
        def register(callback: CallbackType) -> CallbackType:
            self._handlers.append((observer, callback, filters, kwargs))
            return callback

        return register

    def message(self, *filters: Any, **kwargs: Any) -> Callable[[CallbackType], CallbackType]:
        """Register a message handler."""
        return self._decorator("message", *filters, **kwargs)

    def callback_query(
        self, *filters: Any, **kwargs: Any
    ) -> Callable[[CallbackType], CallbackType]:
        """Register a callback query handler."""
        return self._decorator("callback_query", *filters, **kwargs)

    def my_chat_member(
        self, *filters: Any, **kwargs: Any
    ) -> Callable[[CallbackType], CallbackType]:
        """Register a handler of changes to the bot's own membership in a chat."""
        return self._decorator("my_chat_member", *filters, **kwargs)

    def filter(self, observer: str, *filters: Any) -> None:
        """Apply filters to every handler of one observer of this router."""
        self._filters.append((observer, filters))

    def build(self) -> Router:
        """A new Router with every recorded handler and filter."""
        router = Router(name=self.name)
        for observer, filters in self._filters:
            getattr(router, observer).filter(*filters)
        for observer, callback, filters, kwargs in self._handlers:
            getattr(router, observer).register(callback, *filters, **kwargs)
        return router
