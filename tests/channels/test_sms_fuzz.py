"""Fuzzing the SMS webhook: any Body (empty, huge, control characters, emoji, markup, other
languages, odd form fields) gets valid TwiML in GSM-7, never a 5xx."""

from __future__ import annotations

import os
from xml.etree import ElementTree

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels import sms_logic as sl

EXAMPLES = int(os.environ.get("SMS_FUZZ_EXAMPLES", "1400"))

_SERVERS: dict = {}

bodies = st.one_of(
    st.text(max_size=2000),
    st.text(alphabet=st.characters(whitelist_categories=("So", "Cc", "Zs", "Mn")), max_size=40),
    st.sampled_from(["", " ", "STOPP", "stop ", "HJELP", "MER", "1", "9", "0", "<b>x</b>",
                     "&amp;", "]]>", "\x00", "Hei 🙂", "a" * 5000]),
)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=bodies, phone=st.sampled_from(["+4791234567", "004790000000", "", "abc", "+1 555"]))
async def test_any_body_gets_valid_gsm7_twiml(start_sms, body, phone):
    # one server for all examples (the fixture lives for the whole hypothesis run)
    if id(start_sms) not in _SERVERS:
        _SERVERS.clear()
        _SERVERS[id(start_sms)] = await start_sms(rate_limit_per_min=10_000)
    s = _SERVERS[id(start_sms)]
    status, xml, _ = await s.client.post(body, phone=phone)
    assert status < 500
    if status == 200:
        root = ElementTree.fromstring(xml)
        for message in root.findall("Message"):
            text = message.text or ""
            assert sl.is_gsm7(text), text
