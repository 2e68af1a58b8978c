"""A configuration changes the verdict, so every report says which file was
used and what it changed: how many rules it switched off, how many findings
it accepted, and how many severities it changed. A reader of the report can
then tell a clean result from a silenced one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from policygen.lint.config import LintConfig


@dataclass(frozen=True)
class ConfigNotice:
    file: str
    rules_off: int
    accepted: int
    severities: int

    def sentence(self) -> str:
        return (f"Inställningar från {self.file}: {self.rules_off} "
                f"{'regel' if self.rules_off == 1 else 'regler'} avstängda, {self.accepted} "
                f"{'anmärkning' if self.accepted == 1 else 'anmärkningar'} godtagna, {self.severities} "
                f"{'nivå' if self.severities == 1 else 'nivåer'} ändrade.")

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "rules_off": self.rules_off, "accepted": self.accepted,
                "severities_changed": self.severities}


def config_notice(config: LintConfig, rules: Iterable[Any]) -> ConfigNotice | None:
    """None when no configuration file was used."""
    if config.path is None:
        return None
    rules = list(rules)
    off = sum(1 for rule in rules if not config.is_active(rule.id, rule.category))
    return ConfigNotice(str(config.path), off, len(config.accepted), len(config.severities))
