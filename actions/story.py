"""Replying to a story: one sentence that shows the situation was understood, and the
services that fit it (actions/situations.yml holds the copy and the service choice)."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

SITUATIONS_FILE = Path(__file__).with_name("situations.yml")
MAX_SERVICES = 2


@functools.lru_cache(maxsize=1)
def copy() -> Dict[str, Any]:
    return yaml.safe_load(SITUATIONS_FILE.read_text(encoding="utf-8"))


def situation_sentence(situation: Dict[str, Any], aud: str, about_writer: bool = False,
                       danger: bool = False) -> str:
    """"Takk for at du forteller. Det høres krevende ut å stå i dette med faren din, som …".
    ``about_writer``: the danger in the message is to the writer themself (a young writer
    who self-harms was told "det høres krevende ut å stå i dette med foreldrene dine").
    ``danger``: the message had a crisis reply (never "good to hear" after one)."""
    c = copy()
    rel = c["relation"][aud].get(situation.get("relation") or "")
    conds = [x for x in situation.get("conditions") or [] if x in c["condition"][aud]]
    cond = c["condition"][aud][conds[0]] if conds else None
    forms = c["sentence"][aud]
    if about_writer:
        sentence = forms["self"]
    elif situation.get("thanks") and not danger:
        # a letter of thanks to those who cared for someone: say it was heard
        sentence = forms["thanks_bereaved" if situation.get("bereaved") else "thanks"]
    elif situation.get("bereaved"):
        # someone has died: never describe the dead as living ("faren din, som har kreft")
        sentence = forms["bereaved"]
    elif rel and cond:
        sentence = forms["relation_condition"].format(relation=rel, condition=cond)
    elif rel:
        sentence = forms["relation"].format(relation=rel)
    elif cond:
        sentence = forms["condition"]
    else:
        sentence = forms["none"]
    if situation.get("strain"):
        sentence += " " + forms["strain"]
    return sentence


def named_service(text: str) -> Optional[str]:
    """The id of a service the message asks for by name ("Pårørendetelefonen"), or None."""
    from knowledge.text import fold

    folded = " " + " ".join(fold(text or "").split()) + " "
    for name, sid in copy().get("named_services", {}).items():
        if re.search(r"\b" + re.escape(name), folded):
            return sid
    return None


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


def topic_services(repo: Any, topic: Optional[str], aud: str) -> List[Any]:
    """The place to turn for what a story asks when no article answers it (a complaint: the
    pasient- og brukerombud), from `services_by_topic`; shown even without a phone number,
    since its description says what it does."""
    ids = (copy().get("services_by_topic") or {}).get(aud, {}).get(topic or "") or []
    return [s for s in (repo.service(i) for i in ids) if s is not None]


def fitting_services(repo: Any, situation: Dict[str, Any], aud: str, already: str = "",
                     limit: int = MAX_SERVICES) -> List[Any]:
    """The services that fit the situation and audience, skipping those the text names."""
    table = copy()["services"][aud]
    ids: List[str] = []
    for cond in situation.get("conditions") or []:
        ids.extend(table.get(cond) or [])
    if not ids:
        ids.extend(table.get("default") or [])
    if situation.get("strain"):
        ids.extend(table.get("strain") or [])
    said = _digits(already)
    out: List[Any] = []
    for sid in dict.fromkeys(ids):
        service = repo.service(sid)
        if service is None or not (service.phone or service.web_url or service.chat_url):
            continue
        if service.phone and _digits(service.phone) in said:
            continue
        if service.name and service.name.split(" (")[0].lower() in (already or "").lower():
            continue
        out.append(service)
        if len(out) >= limit:
            break
    return out


def services_text(services: List[Any], aud: str, intro: Optional[str] = None) -> str:
    from actions.organisations import describe

    if not services:
        return ""
    head = intro if intro is not None else copy()["services_intro"][aud]
    return head + "\n" + describe(services)
