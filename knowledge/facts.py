"""Read-only access to the researched facts and seed documents in ../shared.

Only used by ``sync-services`` (services) and by the editorial checks. The bot itself
runs without ../shared (it then uses the committed services snapshot).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, Iterable

import yaml

from . import config

USABLE = ("verified", "conflict")
STATUSES = ("verified", "conflict", "unverified")
# The research files in ../shared/facts and the list each keeps its records in; every other
# ``<name>.yaml`` is a project file in knowledge/facts/ (records under ``facts:``).
SHARED_FILES = {"helplines.yaml": "services", "law.yaml": "rules", "renamed.yaml": "renamed"}
PROJECT_KEYS = ("facts", "services", "rules")


@functools.lru_cache(maxsize=16)
def _load_yaml(path: str, mtime: float) -> Any:  # mtime busts the cache on change
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def load_facts_file(name: str, facts_dir: Path | None = None) -> dict:
    if name in SHARED_FILES:
        path = (facts_dir or config.facts_dir()) / name
    else:
        path = config.project_facts_dir() / name
    return _load_yaml(str(path), path.stat().st_mtime)


def project_files() -> list[str]:
    """Names of the project's own facts files (knowledge/facts/*.yaml)."""
    d = config.project_facts_dir()
    return sorted(p.name for p in d.glob("*.yaml")) if d.is_dir() else []


def facts_available(facts_dir: Path | None = None) -> bool:
    d = facts_dir or config.facts_dir()
    return all((d / n).is_file() for n in ("helplines.yaml", "law.yaml", "renamed.yaml"))


def records(name: str, facts_dir: Path | None = None) -> dict[str, dict]:
    """Records of a facts file by id (helplines: services; law: rules; renamed: renamed)."""
    data = load_facts_file(name, facts_dir) or {}
    if name in SHARED_FILES:
        recs = data.get(SHARED_FILES[name], [])
    else:
        recs = [r for k in PROJECT_KEYS for r in data.get(k) or []]
    return {r["id"]: r for r in recs}


def project_fact_problems() -> list[tuple[str, str]]:
    """(ref, message) for every project fact that breaks the schema of ../shared/facts.

    A record needs an id, a claim (``claim`` or ``summary``), a status (verified / conflict /
    unverified; a conflict also its ``pick``), and at least one source; every source needs a
    URL, a title, the date it was seen and an exact quote (or, for a seed, seed + section +
    quote). Ids are unique across all facts files.
    """
    out: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for name in project_files():
        try:
            data = load_facts_file(name) or {}
        except yaml.YAMLError as exc:
            out.append((name, f"not valid YAML: {exc}"))
            continue
        for rec in [r for k in PROJECT_KEYS for r in data.get(k) or []]:
            rid = rec.get("id")
            ref = f"{name}#{rid}"
            if not rid:
                out.append((name, "a record has no id"))
                continue
            if rid in seen:
                out.append((ref, f"id also used in {seen[rid]}"))
            seen[rid] = name
            if not (rec.get("claim") or rec.get("summary")):
                out.append((ref, "no claim"))
            status = rec.get("status")
            if status not in STATUSES:
                out.append((ref, f"status {status!r} is not one of {STATUSES}"))
            if status == "conflict" and not (rec.get("conflict") or {}).get("pick"):
                out.append((ref, "a conflict needs conflict.pick"))
            sources = rec.get("sources") or []
            if not sources:
                out.append((ref, "no sources"))
            for i, src in enumerate(sources):
                if not str(src.get("quote") or "").strip():
                    out.append((ref, f"source {i + 1} has no quote"))
                if src.get("seed"):
                    if not src.get("section"):
                        out.append((ref, f"source {i + 1} (seed) has no section"))
                    continue
                for key in ("url", "title", "seen_date"):
                    if not src.get(key):
                        out.append((ref, f"source {i + 1} has no {key}"))
    return out


def resolve_fact(ref: str, facts_dir: Path | None = None) -> dict | None:
    """'law.yaml#pbrl-3-3' -> the record, or None."""
    name, _, rid = ref.partition("#")
    try:
        return records(name, facts_dir).get(rid)
    except (FileNotFoundError, KeyError):
        return None


def record_usable(record: dict, field: str | None = None) -> tuple[bool, str]:
    """May an article cite this record as support? Returns (ok, reason).

    The record must be verified or conflict; an unverified record may be cited only for a
    named field whose field_status is verified (e.g. a service's existence).
    """
    status = record.get("status")
    fs = record.get("field_status") or {}
    if field:
        fstat = fs.get(field)
        if fstat is None:
            return status in USABLE, f"field {field!r} has no field_status; record is {status}"
        return fstat in USABLE, f"field {field!r} is {fstat}"
    return status in USABLE, f"record status is {status}"


# --- seeds -------------------------------------------------------------------------


def _squash(text: str) -> str:
    """Join PDF line-break hyphenation, unify dashes/quotes, collapse whitespace, casefold."""
    text = re.sub(r"(\w)-?\s*\n\s*(?=\w)", lambda m: m.group(1) + "\x00", text)
    text = text.replace(
        "\x00", ""
    )  # 'informa-\nsjon' -> 'informasjon', 'omsorgs\ntjenesten' -> joined
    text = re.sub(r"[–—‑-]", "-", text)
    text = re.sub(r"\s+", " ", text)
    return text.casefold().strip()


