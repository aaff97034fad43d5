"""SMS logic without a gateway: GSM-7, segments, pages, choices, keywords, rate limit."""

from __future__ import annotations

import asyncio
import re
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels import sms_logic as sl

# -- GSM-7 ---------------------------------------------------------------------------------


def test_norwegian_letters_are_gsm7_and_typography_is_replaced():
    assert sl.is_gsm7("æøåÆØÅ § é")
    assert sl.to_gsm7("«Hei» – sa hun… “ok” ’ja’ 😀 ✅") == "\"Hei\" - sa hun... \"ok\" 'ja' "
    assert sl.to_gsm7("café á ç") == "café a c"  # é is GSM-7, á/ç lose the accent
    assert sl.is_gsm7(sl.to_gsm7("漢字 emoji 🎉 \u200b zero-width"))


def test_extension_characters_count_two():
    assert sl.septets("€") == 2 and sl.septets("[]{}\\^~|") == 16
    assert sl.segment_count("a" * 160) == 1
    assert sl.segment_count("a" * 161) == 2
    assert sl.segment_count("€" * 80) == 1 and sl.segment_count("€" * 81) == 2
    # an escape pair is never split across parts
    parts = sl.split_segments("a" * 152 + "€" + "b" * 10)
    assert parts[0] == "a" * 152 and parts[1].startswith("€")


def test_links_lose_scheme_and_query():
    text = "Se https://www.nav.no/pleiepenger/?utm=x#top. Og http://example.no/, ok"
    assert sl.shorten_links(text) == "Se www.nav.no/pleiepenger. Og example.no, ok"
    assert sl.shorten_links("https://www.pårørendesenteret.no") == "www.pårørendesenteret.no"


# -- pages ---------------------------------------------------------------------------------

GSM_LETTERS = "abcdefghijklmnopqrstuvwxyzæøåABCÆØÅ0123456789§é€[]"
word = st.text(alphabet=GSM_LETTERS, min_size=1, max_size=30)
raw_word = st.text(min_size=1, max_size=25).filter(lambda w: w.strip() and not any(
    c.isspace() for c in w))
sentence = st.builds(
    lambda ws, end: " ".join(ws) + end,
    st.lists(word, min_size=1, max_size=25),
    st.sampled_from([".", "!", "?", "", ":"]),
)
long_text = st.lists(sentence, min_size=1, max_size=40).map(
    lambda ss: " ".join(ss)
)


def _without_marker(page: str) -> str:
    suffix = "\n" + sl.MORE_MARKER
    return page[: -len(suffix)] if page.endswith(suffix) else page


def _check_pages(text: str, pages: list) -> None:
    assert pages
    for i, page in enumerate(pages):
        assert sl.is_gsm7(page)
        parts = sl.split_segments(page)
        assert 1 <= len(parts) <= sl.MAX_SEGMENTS
        limit = sl.SINGLE_SEGMENT if len(parts) == 1 else sl.CONCAT_SEGMENT
        assert all(sl.septets(p) <= limit for p in parts)
        assert page.endswith(sl.MORE_MARKER) == (i < len(pages) - 1)
    # no word cut, none lost, none added: the words of the pages are the words of the text
    words = [w for p in pages for w in _without_marker(p).split()]
    assert words == text.split()


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(long_text)
def test_pages_never_exceed_three_segments_nor_cut_words(text):
    _check_pages(text, sl.paginate(text))


@settings(max_examples=200, deadline=None)
@given(st.lists(raw_word, min_size=1, max_size=120))
def test_any_unicode_becomes_gsm7_pages_without_cut_words(words):
    text = sl.prepare(" ".join(words))
    pages = sl.paginate(text)
    if text:
        _check_pages(text, pages)
    else:
        assert pages == []


def test_cut_prefers_a_sentence_end():
    text = " ".join(f"Setning nummer {i} handler om avlastning og rettigheter." for i in range(30))
    pages = sl.paginate(text)
    assert len(pages) > 1
    for page in pages[:-1]:
        assert _without_marker(page).endswith(".")


