"""A fake Telegram Bot API server that real clients (aiogram) talk to over HTTP.

Use it in-process (``async with FakeTelegram() as fake``) or standalone
(``python -m esvitlo.testing.fake_telegram --port 8081``).
"""

from .errors import ApiError
from .faults import Fault
from .limits import Limits
from .photos import make_png
from .server import DEFAULT_TOKEN, FakeTelegram
from .standalone import main
from .state import Call, CallbackQuery, Chat, Message, User

__all__ = [
    "DEFAULT_TOKEN",
    "ApiError",
    "Call",
    "CallbackQuery",
    "Chat",
    "FakeTelegram",
    "Fault",
    "Limits",
    "Message",
    "User",
    "main",
    "make_png",
]