@functools.lru_cache(maxsize=8)
def _seed_forms(path: str, mtime: float) -> tuple[str, str]:
    raw = Path(path).read_text(encoding="utf-8")
    spaced = re.sub(r"\s+", " ", re.sub(r"[–—‑]", "-", raw)).casefold()
    return spaced, _squash(raw)


def seed_path(seed: str) -> Path:
    return config.seeds_dir() / seed


def seed_has_section(seed: str, section: str) -> tuple[bool, str]:
    """Does the heading exist in the seed text? Robust to PDF line breaks and hyphenation.

    A section reference may name a chapter and a sub-heading joined by ' – ' (e.g.
    "Vedlegg 1 – Permisjoner"); every part must be found. Text in parentheses (notes
    like "(box: ...)") is ignored. "Vedlegg N" also matches the upper-case "VEDLEGG N".
    """
    path = seed_path(seed)
    if not path.is_file():
        return False, f"seed file {seed} not found in {path.parent}"
    spaced, squashed = _seed_forms(str(path), path.stat().st_mtime)
    clean = re.sub(r"\([^)]*\)", "", section)
    parts = [p.strip() for p in re.split(r"\s+[–—-]\s+", clean) if p.strip()]
    missing = []
    for part in parts:
        variants = {part}
        m = re.match(r"(?i)^(vedlegg \d+)\s+(.*)$", part)
        if m:  # "Vedlegg 2 Øvrige økonomiske ordninger": label and title are separate lines
            variants = {m.group(1), m.group(2)}
        for v in variants:
            a = re.sub(r"\s+", " ", re.sub(r"[–—‑]", "-", v)).casefold()
            if a not in spaced and _squash(v) not in squashed:
                missing.append(v)
    if missing:
        return False, f"heading part(s) not found in {seed}: {missing}"
    return True, "ok"


# --- phone numbers and URLs that may appear in texts -----------------------------------


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def _host(url: str) -> str:
    url = re.sub(r"^[a-z]+://", "", url.strip().lower())
    host = url.split("/")[0]
    return host[4:] if host.startswith("www.") else host


def _walk_strings(obj: Any) -> Iterable[str]:
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _walk_strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _walk_strings(v)


URL_RE = re.compile(
    r"(?<![@\w])(?:https?://)?(?:www\.)?(?:[a-z0-9æøå-]+\.)+(?:no|com|org|net|eu)(?:/[^\s),;»]*)?",
    re.IGNORECASE,
)


def allowed_contacts(facts_dir: Path | None = None) -> tuple[set[str], set[str]]:
    """(phone digit strings, URL hosts) that texts may mention.

    Phones: the phone of a service whose phone is verified (record + field_status), the
    conflict pick when the conflict is about the phone, and other verified phone fields
    of verified records (e.g. police non-emergency 02800, SMS numbers).
    Hosts: every URL in a verified/conflict record of any facts file, plus hosts the
    facts files' meta blocks tell the bot to mention (e.g. "sjekk lovdata.no").
    """
    phones: set[str] = set()
    hosts: set[str] = set()
    for name in (*SHARED_FILES, *project_files()):
        data = load_facts_file(name, facts_dir) or {}
        for s in _walk_strings(data.get("meta", {})):
            for m in URL_RE.finditer(s):
                hosts.add(_host(m.group(0)))
        for rec in records(name, facts_dir).values():
            ok, _ = record_usable(rec)
            fs = rec.get("field_status") or {}
            if name == "helplines.yaml" or rec.get("phone"):
                phone_status = fs.get("phone", rec.get("status"))
                conflict = rec.get("conflict") or {}
                if conflict.get("field") == "phone" and conflict.get("pick"):
                    phones.add(_digits(conflict["pick"]))
                elif phone_status == "verified" and rec.get("phone"):
                    phones.add(_digits(rec["phone"]))
                if ok:
                    for k in ("non_emergency_phone", "sms"):
                        if rec.get(k):
                            phones.add(_digits(rec[k]))
            web_ok = ok or any(
                v == "verified" and ("web" in k or "existence" in k) for k, v in fs.items()
            )
            if web_ok:
                for k, v in rec.items():
                    if k.endswith("url") and isinstance(v, str) and v:
                        hosts.add(_host(v))
            if ok:
                for src in rec.get("sources") or []:
                    if src.get("url"):
                        hosts.add(_host(src["url"]))
    return phones, hosts


PHONE_RE = re.compile(r"(?<![\d§-])(?:\d[\d ]{1,11}\d)(?![\d-])")


def phone_candidates(text: str) -> list[str]:
    """Digit strings in a text that look like Norwegian phone numbers.

    8 digits (grouped or not), 6 digits starting 116 (116 117, 116 006 ...), 5 digits
    starting 0 (02800) and the three-digit emergency numbers 11x.
    """
    out = []
    for m in PHONE_RE.finditer(text):
        chunk = m.group(0).strip()
        # split runs like "10 dager 20" never happen (letters stop the regex), but a run
        # may hold two numbers ("113 112"): treat each 3-digit 11x group separately
        d = _digits(chunk)
        if (
            len(d) == 8
            or (len(d) == 6 and d.startswith("116"))
            or (len(d) == 5 and d.startswith("0"))
        ):
            out.append(d)
        elif re.fullmatch(r"11\d", d):
            out.append(d)
        else:
            for g in chunk.split():
                if re.fullmatch(r"11\d", g):
                    out.append(g)
    return out


def url_candidates(text: str) -> list[str]:
    return [_host(m.group(0)) for m in URL_RE.finditer(text)]