def test_single_short_reply_has_no_marker():
    assert sl.paginate("Hei! Hva lurer du på?") == ["Hei! Hva lurer du på?"]


# -- choices -------------------------------------------------------------------------------

title = st.text(min_size=1, max_size=40).filter(lambda t: sl.prepare(t).strip())
payload = st.text(min_size=1, max_size=60).filter(lambda p: p.strip())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(title, payload), min_size=1, max_size=9))
def test_numbered_choices_round_trip(pairs):
    buttons = [{"title": t, "payload": p} for t, p in pairs]
    choices = sl.choices_from_buttons(buttons)
    assert len(choices) == len(pairs)
    block = sl.render_choices(choices)
    assert sl.is_gsm7(block)
    lines = block.split("\n")
    for i, (_, p) in enumerate(pairs, 1):
        assert lines[i - 1].startswith(f"{i} ")
        assert sl.choice_payload(choices, str(i)) == p
        assert sl.choice_payload(choices, f" {i}. ") == p
    assert sl.choice_payload(choices, str(len(pairs) + 1)) is None
    assert sl.choice_payload(choices, "0") is None
    assert lines[-1] == sl.choices_prompt(len(pairs))


def test_choices_prompt_wording():
    assert sl.choices_prompt(1) == "Svar 1"
    assert sl.choices_prompt(2) == "Svar 1 eller 2"
    assert sl.choices_prompt(3) == "Svar 1, 2 eller 3"


def test_more_than_nine_buttons_keep_nine():
    buttons = [{"title": f"T{i}", "payload": f"/p{i}"} for i in range(12)]
    assert len(sl.choices_from_buttons(buttons)) == 9


# -- compose -------------------------------------------------------------------------------


def test_compose_prefers_sms_text_for_articles_and_keeps_other_text():
    msgs = [
        {"text": "Lang brødtekst. " * 40, "buttons": [{"title": "Søk", "payload": "/soke"}],
         "custom": {"topic": "avlastning", "article": "a1", "audience": "adult"}},
        {"text": "Noe annet – med lenke https://x.no/a?b=c"},
    ]
    text, choices = sl.compose(msgs, lambda custom, t: "Kort SMS." if custom["article"] == "a1"
                               else None)
    assert text == "Kort SMS.\nNoe annet - med lenke x.no/a"
    assert choices == [sl.Choice("Søk", "/soke")]


def test_compose_falls_back_when_lookup_fails():
    def boom(custom, text):
        raise RuntimeError("kb down")

    text, _ = sl.compose([{"text": "Brødtekst.", "custom": {"article": "a"}}], boom)
    assert text == "Brødtekst."


# -- the dialogue ----------------------------------------------------------------------------


class FakeBot:
    def __init__(self, replies=None):
        self.calls = []
        self.replies = replies or {}
        self.forgotten = []

    async def ask(self, sender, text):
        self.calls.append((sender, text))
        reply = self.replies.get(text)
        if reply is None:
            return [{"text": f"Svar på {text}"}]
        return reply

    async def forget(self, sender):
        self.forgotten.append(sender)


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


@pytest.fixture
def clock():
    return Clock()


def dialogue(clock, **kw):
    kw.setdefault("handover", lambda: ("Pårørendelinjen", "11 22 33 44"))
    return sl.SmsDialogue(clock=clock, **kw)


async def test_digits_map_to_the_previous_turns_buttons(clock):
    menu = [{"text": "Velg:", "buttons": [{"title": "Avlastning", "payload": "/avlastning"},
                                          {"title": "Penger", "payload": "/okonomi"}]}]
    bot = FakeBot({"hei": menu})
    d = dialogue(clock)
    reply = await d.handle("s1", "hei", bot.ask, bot.forget)
    assert reply == "Velg:\n1 Avlastning\n2 Penger\nSvar 1 eller 2"
    await d.handle("s1", " 2 ", bot.ask, bot.forget)
    assert bot.calls[-1] == ("s1", "/okonomi")
    # that turn had no buttons: "1" is now just text
    await d.handle("s1", "1", bot.ask, bot.forget)
    assert bot.calls[-1] == ("s1", "1")
    # choices are per sender
    await d.handle("s2", "1", bot.ask, bot.forget)
    assert bot.calls[-1] == ("s2", "1")


