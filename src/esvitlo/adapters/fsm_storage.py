"""aiogram FSM storage kept in the database (embedded mode): wizard state survives restarts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from esvitlo.domain.accounts import conversation_key
from esvitlo.ports import ConversationStore


def storage_key(key: StorageKey) -> str:
    """One string per (bot, chat, user, thread, business connection, destiny)."""
    return conversation_key(
        key.bot_id,
        key.chat_id,
        key.user_id,
        thread_id=key.thread_id,
        business_connection_id=key.business_connection_id,
        destiny=key.destiny,
    )


class ConversationFsmStorage(BaseStorage):
    """Adapts the ConversationStore port to aiogram's BaseStorage."""

    def __init__(self, store: ConversationStore) -> None:
        self._store = store

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        """Store the state name (None clears it)."""
        name = state.state if isinstance(state, State) else state
        await self._store.set_state(storage_key(key), name)

    async def get_state(self, key: StorageKey) -> str | None:
        """The stored state name."""
        state, _ = await self._store.get(storage_key(key))
        return state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        """Replace the stored data."""
        await self._store.set_data(storage_key(key), dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        """The stored data (empty when none)."""
        _, data = await self._store.get(storage_key(key))
        return dict(data)

    async def close(self) -> None:
        """Nothing to close: the engine belongs to the application."""
