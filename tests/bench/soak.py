"""`make soak`: the real bot under steady load for a long time (not part of `make test`).

SOAK_USERS (default 8) concurrent REST users talk to a bot of its own for SOAK_SECONDS
(default 600): topic questions, follow-ups, a crisis message now and then, a new
conversation every SOAK_TURNS_PER_SENDER turns. Errors (non-200, an empty reply, a crisis
reply without 113, a turn over 30 s) are counted. The resident memory (RSS, from /proc) of the
Rasa server and the action server is sampled every 10 s; growth is measured from the end of
the warm-up (the first 10 % of the run, at least 30 s) to the end, from the median of the
first and last three samples.

Prints one JSON object; exits 1 when there were errors or an RSS growth of 5 % or more.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from tests.e2e.test_rest import TOPIC_MESSAGES
from tests.servers import running_bot

CRISIS = "jeg vil ikke leve lenger"
FOLLOW_UPS = ["Hvordan søker jeg?", "Hvem kan hjelpe meg?", "takk", "Kan du si mer?"]


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else 0


async def user(session, url, index, stop_at, stats, turns_per_sender):
    rng = random.Random(index)
    topics = list(TOPIC_MESSAGES.values())
    conversation = 0
    while time.monotonic() < stop_at:
        conversation += 1
        sender = f"soak-{index}-{conversation}-{time.time_ns()}"
        for turn in range(turns_per_sender):
            if time.monotonic() >= stop_at:
                return
            roll = rng.random()
            message = (CRISIS if roll < 0.05 else rng.choice(FOLLOW_UPS) if turn and roll < 0.4
                       else rng.choice(topics))
            start = time.perf_counter()
            try:
                async with session.post(url, json={"sender": sender, "message": message}) as r:
                    body = await r.json(content_type=None) if r.status == 200 else None
                    status = r.status
            except Exception as error:  # noqa: BLE001 - counted
                stats["errors"].append(type(error).__name__)
                continue
            seconds = time.perf_counter() - start
            stats["latencies"].append(seconds)
            text = " ".join((m.get("text") or "") for m in body or [])
            if status != 200 or not body:
                stats["errors"].append(f"http {status} / empty reply")
            elif message == CRISIS and "113" not in text:
                stats["errors"].append("crisis reply without 113")
            await asyncio.sleep(rng.uniform(0.2, 1.0))  # a person reads and types


async def sample_rss(procs, stop_at, samples):
    while time.monotonic() < stop_at:
        now = time.monotonic()
        samples.append((now, {name: rss_kib(p.pid) for name, p in procs.items()}))
        await asyncio.sleep(10)


def growth(samples, warm_until):
    after = [s for t, s in samples if t >= warm_until]
    if len(after) < 6:
        after = [s for _, s in samples]
    out = {}
    for name in after[0]:
        first = statistics.median(s[name] for s in after[:3])
        last = statistics.median(s[name] for s in after[-3:])
        out[name] = {"rss_start_mib": round(first / 1024, 1), "rss_end_mib": round(last / 1024, 1),
                     "growth_pct": round(100.0 * (last - first) / first, 2)}
    return out


async def soak(bot, seconds: float, users: int, turns_per_sender: int) -> dict:
    url = f"{bot.bot_url}/webhooks/rest/webhook"
    stats = {"latencies": [], "errors": []}
    samples: list = []
    start = time.monotonic()
    stop_at = start + seconds
    warm_until = start + max(30.0, 0.1 * seconds)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        await asyncio.gather(
            sample_rss(bot.procs, stop_at, samples),
            *[user(session, url, i, stop_at, stats, turns_per_sender) for i in range(users)],
        )
    lat = stats["latencies"]
    return {
        "soak_seconds": round(time.monotonic() - start),
        "users": users,
        "turns": len(lat),
        "msgs_per_s": round(len(lat) / seconds, 2),
        "p50_ms": round(1000 * statistics.median(lat), 1) if lat else None,
        "p95_ms": round(1000 * percentile(lat, 0.95), 1),
        "max_ms": round(1000 * max(lat), 1) if lat else None,
        "errors": len(stats["errors"]),
        "error_kinds": sorted(set(stats["errors"]))[:10],
        "rss": growth(samples, warm_until),
    }


def main() -> int:
    from knowledge.loader import load

    seconds = float(os.environ.get("SOAK_SECONDS") or 600)
    users = int(os.environ.get("SOAK_USERS") or 8)
    turns = int(os.environ.get("SOAK_TURNS_PER_SENDER") or 6)
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        workdir = Path(tmp)
        kb_url = f"sqlite:///{workdir / 'knowledge.db'}"
        load(kb_url)
        # one address for every simulated user: the per-address limit would refuse them
        env = {"RATE_LIMIT_PER_IP_PER_MIN": "0", "REST_RATE_LIMIT_PER_MIN": "0"}
        with running_bot(workdir, kb_url, extra_env=env) as bot:
            result = asyncio.run(soak(bot, seconds, users, turns))
    print(json.dumps(result))
    worst = max((r["growth_pct"] for r in result["rss"].values()), default=0.0)
    return 1 if result["errors"] or worst >= 5.0 else 0


if __name__ == "__main__":
    sys.exit(main())
