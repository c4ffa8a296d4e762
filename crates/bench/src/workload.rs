//! The request mix: 70% reads, 25% writes, 5% destructive; SQL and shell inputs of 50 to
//! 2,000 bytes (or a fixed size), over a population of agents and sessions.

use rand::Rng;
use rand::seq::IndexedRandom;
use serde_json::json;

const READ_SQL: &[&str] = &[
    "SELECT id, email, created_at FROM accounts WHERE id = 42",
    "SELECT a.id, count(o.id) AS orders FROM accounts a JOIN orders o ON o.account_id = a.id WHERE o.created_at > now() - interval '7 days' GROUP BY a.id ORDER BY orders DESC LIMIT 20",
    "WITH recent AS (SELECT * FROM events WHERE ts > now() - interval '1 hour') SELECT kind, count(*) FROM recent GROUP BY kind",
    "EXPLAIN SELECT * FROM invoices WHERE status = 'open'",
];
const READ_SHELL: &[&str] = &[
    "ls -la /srv/app",
    "git log --oneline -n 20 | head",
    "grep -rn 'TODO' src/ | wc -l",
    "cat config/app.yaml",
    "kubectl get pods -n staging",
];
const WRITE_SQL: &[&str] = &[
    "INSERT INTO audit_notes (account_id, note) VALUES (42, 'reviewed')",
    "UPDATE accounts SET plan = 'pro' WHERE id = 42",
    "CREATE INDEX CONCURRENTLY idx_orders_created ON orders (created_at)",
];
const WRITE_SHELL: &[&str] = &[
    "git commit -am 'update docs'",
    "mkdir -p build/out && cp README.md build/out/",
    "npm install left-pad",
];
const DESTRUCTIVE: &[(&str, &str)] = &[
    ("db.query", "DROP TABLE accounts"),
    ("db.query", "DELETE FROM orders"),
    ("shell.exec", "rm -rf /srv/app/data"),
    ("shell.exec", "bash -c \"psql -c 'TRUNCATE users'\""),
];

/// Pads a statement to `size` bytes with a trailing string literal or comment, so the
/// content analysers parse inputs of that size.
fn pad(base: &str, size: usize, sql: bool) -> String {
    let Some(room) = size.checked_sub(base.len() + 8) else {
        return base.to_string();
    };
    let fill = "x".repeat(room);
    if sql {
        format!("{base} /* {fill} */")
    } else {
        format!("{base} # {fill}")
    }
}

/// One check body for agent `agent` in session `session`.
pub fn body(
    rng: &mut impl Rng,
    agent: &str,
    session: &str,
    size: Option<usize>,
) -> serde_json::Value {
    let roll: f64 = rng.random();
    let size = size.unwrap_or_else(|| rng.random_range(50..=2000));
    let (tool, input) = if roll < 0.70 {
        if rng.random_bool(0.5) {
            (
                "db.query",
                pad(
                    READ_SQL.choose(rng).copied().unwrap_or_default(),
                    size,
                    true,
                ),
            )
        } else {
            (
                "shell.exec",
                pad(
                    READ_SHELL.choose(rng).copied().unwrap_or_default(),
                    size,
                    false,
                ),
            )
        }
    } else if roll < 0.95 {
        if rng.random_bool(0.5) {
            (
                "db.query",
                pad(
                    WRITE_SQL.choose(rng).copied().unwrap_or_default(),
                    size,
                    true,
                ),
            )
        } else {
            (
                "shell.exec",
                pad(
                    WRITE_SHELL.choose(rng).copied().unwrap_or_default(),
                    size,
                    false,
                ),
            )
        }
    } else {
        let (tool, input) = DESTRUCTIVE
            .choose(rng)
            .copied()
            .unwrap_or(("db.query", "DROP TABLE t"));
        (tool, pad(input, size, tool == "db.query"))
    };
    json!({
        "agent_id": agent,
        "session_id": session,
        "action_name": tool,
        "action_source": "api",
        "action_input_summary": input,
    })
}
