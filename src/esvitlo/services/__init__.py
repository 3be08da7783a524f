"""Async orchestration over the domain and the ports (no SQL, no aiogram)."""
