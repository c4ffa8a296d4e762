#!/usr/bin/env bash
# Durable decisions per second, SQLite and PostgreSQL, 1, 8 and 64 concurrent clients, with
# group commit (up to 256 decisions per commit) and without (one commit per decision).
#
#   bash scripts/bench-durable.sh                                   # SQLite only
#   bash scripts/bench-durable.sh postgres://postgres@127.0.0.1/postgres   # and PostgreSQL
#
# Each run appends decisions through the store the way a check does (read the agent, lock the
# session, look up approvals, insert the decision, update counters and chain head), every
# client on a session of its own, for SECONDS (default 5) after a 1 s warm-up; every answer
# comes after its commit (SQLite synchronous=FULL, PostgreSQL synchronous_commit=on). The
# PostgreSQL runs use a fresh schema each and WORKERS (default 4) connections.
# SQLite files go to BENCH_DIR (default /tmp): put it on the disk you deploy on.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DATABASE="${1:-${AIRLOCK_BENCH_DATABASE_URL:-}}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-5}"
WORKERS="${WORKERS:-4}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac

cargo build --release -q -p airlock-store --example durable
BIN="$TARGET_DIR/release/examples/durable"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -r)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for batch in 256 1; do
    "$BIN" --clients 1,8,64 --max-batch "$batch" --seconds "$SECONDS_PER_RUN"
done
if [ -n "$DATABASE" ]; then
    echo "postgres: $(psql "$DATABASE" -Atc 'show server_version' 2>/dev/null || echo '?'), synchronous_commit=on per connection"
    for batch in 256 1; do
        "$BIN" --database "$DATABASE" --clients 1,8,64 --max-batch "$batch" --workers "$WORKERS" --seconds "$SECONDS_PER_RUN"
    done
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
