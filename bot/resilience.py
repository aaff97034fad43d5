"""Graceful degradation: when a custom action cannot run (the action server or its database
is down, a timeout, a 5xx), the Rasa server itself answers with the domain response
`utter_safe_fallback` (emergency numbers and a human helpline), and logs the failure.

Rasa 3.6 has no hook for this: `install()` wraps `RemoteAction.run` once, at start-up
(bot/serve.py). A rejection (HTTP 400, used by forms) is passed through unchanged.
"""

from __future__ import annotations

import logging
from typing import Any, List

logger = logging.getLogger(__name__)

SAFE_FALLBACK = "utter_safe_fallback"
# Actions that never answer the user themselves (slot mappings): fail silently.
SILENT_ACTIONS = frozenset({"action_detect_mode"})

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
        try:
            return await original_run(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise
        except Exception as error:  # noqa: BLE001 - any failure must still answer the user
            logger.error(
                "custom action %s failed (%s: %s); answering with %s",
                self.name(), type(error).__name__, error, SAFE_FALLBACK,
            )
            if self.name() in SILENT_ACTIONS or SAFE_FALLBACK not in domain.responses:
                return []
            return await ActionBotResponse(SAFE_FALLBACK).run(output_channel, nlg, tracker,
                                                                domain)

    RemoteAction.run = run_or_fall_back
    _installed = True