async def test_choices_expire(clock):
    bot = FakeBot({"hei": [{"text": "Velg:", "buttons": [{"title": "A", "payload": "/a"}]}]})
    d = dialogue(clock, state_ttl=60)
    await d.handle("s", "hei", bot.ask, bot.forget)
    clock.t += 61
    await d.handle("s", "1", bot.ask, bot.forget)
    assert bot.calls[-1] == ("s", "1")


async def test_mer_continues_a_long_reply(clock):
    long = " ".join(f"Dette er setning {i} om pleiepenger og omsorgsstønad." for i in range(40))
    bot = FakeBot({"lang": [{"text": long}]})
    d = dialogue(clock)
    pages = [await d.handle("s", "lang", bot.ask, bot.forget)]
    while pages[-1].endswith(sl.MORE_MARKER):
        pages.append(await d.handle("s", "mer", bot.ask, bot.forget))
    assert len(pages) > 2
    assert [c[1] for c in bot.calls] == ["lang"]  # MER never reaches the bot
    _check_pages(long, pages)
    assert await d.handle("s", "MER", bot.ask, bot.forget) == sl.NO_MORE_REPLY


@pytest.mark.parametrize("word", ["STOPP", "stopp", " Stop ", "stopp!"])
async def test_stopp_forgets_and_confirms(clock, word):
    bot = FakeBot()
    d = dialogue(clock)
    reply = await d.handle("s", word, bot.ask, bot.forget)
    assert reply == sl.STOP_REPLY and bot.forgotten == ["s"] and bot.calls == []


async def test_hjelp_gives_help_and_the_handover_number(clock):
    bot = FakeBot({"/help": [{"text": "Meny", "buttons": [{"title": "Avlastning",
                                                           "payload": "/avlastning"}]}]})
    d = dialogue(clock)
    reply = await d.handle("s", "hjelp", bot.ask, bot.forget)
    assert "Pårørendelinjen: 11 22 33 44" in reply and "STOPP" in reply
    assert "1 Avlastning" in reply and sl.segment_count(reply) <= 3
    await d.handle("s", "1", bot.ask, bot.forget)
    assert bot.calls[-1] == ("s", "/avlastning")


async def test_hjelp_without_a_number_asks_the_bot_for_the_handover(clock):
    bot = FakeBot({"/handover": [{"text": "Ring Linja på 99 88 77 66."}]})
    d = dialogue(clock, handover=lambda: None)
    reply = await d.handle("s", "HJELP", bot.ask, bot.forget)
    assert "99 88 77 66" in reply


async def test_rate_limit_is_per_sender_and_kind(clock):
    bot = FakeBot()
    d = dialogue(clock, rate_limit_per_min=3)
    for i in range(3):
        assert (await d.handle("a", f"m{i}", bot.ask, bot.forget)).startswith("Svar på")
    assert await d.handle("a", "m3", bot.ask, bot.forget) == sl.RATE_REPLY
    assert await d.handle("a", "m4", bot.ask, bot.forget) == ""  # one kind reply per window
    assert (await d.handle("b", "x", bot.ask, bot.forget)).startswith("Svar på")
    assert len([c for c in bot.calls if c[0] == "a"]) == 3
    # STOPP is honoured even when limited
    assert await d.handle("a", "stopp", bot.ask, bot.forget) == sl.STOP_REPLY
    clock.t += 61
    assert (await d.handle("a", "igjen", bot.ask, bot.forget)).startswith("Svar på")


async def test_bot_failure_gives_a_kind_reply(clock):
    async def broken(sender, text):
        raise RuntimeError("down")

    d = dialogue(clock)
    assert await d.handle("s", "hei", broken, FakeBot().forget) == sl.ERROR_REPLY


