"""Support organisations and helplines that fit the user's situation."""

from __future__ import annotations

from typing import Any, Dict, List

# diagnosis entity values -> words used in the service records' diagnosis tags
MAX_SERVICES = 3


def matching_services(repo: Any, ents: Dict[str, List[str]], aud: str) -> List[Any]:
    """Services for the audience, those matching a mentioned diagnosis first."""
    wanted = set(ents.get("diagnosis") or [])
    candidates = [
        s for s in repo.services(audience=None, topic="organisasjoner")
        if s.audience in ("all", aud)
    ] or [s for s in repo.services() if s.audience in ("all", aud)]
    if wanted:
        matched = [s for s in candidates if wanted & set(s.diagnoses)]
        if matched:
            candidates = matched
    return [s for s in candidates if s.phone or s.web_url or s.chat_url][:MAX_SERVICES]


def describe(services: List[Any]) -> str:
    lines = []
    for s in services:
        how = []
        if s.phone:
            how.append(f"telefon {s.phone}")
        if s.chat_url:
            how.append(f"chat: {s.chat_url}")
        if s.web_url and not s.chat_url:
            how.append(s.web_url)
        offer = s.offers_no.rstrip(".")
        lines.append(f"• {s.name}: {offer}. " + (", ".join(how) + "." if how else ""))
    return "\n".join(line.strip() for line in lines)
