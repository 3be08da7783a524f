"""Fault injection, flood limits and what happened: the test-facing half of the controls."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from .faults import Fault, Faults
from .limits import Limits
from .state import Call, CallbackQuery, Chat, Message, World


class Harness:
    """Scripted faults, limits and queries over the record of a fake Telegram."""

    world: World
    faults: Faults

    def _chat(self, chat_id: int) -> Chat:
        chat = self.world.find_chat(chat_id)
        if chat is None:
            raise KeyError(f"unknown chat {chat_id}")
        return chat

    # faults and limits

    def fail(
        self,
        method: str | None = None,
        status: int = 500,
        description: str | None = None,
        *,
        times: int | None = 1,
        retry_after: int | None = None,
    ) -> None:
        """The next ``times`` calls of ``method`` (None: any; times None: until reset) answer
        ``status`` with ``description`` instead of their result."""
        self.faults.add(Fault(method, status, description, times, retry_after))

    def drop_connection(self, method: str | None = None, *, times: int | None = 1) -> None:
        """The next ``times`` calls of ``method`` get their connection closed without answer."""
        self.faults.add(Fault(method, times=times, drop=True))

    def set_latency(self, seconds: float, method: str | None = None) -> None:
        """Every call of ``method`` (None: all) waits ``seconds`` first; 0 removes it."""
        self.faults.set_latency(seconds, method)

    def set_limits(self, limits: Limits) -> None:
        """Switches to other flood limits (``Limits(enabled=False)`` turns them off)."""
        self.world.limiter.reset(limits)

    # what happened

    def calls(self, method: str | None = None) -> list[Call]:
        """Every Bot API call so far (of ``method`` only, when given), oldest first."""
        name = method.lower() if method else None
        return [c for c in self.world.calls if name is None or c.method.lower() == name]

    def messages_to(self, chat_id: int, *, include_deleted: bool = False) -> list[Message]:
        """The bot's messages in a chat as they are now, oldest first."""
        chat = self._chat(chat_id)
        return [
            m
            for m in chat.messages.values()
            if m.sender_id == self.world.bot.id and (include_deleted or not m.deleted)
        ]

    def unanswered_callbacks(self) -> list[CallbackQuery]:
        """Button presses the bot has not answered with answerCallbackQuery."""
        return [q for q in self.world.callbacks.values() if not q.answered]

    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by the bot."""
        return [u.to_json() for u in self.world.updates.pending()]

    def my_commands(self, scope: str = "default", language_code: str = "") -> list[dict[str, Any]]:
        """The commands set with setMyCommands for a scope (e.g. "default", "all_private_chats")."""
        return self.world.commands.get((scope, language_code), [])

    async def wait_until(self, condition: Callable[[], object], within: float = 2.0) -> None:
        """Waits until ``condition()`` is true; TimeoutError after ``within`` seconds."""
        async with asyncio.timeout(within):
            while True:
                if condition():
                    return
                await asyncio.sleep(0.005)

    async def wait_for_message(
        self,
        chat_id: int,
        predicate: Callable[[Message], bool] | None = None,
        within: float = 2.0,
    ) -> Message:
        """Waits until the bot has a message in the chat that matches; TimeoutError if not."""
        async with asyncio.timeout(within):
            while True:
                found = [m for m in self.messages_to(chat_id) if predicate is None or predicate(m)]
                if found:
                    return found[-1]
                await asyncio.sleep(0.005)
