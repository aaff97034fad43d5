"""`make bench`: REST latency and throughput of the bot vs a stock `rasa init` bot.

Both bots run here, in the same run, under the same load (contract: one JSON object per
line; `ratio` = our msgs/s divided by the baseline's). The baseline is Rasa's own starter
bot (`rasa init`), trained once into var/bench/baseline.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import aiohttp

from tests.e2e.test_rest import TOPIC_MESSAGES
from tests.servers import ROOT, VENV_BIN, _stop, _wait, free_port, running_bot

BASELINE_DIR = ROOT / "var" / "bench" / "baseline"
BASELINE_MESSAGES = ["hello", "I am sad", "yes", "great", "goodbye", "are you a bot?",
                     "hi there", "not really", "very good", "bye"]
OUR_MESSAGES = list(TOPIC_MESSAGES.values())


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def _converse(session, url, sender, messages, turns, latencies):
    for i in range(turns):
        start = time.perf_counter()
        async with session.post(url, json={"sender": sender,
                                           "message": messages[i % len(messages)]}) as r:
            await r.read()
            assert r.status == 200, r.status
        latencies.append((time.perf_counter() - start) * 1000)


async def load(base_url, messages, users, turns, tag):
    url = f"{base_url}/webhooks/rest/webhook"
    latencies: list[float] = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        # warm-up: one turn each, not measured
        await _converse(session, url, f"{tag}-warm", messages, 3, [])
        start = time.perf_counter()
        await asyncio.gather(*[
            _converse(session, url, f"{tag}-{u}-{time.time_ns()}", messages, turns, latencies)
            for u in range(users)
        ])
        elapsed = time.perf_counter() - start
    return {
        "msgs_per_s": round(len(latencies) / elapsed, 2),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
    }


def ensure_baseline() -> Path:
    model = BASELINE_DIR / "models"
    if not any(model.glob("*.tar.gz")):
        BASELINE_DIR.mkdir(parents=True, exist_ok=True)
        print("training the baseline `rasa init` bot (once)...", file=sys.stderr)
        subprocess.run([str(VENV_BIN / "rasa"), "init", "--no-prompt", "--init-dir",
                        str(BASELINE_DIR)], check=True, cwd=BASELINE_DIR,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return sorted(model.glob("*.tar.gz"))[-1]


@contextmanager
def running_baseline(model: Path, workdir: Path):
    port = free_port()
    log = workdir / "baseline.log"
    proc = subprocess.Popen([str(VENV_BIN / "rasa"), "run", "--model", str(model), "--port",
                             str(port), "--interface", "127.0.0.1"],
                            cwd=BASELINE_DIR, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        _wait(f"http://127.0.0.1:{port}/", proc, log, 240)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(proc)


SCENARIOS = [("rest_1user_100msg", 1, 100), ("rest_8conc_10turn", 8, 10)]


def main() -> int:
    from knowledge.config import default_db_url

    baseline_model = ensure_baseline()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        with running_baseline(baseline_model, Path(tmp)) as url:
            for name, users, turns in SCENARIOS:
                results[("base", name)] = asyncio.run(
                    load(url, BASELINE_MESSAGES, users, turns, "base"))
        # the per-sender rate limit is off here: one bench user sends 100 messages a minute
        with running_bot(Path(tmp), default_db_url(),
                         extra_env={"REST_RATE_LIMIT_PER_MIN": "0",
                                    "RATE_LIMIT_PER_IP_PER_MIN": "0"}) as bot:
            for name, users, turns in SCENARIOS:
                results[("ours", name)] = asyncio.run(
                    load(bot.bot_url, OUR_MESSAGES, users, turns, "ours"))
    for name, _, _ in SCENARIOS:
        ours, base = results[("ours", name)], results[("base", name)]
        print(json.dumps({
            "name": name, **ours,
            "baseline_msgs_per_s": base["msgs_per_s"],
            "baseline_p50_ms": base["p50_ms"], "baseline_p95_ms": base["p95_ms"],
            "ratio": round(ours["msgs_per_s"] / base["msgs_per_s"], 2),
        }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
