"""Graceful degradation: when a custom action cannot run (the action server or its database
is down, hung or slow past ``ACTION_TIMEOUT_SECONDS``, a 5xx), the Rasa server itself answers
with the domain response `utter_safe_fallback` (emergency numbers and a human helpline), and
logs the failure. Right after the crisis reply (which already has the numbers) a failed
action stays silent.

The action server may require a shared secret (review M1): when ``ACTION_TOKEN`` (or a file
named by ``ACTION_TOKEN_FILE``) is set, every call carries ``Authorization: Bearer <token>``.
It is added here rather than in endpoints.yml because Rasa's ``${VAR}`` substitution fails
when the variable is unset, and the token then stays out of every config file.

Rasa 3.6 has no hook for this: `install()` wraps `RemoteAction.run` once, at start-up
(bot/serve.py). A rejection (HTTP 400, used by forms) is passed through unchanged.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, List

from bot.settings import env_float

logger = logging.getLogger(__name__)

SAFE_FALLBACK = "utter_safe_fallback"
# The crisis reply already gave the numbers: an action failing after it adds nothing.
AFTER_CRISIS = "utter_crisis"
DEFAULT_TIMEOUT_SECONDS = 4.0
# After the crisis reply the turn must end quickly (the channel sends the whole turn at once):
# the answer to the rest of the message gets this long, then the crisis reply goes alone.
DEFAULT_AFTER_CRISIS_SECONDS = 1.0


def action_timeout(after_crisis: bool = False) -> float:
    """How long the Rasa server waits for a custom action (``ACTION_TIMEOUT_SECONDS``; right
    after the crisis reply ``ACTION_TIMEOUT_AFTER_CRISIS_SECONDS``)."""
    timeout = env_float("ACTION_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS, minimum=0.2)
    if after_crisis:
        return min(timeout, env_float("ACTION_TIMEOUT_AFTER_CRISIS_SECONDS",
                                      DEFAULT_AFTER_CRISIS_SECONDS, minimum=0.2))
    return timeout


def action_token() -> str:
    """The shared secret between the Rasa server and the action server ("" when off):
    ``ACTION_TOKEN``, else the first line of the file ``ACTION_TOKEN_FILE``."""
    token = os.environ.get("ACTION_TOKEN", "").strip()
    path = os.environ.get("ACTION_TOKEN_FILE", "").strip()
    if not token and path:
        with open(path, encoding="utf-8") as handle:
            token = handle.readline().strip()
    return token


_installed = False


def install() -> None:
    """Wraps RemoteAction.run so a failed custom action still gives a safe reply."""
    global _installed
    if _installed:
        return
    from rasa.core.actions.action import ActionBotResponse, ActionExecutionRejection, RemoteAction

    original_run = RemoteAction.run
    token = action_token()

    async def run_or_fall_back(
        self: Any, output_channel: Any, nlg: Any, tracker: Any, domain: Any
    ) -> List[Any]:
        after_crisis = getattr(tracker, "latest_action_name", None) == AFTER_CRISIS
        if token and self.action_endpoint is not None:
            self.action_endpoint.headers["Authorization"] = f"Bearer {token}"
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
