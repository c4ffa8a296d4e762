#!/usr/bin/env bash
# The `wrk` comparison of issue 14: the same wrk load (1 thread, 32 connections, a 70/25/5
# read/write/destructive SQL and shell mix over 50 read_only sessions) against a trivial
# endpoint (parse the body, look for four keywords, hash the input, answer: no key, no store;
# `POST /api/v1/bench/trivial`) and against the check, on one release `airlock serve`.
# Prints both throughputs and latency percentiles and the ratio check/trivial.
#
#   bash scripts/bench-wrk.sh            # 10 s per endpoint
#   DURATION=20 bash scripts/bench-wrk.sh
#
# Needs wrk (Debian: apt-get install wrk). Builds release binaries with the bench routes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-32}"
PORT="${PORT:-18099}"
command -v wrk >/dev/null || { echo "bench-wrk: needs wrk (apt-get install wrk)" >&2; exit 1; }
[ "${SKIP_BUILD:-0}" = 1 ] || cargo build --release -p airlock --features airlock/bench-baseline
BIN="${AIRLOCK_BIN:-$ROOT/target/release/airlock}"
DATA="$(mktemp -d)"
KEY="sk_live_wrkbench0000000000000000000000000000"
trap 'kill $PID 2>/dev/null || true; rm -rf "$DATA"' EXIT
AIRLOCK_BOOTSTRAP_API_KEY="$KEY" "$BIN" serve --addr "127.0.0.1:$PORT" --data-dir "$DATA/data" \
    --bench-routes >"$DATA/serve.log" 2>&1 &
PID=$!
URL="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -fs "$URL/health" >/dev/null 2>&1 && break; sleep 0.1; done

# 5 agents, 50 implicit read_only sessions (the organization's default mode).
: >"$DATA/sessions"
for a in $(seq 5); do
    id=$(curl -fs -X POST "$URL/api/v1/agents" -H "X-API-Key: $KEY" -H 'Content-Type: application/json' \
        -d "{\"name\":\"wrk-agent-$a\",\"capabilities\":[\"db.*\",\"shell.*\"]}" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    for s in $(seq 10); do echo "$id wrk-$a-$s" >>"$DATA/sessions"; done
done

run() {
    WRK_PATH="$1" WRK_KEY="$KEY" WRK_SESSIONS="$DATA/sessions" \
        wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$ROOT/scripts/bench-wrk.lua" "$URL" \
        >"$DATA/wrk-$2.txt"
    local rps p50 p99
    rps=$(awk '/Requests\/sec/ {print $2}' "$DATA/wrk-$2.txt")
    p50=$(awk '$1 == "50%" {print $2}' "$DATA/wrk-$2.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$DATA/wrk-$2.txt")
    non2xx=$(awk '/Non-2xx/ {print $5}' "$DATA/wrk-$2.txt")
    echo "$2: ${rps} req/s, p50 ${p50}, p99 ${p99}, non-2xx ${non2xx:-0}" >&2
    echo "$rps"
}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
trivial=$(run /api/v1/bench/trivial trivial)
check=$(run /api/v1/agenttrust/check check)
python3 -c "print(f'check / trivial: {float($check) / float($trivial):.3f}')"
