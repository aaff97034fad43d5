"""One pair of real servers (action server + Rasa server) shared by the e2e tests."""

from __future__ import annotations

import pytest

from tests.servers import MODEL, running_bot


@pytest.fixture(scope="session")
def bot(tmp_path_factory, kb_url):
    if not MODEL.exists():
        pytest.fail(f"{MODEL} missing: `make setup` trains it")
    with running_bot(tmp_path_factory.mktemp("e2e"), kb_url) as servers:
        yield servers
    # clean shutdown: both processes ended on SIGINT
    assert servers.exit_codes["rasa"] is not None
    assert servers.exit_codes["actions"] is not None
