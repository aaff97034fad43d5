"""The PII log filter: as a handler filter, as a process-wide record factory, via dictConfig."""

from __future__ import annotations

import logging

import pytest

from bot.privacy import logs
from tests.conftest import ROOT
from tests.privacy.conftest import FNR

LOGGING_YML = ROOT / "bot" / "privacy" / "logging.yml"


@pytest.fixture
def no_factory():
    logs.uninstall()
    yield
    logs.uninstall()


def _assert_clean(text: str):
    for value in (FNR, "912 34 567", "kari@example.no", "Kari Nordmann", "Storgata 12"):
        assert value not in text, value


def test_filter_on_a_handler(caplog, no_factory):
    caplog.handler.addFilter(logs.PIIScrubFilter())
    log = logging.getLogger("rasa.core.processor")
    with caplog.at_level(logging.DEBUG):
        log.debug("Received user message '%s' with intent '%s'",
                  f"Mamma heter Kari Nordmann, fnr {FNR}, tlf 912 34 567", "avlastning")
        log.info("mail %(mail)s, adresse %(adr)s", {"mail": "kari@example.no",
                                                     "adr": "Storgata 12"})
    _assert_clean(caplog.text)
    assert ("Received user message 'Mamma heter [navn], fnr [fødselsnummer], tlf [telefon]' "
            "with intent 'avlastning'") in caplog.text
    assert "mail [e-post], adresse [adresse]" in caplog.text
    assert "Ring 113" == logs.scrub_record(
        logging.LogRecord("x", logging.INFO, __file__, 1, "Ring 113", (), None)).getMessage()


def test_installed_factory_scrubs_every_logger(caplog, no_factory):
    logs.install()
    logs.install()  # idempotent
    with caplog.at_level(logging.INFO):
        logging.getLogger("rasa_sdk.executor").info("tracker text: %s", "kari@example.no")
        logging.getLogger("sanic.access").warning("sender %s", "+47 912 34 567")
        try:
            raise ValueError(f"bad fnr {FNR}")
        except ValueError:
            logging.getLogger("x").exception("failed for Kari Nordmann")
    _assert_clean(caplog.text)
    assert "tracker text: [e-post]" in caplog.text
    assert "bad fnr [fødselsnummer]" in caplog.text  # traceback text scrubbed too
    logs.uninstall()
    assert not getattr(logging.getLogRecordFactory(), "_pii_previous", None)


def test_rasa_logging_config_file_installs_it(caplog, no_factory):
    from rasa.utils.common import configure_logging_from_file

    handlers_before = list(logging.getLogger().handlers)
    configure_logging_from_file(str(LOGGING_YML))
    assert logging.getLogger().handlers == handlers_before  # Rasa's handlers untouched
    with caplog.at_level(logging.INFO):
        logging.getLogger("rasa.core").info("message %s", f"fnr {FNR}")
    assert "message fnr [fødselsnummer]" in caplog.text


def test_rasa_sdk_logging_config_file_installs_it(caplog, no_factory):
    from rasa_sdk.utils import configure_logging_from_input_file

    configure_logging_from_input_file(str(LOGGING_YML))
    with caplog.at_level(logging.INFO):
        logging.getLogger("rasa_sdk").info("%s", "kari@example.no")
    assert "[e-post]" in caplog.text and "kari@example.no" not in caplog.text


def test_bad_format_args_do_not_break_logging(caplog, no_factory):
    caplog.handler.addFilter(logs.PIIScrubFilter())
    with caplog.at_level(logging.INFO):
        logging.getLogger("x").info("two %s %s", "kari@example.no")
    assert "kari@example.no" not in caplog.text


def test_json_escaped_structured_logs(caplog, no_factory):
    """Rasa 3.6 logs parse data as JSON with non-ASCII escaped ("p\\u00e5 912 34 567")."""
    import json

    caplog.handler.addFilter(logs.PIIScrubFilter())
    payload = json.dumps({"parse_data_text": "ring meg på 912 34 567, Jørgen Hansen"})
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("rasa.core.processor").debug(payload)
    assert "912 34 567" not in caplog.text and "Hansen" not in caplog.text
    assert "ring meg på [telefon], [navn]" in caplog.text


def test_sql_parameters_are_dropped_and_long_messages_cut(caplog, no_factory):
    """A failed INSERT logs SQLAlchemy's «[parameters: …]», i.e. the user's words: dropped.
    A long message is cut before it is scrubbed (bounded cost)."""
    caplog.handler.addFilter(logs.PIIScrubFilter())
    error = ("(sqlite3.OperationalError) database is locked\n"
             "[SQL: INSERT INTO events (sender_id, data) VALUES (?, ?)]\n"
             "[parameters: ('abc', '{\"text\": \"pappa drikker hver dag\"}')]\n"
             "(Background on this error at: https://sqlalche.me/e/14/e3q8)")
    with caplog.at_level(logging.ERROR):
        logging.getLogger("rasa.core.tracker_store").error("Error happened: %s", error)
        logging.getLogger("x").error("origin %s", "a " * 50_000)
    assert "pappa drikker" not in caplog.text
    assert logs.PARAMETERS_DROPPED in caplog.text and "database is locked" in caplog.text
    assert "Background on this error" in caplog.text
    long_record = [r for r in caplog.records if r.getMessage().startswith("origin")][0]
    assert len(long_record.getMessage()) < logs.MAX_MESSAGE_CHARS + 100
    assert "characters cut" in long_record.getMessage()


def test_drop_sql_parameters_without_the_background_line():
    assert logs.drop_sql_parameters("x [parameters: ('Kari', 1)]") == (
        f"x {logs.PARAMETERS_DROPPED}")
    assert logs.drop_sql_parameters("no parameters here") == "no parameters here"
