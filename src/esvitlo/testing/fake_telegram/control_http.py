"""The control API over HTTP: JSON endpoints under /_control for tests in other processes."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .faults import Fault
from .limits import Limits
from .state import Chat

if TYPE_CHECKING:
    from .server import FakeTelegram

Endpoint = Callable[[dict[str, Any], web.Request], Awaitable[Any]]


def chat_view(fake: FakeTelegram, chat: Chat) -> dict[str, Any]:
    """A chat as the control API shows it: identity, state and the bot's membership."""
    membership = fake.world.bot_status(chat)
    return {
        "id": chat.id,
        "kind": chat.kind,
        "title": chat.title,
        "first_name": chat.first_name,
        "username": chat.username,
        "state": chat.state,
        "migrate_to_chat_id": chat.migrate_to,
        "bot_status": membership.status,
        "bot_rights": membership.rights,
    }


def _wrap(endpoint: Endpoint) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def handle(request: web.Request) -> web.StreamResponse:
        body: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            try:
                posted = await request.json()
            except ValueError:
                return web.json_response({"ok": False, "error": "body is not JSON"}, status=400)
            if isinstance(posted, dict):
                body.update(posted)
        try:
            result = await endpoint(body, request)
        except (KeyError, ValueError, TypeError) as error:
            return web.json_response({"ok": False, "error": str(error)}, status=400)
        return web.json_response({"ok": True, "result": result})

    return handle


def _flag(value: Any) -> bool:
    return value in (True, 1, "1", "true", "yes")


def control_routes(fake: FakeTelegram) -> list[web.RouteDef]:
    """The /_control routes acting on ``fake``."""

    def chat_id(request: web.Request) -> int:
        return int(request.match_info["chat_id"])

    async def state(body: dict[str, Any], request: web.Request) -> Any:
        world = fake.world
        return {
            "base_url": fake.base_url,
            "token": fake.token,
            "bot": dataclasses.asdict(world.bot),
            "users": [dataclasses.asdict(u) for u in world.users.values() if not u.is_bot],
            "chats": [chat_view(fake, c) for c in world.chats.values()],
            "pending_updates": len(world.updates.pending()),
            "webhook": world.webhook.info(),
            "limits": dataclasses.asdict(world.limiter.limits),
        }

    async def reset(body: dict[str, Any], request: web.Request) -> Any:
        await fake.reset()
        return True

    async def users(body: dict[str, Any], request: web.Request) -> Any:
        return dataclasses.asdict(fake.create_user(**body))

    async def chats(body: dict[str, Any], request: web.Request) -> Any:
        return chat_view(fake, fake.create_chat(**body))

    async def chat_state(body: dict[str, Any], request: web.Request) -> Any:
        return chat_view(fake, fake.set_chat_state(chat_id(request), **body))

    async def bot_member(body: dict[str, Any], request: web.Request) -> Any:
        fake.set_bot_member(chat_id(request), **body)
        return chat_view(fake, fake.world.chats[chat_id(request)])

    async def member(body: dict[str, Any], request: web.Request) -> Any:
        fake.set_member(chat_id(request), int(body["user_id"]), body["status"])
        return True

    async def messages(body: dict[str, Any], request: web.Request) -> Any:
        found = fake.messages_to(
            chat_id(request), include_deleted=_flag(body.get("include_deleted"))
        )
        return [dataclasses.asdict(m) for m in found]

    async def user_message(body: dict[str, Any], request: web.Request) -> Any:
        return fake.send_user_message(**body)

    async def press(body: dict[str, Any], request: web.Request) -> Any:
        return {"callback_query_id": fake.press_button(**body)}

    async def callbacks(body: dict[str, Any], request: web.Request) -> Any:
        every = fake.world.callbacks.values()
        chosen = fake.unanswered_callbacks() if _flag(body.get("unanswered")) else every
        return [dataclasses.asdict(q) for q in chosen]

    async def calls(body: dict[str, Any], request: web.Request) -> Any:
        return [dataclasses.asdict(c) for c in fake.calls(body.get("method"))]

    async def updates(body: dict[str, Any], request: web.Request) -> Any:
        return fake.pending_updates()

    async def faults(body: dict[str, Any], request: web.Request) -> Any:
        fake.faults.add(Fault(**body))
        return True

    async def latency(body: dict[str, Any], request: web.Request) -> Any:
        fake.set_latency(float(body["seconds"]), body.get("method"))
        return True

    async def limits(body: dict[str, Any], request: web.Request) -> Any:
        fake.set_limits(Limits(**body))
        return dataclasses.asdict(fake.world.limiter.limits)

    async def commands(body: dict[str, Any], request: web.Request) -> Any:
        return fake.my_commands(body.get("scope", "default"), body.get("language_code", ""))

    prefix = "/_control"
    return [
        web.get(f"{prefix}/state", _wrap(state)),
        web.post(f"{prefix}/reset", _wrap(reset)),
        web.post(f"{prefix}/users", _wrap(users)),
        web.post(f"{prefix}/chats", _wrap(chats)),
        web.post(prefix + "/chats/{chat_id}/state", _wrap(chat_state)),
        web.post(prefix + "/chats/{chat_id}/bot_member", _wrap(bot_member)),
        web.post(prefix + "/chats/{chat_id}/members", _wrap(member)),
        web.get(prefix + "/chats/{chat_id}/messages", _wrap(messages)),
        web.post(f"{prefix}/messages", _wrap(user_message)),
        web.post(f"{prefix}/callbacks", _wrap(press)),
        web.get(f"{prefix}/callbacks", _wrap(callbacks)),
        web.get(f"{prefix}/calls", _wrap(calls)),
        web.get(f"{prefix}/updates", _wrap(updates)),
        web.post(f"{prefix}/faults", _wrap(faults)),
        web.post(f"{prefix}/latency", _wrap(latency)),
        web.post(f"{prefix}/limits", _wrap(limits)),
        web.get(f"{prefix}/commands", _wrap(commands)),
    ]
