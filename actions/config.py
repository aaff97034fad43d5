"""Action-server settings, read from the environment (every variable is listed in README)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from bot.settings import env_float, env_int


@dataclass(frozen=True)
class Settings:
    # hand-over targets: ids of service records (knowledge base, from ../shared/facts)
    handover_default: str
    handover_rus: str
    handover_young: str
    # seconds between checks whether the knowledge base content changed
    kb_reload_seconds: float
    # live hand-off: where a consented summary is POSTed (empty: off), timeout and retries
    handoff_url: str
    handoff_timeout: float
    handoff_retries: int


def settings() -> Settings:
    env = os.environ
    return Settings(
        handover_default=env.get("HANDOVER_SERVICE", "parorendelinjen"),
        handover_rus=env.get("HANDOVER_SERVICE_RUS", "ivareta-parorendetelefonen"),
        handover_young=env.get("HANDOVER_SERVICE_YOUNG", "kors-pa-halsen"),
        kb_reload_seconds=env_float("KB_RELOAD_SECONDS", 30.0, minimum=0.0),
        handoff_url=env.get("HANDOFF_URL", "").strip(),
        # a timeout of 0 would be none at all (aiohttp): the default instead
        handoff_timeout=env_float("HANDOFF_TIMEOUT_SECONDS", 5.0, minimum=0.1, clamp=False),
        handoff_retries=env_int("HANDOFF_RETRIES", 2, minimum=0),
    )
