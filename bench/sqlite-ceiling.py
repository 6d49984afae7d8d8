#!/usr/bin/env python3
"""The ceiling of the deadline rush (issue 29): SQLite alone, committing small transactions as
fast as it can, on the same disk and with the server's pragmas (server/src/db.rs: WAL,
synchronous=FULL, foreign_keys=ON, busy_timeout=5 s).

    python3 bench/sqlite-ceiling.py DIR [--seconds 5] [--batch 100]

Writes a fresh DIR/ceiling.sqlite, then for `--seconds` each:
  - per commit: one transaction per row (BEGIN; INSERT of a ~1 kB row; COMMIT);
  - per commit, update: one transaction per UPDATE of a ~1 kB row among 500 (an autosave);
  - batched: `--batch` rows per transaction.
Prints JSON: commits/s, rows/s, p50/p99 of a commit (ms), the SQLite version.

Python's sqlite3 module (the system's libsqlite3), not the server's bundled SQLite (sqlx's
libsqlite3-sys): a commit's cost here is the WAL append and its fsync, which both builds do
the same way; see bench/README.md.
"""
import json
import os
import sqlite3
import sys
import time


def arg(name, default):
    if name in sys.argv:
        return type(default)(sys.argv[sys.argv.index(name) + 1])
    return default


def connect(path):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=5000")
    return db


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p))]


def run(db, seconds, batch, statement, params):
    latencies = []
    rows = 0
    began = time.perf_counter()
    end = began + seconds
    n = 0
    while True:
        t = time.perf_counter()
        if t >= end:
            break
        db.execute("BEGIN IMMEDIATE")
        for _ in range(batch):
            db.execute(statement, params(n))
            n += 1
        db.execute("COMMIT")
        latencies.append((time.perf_counter() - t) * 1000)
        rows += batch
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "commits_per_s": round(len(latencies) / elapsed, 1),
        "rows_per_s": round(rows / elapsed, 1),
        "commit_p50_ms": round(percentile(latencies, 0.50), 3),
        "commit_p99_ms": round(percentile(latencies, 0.99), 3),
        "seconds": round(elapsed, 2),
    }


def main():
    directory = sys.argv[1]
    seconds = arg("--seconds", 5.0)
    batch = arg("--batch", 100)
    path = os.path.join(directory, "ceiling.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = connect(path)
    db.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, key TEXT NOT NULL, body TEXT NOT NULL) STRICT")
    db.execute(
        "CREATE TABLE autosaves (account_id INTEGER NOT NULL, key TEXT NOT NULL, body TEXT NOT NULL, "
        "PRIMARY KEY (account_id, key)) STRICT, WITHOUT ROWID"
    )
    body = "x" * 1000
    insert = "INSERT INTO rows (key, body) VALUES (?, ?)"
    per_commit = run(db, seconds, 1, insert, lambda n: (f"k{n}", body))
    upsert = (
        "INSERT INTO autosaves (account_id, key, body) VALUES (?, 'new', ?) "
        "ON CONFLICT (account_id, key) DO UPDATE SET body = excluded.body"
    )
    per_commit_update = run(db, seconds, 1, upsert, lambda n: (n % 500, f"{n}{body}"))
    batched = run(db, seconds, batch, insert, lambda n: (f"b{n}", body))
    db.close()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    print(
        json.dumps(
            {
                "sqlite_version": sqlite3.sqlite_version,
                "pragmas": "journal_mode=WAL, synchronous=FULL, foreign_keys=ON, busy_timeout=5000",
                "row_bytes": len(body),
                "per_commit_insert": per_commit,
                "per_commit_upsert": per_commit_update,
                "batched": dict(batched, rows_per_commit=batch),
            }
        )
    )


main()
