"""How the local runtime holds up as its ledger grows (issue: 10,000 ledger transactions,
a request still under 100 ms, the process under 1 GB), and what its journal costs a write.

Starts the whole local runtime in this process (moto server with the devtools patches and the
journal, the demo data, the Chalice API on a free port), books ledger transactions through the
app's own LedgerStore (real items: transaction, journal lines, balances), then times real HTTP
requests against the API and reads the process size. The journal's cost per write is measured
inside the runtime (finding the changes and appending them; waiting for the disk sync), then
for writers arriving together (group commit), and the time to replay the whole journal, as a
start after `kill -9` would. Finally it switches moto's original TransactWriteItems and Query
back on for a few requests, for contrast.

    .venv/bin/python -m bench.local_ledger [--transactions 10000]

Prints measurements only; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import resource
import statistics
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import boto3

from bench.results_file import record
from chalicelib.domain import ledger
from chalicelib.store.dynamo import DynamoTable
from chalicelib.store.ledger import LedgerStore
from chalicelib.store.schema import ledger_table_name
from devtools import durability, effects, moto_query, moto_transact, persistence
from devtools.local_runtime import REGION, TABLE_NAME, LocalRuntime, Settings

BUDGET_REQUEST_MS = 100
BUDGET_RSS_MB = 1024
WRITERS = 4
ROUTES = ["/health", "/members/me", "/members/me/statement", "/members", "/opportunities"]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def book(store: LedgerStore, member_ids: list[str], first: int, count: int) -> list[float]:
    durations = []
    at = datetime(2026, 5, 1, tzinfo=UTC)
    for n in range(first, first + count):
        payment = ledger.payment_received(
            member_ids[n % len(member_ids)], 100 + n % 900, date(2026, 5, 1), f"BENCH-{n}", at
        )
        started = time.perf_counter()
        store.book(payment)
        durations.append(time.perf_counter() - started)
    return durations


def token(info: dict[str, Any]) -> str:
    admin = next(u for u in info["users"] if u["role"] == "admin")
    cognito = boto3.session.Session().client("cognito-idp", region_name=REGION)
    answer = cognito.initiate_auth(
        ClientId=info["user_pool_client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": admin["email"], "PASSWORD": admin["password"]},
    )
    return str(answer["AuthenticationResult"]["IdToken"])


def time_routes(api_url: str, bearer: str, repeat: int = 15) -> dict[str, tuple[float, float]]:
    timings = {}
    for route in ROUTES:
        samples = []
        for _ in range(repeat):
            request = urllib.request.Request(
                api_url + route, headers={"Authorization": f"Bearer {bearer}"}
            )
            started = time.perf_counter()
            with urllib.request.urlopen(request) as response:
                json.loads(response.read())
            samples.append((time.perf_counter() - started) * 1000)
        timings[route] = (statistics.median(samples), max(samples))
    return timings


def snapshot_lock_ms(runtime: LocalRuntime) -> tuple[int, float, float]:
    """Items captured, ms moto is held by a periodic snapshot, s spent outside the lock."""
    assert runtime.server is not None
    started = time.perf_counter()
    with runtime.server.tracker.lock:
        state, _ = persistence.capture(REGION)
    held_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    encoded = persistence.encode(persistence.plain(state))
    outside_s = time.perf_counter() - started
    items = sum(len(t["items"]) for t in state["dynamodb"])
    assert encoded
    return items, held_ms, outside_s


def main() -> None:
    parser = argparse.ArgumentParser(description="local runtime under a growing ledger")
    parser.add_argument("--transactions", type=int, default=10_000)
    args = parser.parse_args()
    # chalice local and the app log every request; the measurements are easier to read
    # without them (the app configures its logs on import, after this)
    http.server.BaseHTTPRequestHandler.log_message = lambda *_: None  # type: ignore[method-assign]
    os.environ["COOP_LOG_LEVEL"] = "WARNING"
    with tempfile.TemporaryDirectory() as local_dir:
        runtime = LocalRuntime(
            Settings(local_dir=Path(local_dir), moto_port=0, api_port=0, snapshot_interval=3600)
        )
        runtime.start_aws()
        runtime.seed()
        api = runtime.create_api_server()
        # the HTTP server itself: chalice's serve_forever first prints "Serving on ..."
        threading.Thread(target=api.server.serve_forever, daemon=True).start()
        try:
            run(runtime, args.transactions)
        finally:
            api.server.shutdown()
            runtime.stop()


def run(runtime: LocalRuntime, transactions: int) -> None:
    info = runtime.dev_info()
    session = boto3.session.Session()
    dynamodb = session.client("dynamodb", region_name=REGION)
    store = LedgerStore(
        DynamoTable(dynamodb, ledger_table_name(TABLE_NAME)), pots=DynamoTable(dynamodb, TABLE_NAME)
    )
    members = [u["member_id"] for u in info["users"]]
    bearer = token(info)
    print(f"local runtime at {info['api_url']}, moto at {info['aws_endpoint_url']}")
    before = time_routes(info["api_url"], bearer)
    # The first and last bookings one at a time, for their latency; the middle ones from
    # several writers at once, which is quicker and shows how they share disk syncs.
    window = max(1, min(500, transactions // 4))
    first = book(store, members, 0, window)
    middle = transactions - 2 * window
    per_sync = book_together(runtime, store, members, window, middle)
    last = book(store, members, window + middle, window)
    after = time_routes(info["api_url"], bearer)
    first_ms = statistics.mean(first) * 1000
    last_ms = statistics.mean(last) * 1000
    print(f"\nbooked {transactions} ledger transactions (5 items each) through LedgerStore")
    print(f"  mean ms per booking, first {window}: {first_ms:8.2f}")
    print(f"  mean ms per booking, last {window}:  {last_ms:8.2f}")
    print(f"  ratio last/first:                  {last_ms / first_ms:8.2f}")
    print(f"  the {middle} between from {WRITERS} writers at once: {per_sync:.1f} records per sync")
    print(
        f"\n{'route':<26}{'median ms (empty)':>18}{'median ms (after)':>18}{'max ms (after)':>16}"
    )
    for route in ROUTES:
        print(
            f"{route:<26}{before[route][0]:>18.1f}{after[route][0]:>18.1f}{after[route][1]:>16.1f}"
        )
    worst = max(m for _, m in after.values())
    print(
        f"\nslowest request after {transactions} transactions: {worst:.1f} ms "
        f"({'under' if worst < BUDGET_REQUEST_MS else 'OVER'} the {BUDGET_REQUEST_MS} ms budget)"
    )
    peak = rss_mb()
    print(
        f"process RSS now {current_rss_mb():.0f} MB, peak {peak:.0f} MB "
        f"({'under' if peak < BUDGET_RSS_MB else 'OVER'} the {BUDGET_RSS_MB} MB budget)"
    )
    journal = journal_cost(runtime)
    replay_s = replay_time(runtime)
    items, held_ms, outside_s = snapshot_lock_ms(runtime)
    print(
        f"snapshot (compaction) of {items} items: moto held {held_ms:.0f} ms, "
        f"{outside_s:.2f} s of conversion outside the lock"
    )
    moto_own = contrast(store, members, info, bearer, transactions)
    record(
        "local_ledger",
        {
            "transactions": transactions,
            "booking_ms_first": round(first_ms, 2),
            "booking_ms_last": round(last_ms, 2),
            "records_per_sync": round(per_sync, 2),
            "routes_median_ms_empty": {r: round(before[r][0], 1) for r in ROUTES},
            "routes_median_ms_after": {r: round(after[r][0], 1) for r in ROUTES},
            "slowest_request_ms": round(worst, 1),
            "budget_request_ms": BUDGET_REQUEST_MS,
            "peak_rss_mb": round(peak),
            "budget_rss_mb": BUDGET_RSS_MB,
            "journal": journal,
            "journal_replay_s": round(replay_s, 2),
            "snapshot_items": items,
            "snapshot_lock_ms": round(held_ms, 1),
            "moto_own_code": moto_own,
        },
    )


def journal_cost(runtime: LocalRuntime) -> dict[str, Any]:
    assert runtime.server is not None
    moto = runtime.server.tracker
    stats, log = moto.stats, moto.attached_journal
    assert log is not None and stats.records
    record_ms = stats.record_s / stats.records * 1000
    sync_ms = stats.sync_wait_s / stats.records * 1000
    print(
        f"\njournal: {stats.records} records ({stats.bytes / stats.records:.0f} bytes each), "
        f"{log.syncs} disk syncs, {stats.barriers} snapshots instead (tables created)"
    )
    print(f"  per write: finding and appending the changes {record_ms:6.2f} ms")
    print(f"             waiting for the disk sync        {sync_ms:6.2f} ms")
    print(f"             together                         {record_ms + sync_ms:6.2f} ms")
    return {
        "records": stats.records,
        "syncs": log.syncs,
        "record_ms": round(record_ms, 3),
        "sync_wait_ms": round(sync_ms, 3),
    }


def book_together(
    runtime: LocalRuntime, store: LedgerStore, members: list[str], first: int, count: int
) -> float:
    """Books `count` transactions from WRITERS threads; answers records per disk sync."""
    assert runtime.server is not None
    log = runtime.server.tracker.attached_journal
    assert log is not None
    records, syncs = log.appended_seq, log.syncs
    share = -(-count // WRITERS)
    threads = [
        threading.Thread(
            target=book,
            args=(store, members, first + w * share, min(share, count - w * share)),
        )
        for w in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return (log.appended_seq - records) / max(log.syncs - syncs, 1)


def replay_time(runtime: LocalRuntime) -> float:
    """Replays every record still in the journal, as recovery after kill -9 would."""
    assert runtime.server is not None
    journal_dir = runtime.settings.state_dir / durability.JOURNAL_DIR
    replayer = effects.Replayer(REGION, boto3.session.Session(), runtime.endpoint_url)
    with runtime.server.tracker.lock:  # effects are after-states: replaying them changes nothing
        started = time.perf_counter()
        replayed = durability.replay(journal_dir, 0, replayer)
        seconds = time.perf_counter() - started
    size_mb = sum(p.stat().st_size for p in journal_dir.iterdir()) / 1e6
    print(
        f"  replaying the journal ({replayed.replayed} records, {size_mb:.1f} MB) at start-up: "
        f"{seconds:.1f} s"
    )
    return seconds


def contrast(
    store: LedgerStore, members: list[str], info: dict[str, Any], bearer: str, offset: int
) -> dict[str, Any]:
    """The same requests with moto's own TransactWriteItems and Query, on the same table."""
    moto_transact.uninstall()
    moto_query.uninstall()
    try:
        durations = book(store, members, offset, 1)
        routes = time_routes(info["api_url"], bearer, repeat=1)
    finally:
        moto_transact.install()
        moto_query.install()
    print("\nfor contrast, moto 5.2.5's own code on the same table:")
    print(f"  one booking: {statistics.mean(durations) * 1000:.0f} ms")
    for route in ROUTES:
        print(f"  {route:<26} {routes[route][0]:.0f} ms")
    return {
        "booking_ms": round(statistics.mean(durations) * 1000),
        "routes_ms": {r: round(routes[r][0]) for r in ROUTES},
    }


if __name__ == "__main__":
    main()
