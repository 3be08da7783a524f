"""Settings an admin may change while the service runs: names, bounds and parsing.

The bounds are those of the environment settings (``settings.Settings``; a test keeps them
equal). A stored value is text in the ``app_flags`` table under ``setting:<name>``; it wins
over the environment's value until it is reset.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum

FLAG_PREFIX = "setting:"


class Unit(StrEnum):
    """What a setting counts."""

    SECONDS = "seconds"
    OBSERVATIONS = "observations"


@dataclass(frozen=True, slots=True)
class SettingRule:
    """One setting's bounds: above ``above`` (exclusive) or from ``at_least``, up to ``at_most``."""

    name: str
    env: str
    unit: Unit
    integer: bool = False
    above: float | None = None
    at_least: float | None = None
    at_most: float | None = None

    def bounds_text(self) -> str:
        """The bounds as an admin reads them: ``> 0``, ``1…20``, ``≥ 1``."""
        low = f"> {_number(self.above)}" if self.above is not None else None
        if self.at_least is not None:
            low = f"≥ {_number(self.at_least)}"
        if self.at_most is None:
            return low or "any"
        if self.at_least is not None:
            return f"{_number(self.at_least)}…{_number(self.at_most)}"
        return f"{low}, ≤ {_number(self.at_most)}" if low else f"≤ {_number(self.at_most)}"

    def parse(self, text: str) -> float | int:
        """The value typed, or :class:`InvalidSetting` saying why it is refused."""
        try:
            value = float(text.strip().replace(",", "."))
        except ValueError:
            raise InvalidSetting(self, text, "not_a_number") from None
        if not math.isfinite(value):
            raise InvalidSetting(self, text, "not_a_number")
        if self.integer and not value.is_integer():
            raise InvalidSetting(self, text, "not_whole")
        if not self.allows(value):
            raise InvalidSetting(self, text, "out_of_bounds")
        return int(value) if self.integer else value

    def allows(self, value: float) -> bool:
        """Whether ``value`` is within the bounds."""
        if self.above is not None and not value > self.above:
            return False
        if self.at_least is not None and value < self.at_least:
            return False
        return self.at_most is None or value <= self.at_most


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


class InvalidSetting(ValueError):
    """A refused value: ``reason`` is ``unknown``, ``not_a_number``, ``not_whole`` or
    ``out_of_bounds``."""

    def __init__(self, rule: SettingRule | None, text: str, reason: str) -> None:
        super().__init__(f"{rule.name if rule else '?'}={text!r}: {reason}")
        self.rule = rule
        self.text = text
        self.reason = reason


RULES: Mapping[str, SettingRule] = {
    rule.name: rule
    for rule in (
        SettingRule("poll_interval", "ESVITLO_POLL_INTERVAL", Unit.SECONDS, above=0),
        SettingRule("probe_interval", "ESVITLO_PROBE_INTERVAL", Unit.SECONDS, at_least=1),
        SettingRule("reminder_interval", "ESVITLO_REMINDER_INTERVAL", Unit.SECONDS, above=0),
        SettingRule(
            "power_off_after",
            "ESVITLO_POWER_OFF_AFTER",
            Unit.OBSERVATIONS,
            integer=True,
            at_least=1,
            at_most=20,
        ),
        SettingRule(
            "power_on_after",
            "ESVITLO_POWER_ON_AFTER",
            Unit.OBSERVATIONS,
            integer=True,
            at_least=1,
            at_most=20,
        ),
    )
}
"""Every setting an admin may change at run time, in the order they are shown."""


def rule_for(name: str) -> SettingRule:
    """The rule of a setting by name, or :class:`InvalidSetting` (``unknown``)."""
    rule = RULES.get(name.strip().lower())
    if rule is None:
        raise InvalidSetting(None, name, "unknown")
    return rule


@dataclass(frozen=True, slots=True)
class RuntimeValues:
    """The values in force: intervals in seconds, the debounce in observations."""

    poll_interval: float
    probe_interval: float
    reminder_interval: float
    power_off_after: int
    power_on_after: int

    def with_stored(self, stored: Mapping[str, str]) -> tuple[RuntimeValues, tuple[str, ...]]:
        """These values with the stored ones over them, and the names of stored values that
        were refused (kept out: a bad row must not stop the service)."""
        merged, refused = self.as_dict(), []
        for name, text in stored.items():
            try:
                merged[name] = RULES[name].parse(text)
            except (KeyError, InvalidSetting):
                refused.append(name)
        values = RuntimeValues(
            poll_interval=float(merged["poll_interval"]),
            probe_interval=float(merged["probe_interval"]),
            reminder_interval=float(merged["reminder_interval"]),
            power_off_after=int(merged["power_off_after"]),
            power_on_after=int(merged["power_on_after"]),
        )
        return values, tuple(refused)

    def as_dict(self) -> dict[str, float | int]:
        """Name → value, in the order of :data:`RULES`."""
        return {item.name: getattr(self, item.name) for item in fields(self)}
