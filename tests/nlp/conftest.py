"""Shared fixtures for the NLP pipeline tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bot.nlp import corpus  # noqa: E402
from bot.nlp.pipeline_code import encoders, standard_lemmas  # noqa: E402,F401  (registrations)

PIPELINE_DIR = REPO_ROOT / "bot" / "nlp" / "pipeline"


@pytest.fixture(scope="session")
def norne():
    if not corpus.norne_available():
        pytest.skip(
            f"NorNE data not found at {corpus.norne_dir()} (set NORNE_DIR); skipping data tests"
        )
    return corpus.norne_dir()


@pytest.fixture(scope="session")
def nlp():
    if not (PIPELINE_DIR / "meta.json").is_file():
        pytest.skip("bot/nlp/pipeline missing; run `python -m bot.nlp.train`")
    import spacy

    return spacy.load(PIPELINE_DIR)
