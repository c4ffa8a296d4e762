#!/usr/bin/env python3
"""PostgreSQL messages a check, by statement (docs/benchmarks.md, sixteenth and seventeenth
passes).

Reads the server log from byte OFFSET on (taken before the run), keeps the statements after
the baseline route's last key read (the check phase follows it), and divides each kind's count
by the decisions' inserts in that window: one insert a check.

    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE bench_l'
    psql -h 127.0.0.1 -U postgres -c "ALTER DATABASE bench_l SET log_statement = 'all'"
    log=/var/log/postgresql/postgresql-15-main.log; start=$(stat -c %s $log)
    AIRLOCK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_l target/release/airlock-bench \
      --airlock target/release/airlock --connections 64 --duration 3 --paced-fraction 0 --replicas 2
    python3 scripts/pg-messages.py $log $start
"""

import collections
import re
import sys

STATEMENT = re.compile(r"LOG:  (?:execute [^:]*|statement): (.*)")
KEY_READ = re.compile(r"^SELECT .*FROM api_keys\b.*WHERE (k\.)?hash = \$1\s*$")


def kind(sql: str) -> str:
    u = sql.upper()
    if u.startswith("WITH O AS") or u.startswith("WITH S AS"):
        return "the joined read"
    if u.startswith("SELECT 1 FROM SESSIONS"):
        return "the session's lock taken alone"
    if u.startswith("SELECT ID, STATUS") and "FROM APPROVALS" in u:
        return "the approvals read"
    if "INSERT INTO DECISIONS" in u:
        return "the decision's insert (with the session's update)"
    if u in ("BEGIN", "COMMIT", "ROLLBACK"):
        return u
    if "SAVEPOINT" in u:
        return "savepoints: " + sql[:40]
    return "other: " + sql[:60]


def main() -> None:
    log, start = sys.argv[1], int(sys.argv[2])
    with open(log, "rb") as f:
        f.seek(start)
        lines = f.read().decode("utf-8", "replace").splitlines()
    statements = [m.group(1).strip() for m in map(STATEMENT.search, lines) if m]
    last_key_read = max((i for i, s in enumerate(statements) if KEY_READ.match(s)), default=-1)
    counts = collections.Counter(kind(s) for s in statements[last_key_read + 1 :])
    checks = counts["the decision's insert (with the session's update)"]
    if not checks:
        sys.exit("no decision was inserted after the baseline route's last key read")
    for k, n in counts.most_common():
        if n / checks >= 0.002:
            print(f"{n / checks:8.3f}  {k}")
    print(f"{sum(counts.values()) / checks:8.3f}  all, over {checks} checks")


if __name__ == "__main__":
    main()
