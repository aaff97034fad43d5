"""Graceful degradation: when a custom action cannot run (the action server or its database
is down, hung or slow past ``ACTION_TIMEOUT_SECONDS``, a 5xx), the Rasa server itself answers
with the domain response `utter_safe_fallback` (emergency numbers and a human helpline), and
logs the failure. Right after the crisis reply (which already has the numbers) a failed
action stays silent.

Rasa 3.6 has no hook for this: `install()` wraps `RemoteAction.run` once, at start-up
(bot/serve.py). A rejection (HTTP 400, used by forms) is passed through unchanged.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, List

logger = logging.getLogger(__name__)

SAFE_FALLBACK = "utter_safe_fallback"
# The crisis reply already gave the numbers: an action failing after it adds nothing.
AFTER_CRISIS = "utter_crisis"
DEFAULT_TIMEOUT_SECONDS = 4.0
# After the crisis reply the turn must end quickly (the channel sends the whole turn at once):
# the answer to the rest of the message gets this long, then the crisis reply goes alone.
DEFAULT_AFTER_CRISIS_SECONDS = 1.0


def _seconds(name: str, default: float) -> float:
    try:
        return max(0.2, float(os.environ.get(name) or default))
    except ValueError:
        return default


def action_timeout(after_crisis: bool = False) -> float:
    """How long the Rasa server waits for a custom action (``ACTION_TIMEOUT_SECONDS``; right
    after the crisis reply ``ACTION_TIMEOUT_AFTER_CRISIS_SECONDS``)."""
    timeout = _seconds("ACTION_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)
    if after_crisis:
        return min(timeout, _seconds("ACTION_TIMEOUT_AFTER_CRISIS_SECONDS",
                                     DEFAULT_AFTER_CRISIS_SECONDS))
    return timeout

_installed = False


def install() -> None:
    """Wraps RemoteAction.run so a failed custom action still gives a safe reply."""
    global _installed
    if _installed:
        return
    from rasa.core.actions.action import ActionBotResponse, ActionExecutionRejection, RemoteAction

    original_run = RemoteAction.run

    async def run_or_fall_back(
        self: Any, output_channel: Any, nlg: Any, tracker: Any, domain: Any
    ) -> List[Any]:
        after_crisis = getattr(tracker, "latest_action_name", None) == AFTER_CRISIS
        try:
            return await asyncio.wait_for(
                original_run(self, output_channel, nlg, tracker, domain),
                action_timeout(after_crisis),
            )
        except ActionExecutionRejection:
            raise
        except Exception as error:  # noqa: BLE001 - any failure must still answer the user
            logger.error(
                "custom action %s failed (%s: %s); answering with %s",
                self.name(), type(error).__name__, error, SAFE_FALLBACK,
            )
            if after_crisis or SAFE_FALLBACK not in domain.responses:
                return []
            return await ActionBotResponse(SAFE_FALLBACK).run(output_channel, nlg, tracker,
                                                                domain)

    RemoteAction.run = run_or_fall_back
    _installed = True
