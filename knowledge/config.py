"""Paths and settings, read from the environment at call time (never at import)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
ARTICLES_DIR = PACKAGE_DIR / "articles"
SERVICES_DIR = PACKAGE_DIR / "services"
OVERLAY_FILE = SERVICES_DIR / "overlay.yaml"
SNAPSHOT_FILE = SERVICES_DIR / "services.yaml"


def shared_dir() -> Path:
    """The read-only research folder next to the repo (``../shared``)."""
    return Path(os.environ.get("SHARED_DIR", REPO_ROOT.parent / "shared"))


def facts_dir() -> Path:
    """Folder with helplines.yaml, law.yaml, renamed.yaml (env ``FACTS_DIR``)."""
    env = os.environ.get("FACTS_DIR")
    return Path(env) if env else shared_dir() / "facts"


def project_facts_dir() -> Path:
    """Facts researched by this project (``knowledge/facts/``, env ``KB_FACTS_DIR``).

    Same schema as ../shared/facts; articles cite them as ``<file>.yaml#<id>``.
    """
    env = os.environ.get("KB_FACTS_DIR")
    return Path(env) if env else PACKAGE_DIR / "facts"


def seeds_dir() -> Path:
    """Folder with the seed documents (env ``SEEDS_DIR``)."""
    env = os.environ.get("SEEDS_DIR")
    return Path(env) if env else shared_dir() / "seeds"


def articles_dir() -> Path:
    """Article root (env ``KB_ARTICLES_DIR``, used by tests to load a copy)."""
    env = os.environ.get("KB_ARTICLES_DIR")
    return Path(env) if env else ARTICLES_DIR


def default_db_url() -> str:
    """``KB_URL`` or a SQLite file under ``<repo>/var`` (the folder is created)."""
    env = os.environ.get("KB_URL")
    if env:
        return env
    var = REPO_ROOT / "var"
    var.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{var / 'knowledge.db'}"