def test_sender_hash_is_keyed_and_canonical():
    h1, h2 = sl.SenderHasher("a" * 32), sl.SenderHasher("b" * 32)
    assert h1("+47 912 34 567") == h1("004791234567") == h1("+4791234567")
    assert h1("+4791234567") != h2("+4791234567")
    assert re.fullmatch(r"sms-[0-9a-f]{64}", h1("+4791234567"))
    assert "91234567" not in h1("+4791234567")
    with pytest.raises(ValueError):
        sl.SenderHasher("")


# -- the knowledge base ------------------------------------------------------------------------


def test_kb_lookups_use_the_articles_sms_text(kb_url, repo):
    lk = sl.KnowledgeLookups(kb_url)
    a = repo.article("avlastning-hva-er")
    custom = {"article": a.id, "audience": "adult"}
    assert lk.sms_text(custom, a.body) == a.sms
    extra = "Organisasjon X: 1234"
    assert lk.sms_text(custom, a.body + "\n\n" + extra) == a.sms + "\n" + extra
    assert lk.sms_text({**custom, "audience": "young"}, a.young) is None
    assert lk.sms_text({"article": "handover-x", "audience": "adult"}, "tekst") is None
    name, phone = lk.handover()
    svc = repo.service("parorendelinjen")
    assert (name, phone) == (svc.name, svc.phone)


def test_every_articles_sms_text_fits_one_page(repo):
    for a in repo.all_articles():
        text = sl.prepare(a.sms)
        assert sl.paginate(text) == [text], a.id
        assert sl.segment_count(text) <= 2, a.id


def test_stats_cli(kb_url, capsys):
    import json

    assert sl.main(["stats", "--kb-url", kb_url]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["sms"]["max"] <= 2 and out["sms"]["n"] == out["articles"] > 0
    assert out["body_as_sms"]["n"] == out["articles"]


def test_every_failure_reply_has_113():
    assert "113" in sl.ERROR_REPLY and "113" in sl.STOP_FAILED_REPLY and "113" in sl.RATE_REPLY


async def test_stopp_when_deletion_fails_answers_honestly(clock):
    async def failing_forget(sender):
        raise RuntimeError("tracker DB down")

    d = dialogue(clock)
    assert await d.handle("s", "STOPP", FakeBot().ask, failing_forget) == sl.STOP_FAILED_REPLY


class Ticker:
    """Counts event-loop turns while it runs: a blocked loop does not tick."""

    def __init__(self):
        self.ticks = 0
        self.task = None

    async def _run(self):
        while True:
            self.ticks += 1
            await asyncio.sleep(0.01)

    def __enter__(self):
        self.task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *exc):
        self.task.cancel()


async def test_a_hung_knowledge_base_costs_the_sms_text_not_the_reply(clock):
    release = threading.Event()

    def hung_lookup(custom, text):
        release.wait(30)  # a database that does not answer (blocking, as SQLAlchemy does)
        return "the sms text"

    bot = FakeBot({"hei": [{"text": "Artikkelens tekst.", "custom": {"article": "a1"}}]})
    d = dialogue(clock, sms_text=hung_lookup, lookup_timeout=0.3)
    try:
        with Ticker() as ticker:
            reply = await d.handle("s", "hei", bot.ask, bot.forget)
        assert reply == "Artikkelens tekst."  # the message's own text
        assert ticker.ticks >= 5, "the event loop was blocked by the lookup"
    finally:
        release.set()


async def test_a_hung_handover_lookup_lets_the_bot_compose_it(clock):
    release = threading.Event()

    def hung_handover():
        release.wait(30)
        return ("Pårørendelinjen", "11 22 33 44")

    bot = FakeBot({"/handover": [{"text": "Ring Pårørendelinjen."}]})
    d = dialogue(clock, handover=hung_handover, lookup_timeout=0.3)
    try:
        with Ticker() as ticker:
            reply = await d.handle("s", "HJELP", bot.ask, bot.forget)
        assert "Ring Pårørendelinjen." in reply and "11 22 33 44" not in reply
        assert ticker.ticks >= 5
    finally:
        release.set()
