#!/usr/bin/env bash
# The check path's load benchmark (issue 6): builds release binaries, then runs airlock-bench
# against a fresh `airlock serve` on the embedded store for the default mix and for each
# cost-growth sweep. Results print as text and are appended as JSON lines to bench-results.jsonl.
#
#   bash scripts/bench-check.sh            # the default run and every sweep
#   bash scripts/bench-check.sh quick      # the default run only
#
# Environment: DURATION (seconds per phase, default 10), CONNECTIONS (default 32).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-32}"
OUT="$ROOT/bench-results.jsonl"

# The baseline route exists only in builds with the `bench-baseline` feature (never a release).
cargo build --release -p airlock -p airlock-bench --features airlock/bench-baseline
BENCH="$ROOT/target/release/airlock-bench"
run() {
    echo
    echo "== airlock-bench $*"
    "$BENCH" --airlock "$ROOT/target/release/airlock" --duration "$DURATION" --connections "$CONNECTIONS" --json "$@" \
        | tee /dev/stderr | tail -n 1 >> "$OUT"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
run
[ "${1:-}" = "quick" ] && exit 0
for sessions in 10000 100000; do run --sessions "$sessions" --paced-fraction 0; done
for bytes in 50 2000 16384 65536; do run --input-bytes "$bytes" --paced-fraction 0; done
for tools in 2 200; do run --tools "$tools" --paced-fraction 0; done
