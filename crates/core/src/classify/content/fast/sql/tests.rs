//! The fast SQL path's own cases: what it accepts and the twins it must refuse.

use super::*;

#[test]
fn plain_selects_are_recognised() {
    for s in [
        "SELECT u.id, u.email, count(o.id) AS orders, sum(o.total) AS revenue FROM users u LEFT JOIN orders o ON o.user_id = u.id WHERE o.created_at >= '2024-01-01' GROUP BY u.id, u.email ORDER BY revenue DESC",
        "select * from t",
        "SELECT a, b FROM t WHERE c = 1 AND d IN (1, 2, 3) LIMIT 10;",
        "SELECT t.* FROM s.t WHERE x IS NOT NULL AND y NOT LIKE 'a%' ORDER BY x NULLS LAST",
        "SELECT count(*) FROM a CROSS JOIN b",
    ] {
        assert!(select_read(s), "{s}");
    }
}

#[test]
fn anything_else_falls_back() {
    for s in [
        "SELECT * INTO t2 FROM t",
        "SELECT * FROM t FOR UPDATE",
        "SELECT * FROM t; DROP TABLE t",
        "SELECT pg_sleep(1) FROM t",
        "SELECT * FROM t --x",
        "SELECT * FROM t /* x",
        "SELECT \"a\" FROM t",
        "SELECT a FROM t WHERE b = $1",
        "SELECT a FROM t WHERE b = E'x'",
        "SELECT a FROM (SELECT 1) x",
        "SELECT a FROM t WHERE b IN (SELECT c FROM u)",
        "SELECT a FROM read_csv('x')",
        "SELECT a FROM t WHERE b = 'x' 'y'",
        "SELECT а FROM t",
        "SELECT 1e5 FROM t",
        "SELECT a FROM t WHERE NOT",
        "SELECT a FROM t LIMIT 1 OFFSET 2 garbage",
        "SELECT lower() FROM t",
    ] {
        assert!(!select_read(s), "{s}");
    }
}

/// Trailing comments the fast path reads, each beside adversarial twins it must refuse.
#[test]
fn trailing_comments_and_their_twins() {
    let base = "SELECT id, email FROM accounts WHERE id = 42";
    for c in [
        " /* request 7f3a, app: billing */",
        "/*controller='index',framework='django'*/",
        " /**/",
        " /*/ x */",
        " /* a */ \n",
        " -- top users",
        " --\tx",
        " -- a -- b /* c",
        " -- x;",
    ] {
        let s = format!("{base}{c}");
        assert!(select_read(&s), "{s:?}");
    }
    for c in [
        " /* x */ DROP TABLE x; /* y */",
        " /* */ DROP TABLE x; /* */",
        " /*! DROP TABLE t */",
        " /*!50000 DROP TABLE t */",
        " /*M! DROP TABLE t */",
        " /*m! DROP TABLE t */",
        " /*+ INDEX(t) */",
        " /* /* */ DROP TABLE t; */",
        " /* a/*/",
        " /* a/*/ DROP TABLE t; */",
        " /* a */ /* b */",
        " /* a */ -- b",
        " /* a */;",
        " /* a",
        " /* a\n b */",
        " /* a\r */",
        " /* caf\u{e9} */",
        " /* a */ x",
        " -- x\nDROP TABLE t",
        " -- x\rDROP TABLE t",
        " -- x\n",
        " -- x\u{b}DROP TABLE t",
        " -- x\u{c}DROP TABLE t",
        " --x",
        " --",
        " # x",
        " -- \\! rm -rf /",
        " -- $(rm -rf /)",
        " -- \u{2028}DROP TABLE t",
    ] {
        let s = format!("{base}{c}");
        assert!(!select_read(&s), "{s:?}");
    }
    for s in [
        "SELECT a FROM t; -- x",
        "SELECT a FROM t;/* x */",
        "-- x",
        "/* x */ SELECT a FROM t",
        "SELECT a /* x */ FROM t",
        "SELECT a FROM t WHERE b = 1 - -- x",
        "SELECT a FROM t WHERE b = '/*' */",
    ] {
        assert!(!select_read(s), "{s:?}");
    }
    // The statement cited is the text before the comment, as sqlparser renders it.
    assert_eq!(
        statement("SELECT a FROM t -- x;"),
        Some(("SELECT a FROM t", Effect::Read, READS))
    );
    assert_eq!(
        statement(" SELECT a FROM t; "),
        Some(("SELECT a FROM t", Effect::Read, READS))
    );
}

/// `INTERVAL '…'`, CTEs and a bare `EXPLAIN`: the shapes accepted, each beside twins that
/// must go to the full analysis.
#[test]
fn intervals_ctes_and_explain_and_their_twins() {
    for s in [
        "SELECT a.id, count(o.id) AS orders FROM accounts a JOIN orders o ON o.account_id = a.id WHERE o.created_at > now() - interval '7 days' GROUP BY a.id ORDER BY orders DESC LIMIT 20",
        "SELECT a FROM t WHERE b > INTERVAL '1 day' AND c < now() - Interval'2 hours'",
        "SELECT interval '1 hour' AS i, interval 'it''s' x FROM t",
        "WITH recent AS (SELECT * FROM events WHERE ts > now() - interval '1 hour') SELECT kind, count(*) FROM recent GROUP BY kind",
        "with a AS (select 1 from t), b AS (SELECT x FROM a LIMIT 5) select * from a JOIN b ON a.x = b.x;",
        "EXPLAIN SELECT * FROM invoices WHERE status = 'open'",
        "explain WITH r AS (SELECT a FROM t) SELECT a FROM r /* x */",
    ] {
        assert!(select_read(s), "{s}");
    }
    for s in [
        // A unit, a sign, a cast, a non-literal or a prefixed literal after `INTERVAL`.
        "SELECT a FROM t WHERE b > interval '1' day",
        "SELECT a FROM t WHERE b > interval '1' DAY TO SECOND",
        "SELECT a FROM t WHERE b > interval 1",
        "SELECT a FROM t WHERE b > interval x",
        "SELECT a FROM t WHERE b > interval",
        "SELECT a FROM t WHERE b > interval -'1 day'",
        "SELECT a FROM t WHERE b > interval '1' 'day'",
        "SELECT a FROM t WHERE b > interval E'1 day'",
        "SELECT a FROM t WHERE b > interval '1 day'::interval",
        "SELECT a FROM t WHERE b > interval ('1 day')",
        "SELECT interval FROM t",
        "SELECT t.interval FROM t",
        // CTEs: recursive, materialized, with columns, writing, nested, not a select.
        "WITH RECURSIVE r AS (SELECT a FROM t) SELECT a FROM r",
        "WITH r AS MATERIALIZED (SELECT a FROM t) SELECT a FROM r",
        "WITH r AS NOT MATERIALIZED (SELECT a FROM t) SELECT a FROM r",
        "WITH r (a) AS (SELECT a FROM t) SELECT a FROM r",
        "WITH r AS (DELETE FROM t RETURNING *) SELECT * FROM r",
        "WITH r AS (UPDATE t SET a = 1 RETURNING a) SELECT a FROM r",
        "WITH r AS (INSERT INTO t VALUES (1) RETURNING a) SELECT a FROM r",
        "WITH r AS (SELECT a FROM t) DELETE FROM t",
        "WITH r AS (SELECT a FROM t) INSERT INTO u SELECT a FROM r",
        "WITH r AS (SELECT a FROM t) UPDATE t SET a = 1",
        "WITH r AS (WITH s AS (SELECT a FROM t) SELECT a FROM s) SELECT a FROM r",
        "WITH r AS (SELECT a FROM t FOR UPDATE) SELECT a FROM r",
        "WITH r AS (SELECT a FROM t); SELECT a FROM r",
        "WITH r AS (SELECT a FROM t) SELECT a FROM r; DELETE FROM t",
        "WITH r AS (SELECT a FROM t)",
        "WITH r AS (SELECT a FROM t), SELECT a FROM r",
        "WITH select AS (SELECT a FROM t) SELECT a FROM select",
        "WITH interval AS (SELECT a FROM t) SELECT a FROM r",
        "WITH id AS (SELECT a FROM t) SELECT a FROM r",
        "WITH r AS (SELECT a FROM t) FROM x SELECT a FROM r",
        "WITH r AS (SELECT pg_sleep(1) FROM t) SELECT a FROM r",
        "WITH r AS (TABLE t) SELECT a FROM r",
        "WITH r AS (VALUES (1)) SELECT a FROM r",
        "WITH r AS ((SELECT a FROM t)) SELECT a FROM r",
        // EXPLAIN: anything but the query right after it.
        "EXPLAIN ANALYZE SELECT * FROM t",
        "EXPLAIN ANALYSE SELECT * FROM t",
        "explain analyze select * from t",
        "EXPLAIN (ANALYZE) SELECT * FROM t",
        "EXPLAIN (ANALYZE false) SELECT * FROM t",
        "EXPLAIN (FORMAT JSON) SELECT * FROM t",
        "EXPLAIN VERBOSE SELECT * FROM t",
        "EXPLAIN FORMAT=JSON SELECT * FROM t",
        "EXPLAIN QUERY PLAN SELECT * FROM t",
        "EXPLAIN PLAN FOR SELECT * FROM t",
        "EXPLAIN EXPLAIN SELECT * FROM t",
        "EXPLAIN DELETE FROM t",
        "EXPLAIN t",
        "EXPLAIN",
        "SELECT * FROM t EXPLAIN",
        "EXPLAIN /* x */ SELECT * FROM t",
        "EXPLAIN SELECT * FROM t; EXPLAIN ANALYZE SELECT * FROM t",
    ] {
        assert!(!select_read(s), "{s}");
    }
    // The walk's reasons: `EXPLAIN` cites the plan, the query under it nothing.
    assert_eq!(
        statement("EXPLAIN SELECT a FROM t; "),
        Some(("EXPLAIN SELECT a FROM t", Effect::Read, EXPLAINS_PLAN))
    );
    assert_eq!(
        statement("WITH r AS (SELECT a FROM t) SELECT a FROM r"),
        Some((
            "WITH r AS (SELECT a FROM t) SELECT a FROM r",
            Effect::Read,
            READS
        ))
    );
}

/// The two writes, as the full analysis judges them, beside the twins it must refuse
/// (every row, audit tables, side effects, replacing or overwriting forms, second
/// statements).
#[test]
fn plain_writes_and_their_twins() {
    for (s, why) in [
        (
            "INSERT INTO audit_notes (account_id, note) VALUES (42, 'reviewed')",
            INSERTS,
        ),
        (
            "insert into t values (1, 'a', now()), (-2, NULL, 1.5);",
            INSERTS,
        ),
        ("INSERT INTO s.t (a) VALUES (lower('X')) /* x */", INSERTS),
        (
            "UPDATE accounts SET plan = 'pro' WHERE id = 42",
            write::UPDATES,
        ),
        (
            "update s.t set a = a + 1, b = upper(b) where id IN (1, 2) AND t.k = 'x' -- y",
            write::UPDATES,
        ),
        ("UPDATE t SET a = NULL WHERE id = -3", write::UPDATES),
        (
            "UPDATE t SET from = 1, user = 2 WHERE id = 1",
            write::UPDATES,
        ),
        ("INSERT INTO t (from, user, type) VALUES (1, 2, 3)", INSERTS),
    ] {
        assert_eq!(
            statement(s).map(|(_, e, w)| (e, w)),
            Some((Effect::Mutating, why)),
            "{s}"
        );
    }
    for s in [
        // A range may keep every row in practice (`id > 0`); a write may grant access.
        "UPDATE t SET a = NULL WHERE id >= -3",
        "update s.t set a = 1 where id IN (1, 2) AND t.k <> 'x'",
        "UPDATE t SET a = 1 WHERE id > 0",
        "UPDATE users SET role = 'admin' WHERE id = 1",
        "UPDATE users SET is_admin = true WHERE id = 1",
        "INSERT INTO user_roles VALUES (1, 'admin')",
        "UPDATE t SET a = 1",
        "UPDATE t SET a = 1 WHERE 1 = 1",
        "UPDATE t SET a = 1 WHERE TRUE",
        "UPDATE t SET a = 1 WHERE id = id",
        "UPDATE t SET a = 1 WHERE id IS NOT NULL",
        "UPDATE t SET a = 1 WHERE id = 1 OR 1 = 1",
        "UPDATE t SET a = 1 WHERE name LIKE '%'",
        "UPDATE t SET a = 1 WHERE id BETWEEN 1 AND 2",
        "UPDATE t SET a = 1 WHERE 1 = id",
        "UPDATE t SET a = 1 WHERE id = NULL",
        "UPDATE t SET a = 1 WHERE id = TRUE",
        "UPDATE t SET a = 1 WHERE id = -'x'",
        "UPDATE t SET a = 1 WHERE lower('a') = 'a'",
        "UPDATE t SET a = 1 WHERE NOT id = 1",
        "UPDATE t SET a = 1 WHERE (id = 1)",
        "UPDATE audit_log SET a = 1 WHERE id = 1",
        "UPDATE AuditTrail SET a = 1 WHERE id = 1",
        "UPDATE app.audit.t SET a = 1 WHERE id = 1",
        "UPDATE t SET a = pg_sleep(1) WHERE id = 1",
        "UPDATE t SET a = nextval('s') WHERE id = 1",
        "UPDATE t SET a = 1 WHERE id = 1 RETURNING *",
        "UPDATE t SET a = 1 FROM u WHERE t.id = 1",
        "UPDATE t x SET a = 1 WHERE id = 1",
        "UPDATE t AS x SET a = 1 WHERE id = 1",
        "UPDATE ONLY t SET a = 1 WHERE id = 1",
        "UPDATE t SET (a, b) = (1, 2) WHERE id = 1",
        "UPDATE t SET t.a = 1 WHERE id = 1",
        "UPDATE t SET a = 1 WHERE id = 1; DROP TABLE t",
        "UPDATE t SET a = 1 WHERE id = 1 LIMIT 1",
        "INSERT OR REPLACE INTO t VALUES (1)",
        "REPLACE INTO t VALUES (1)",
        "INSERT OVERWRITE TABLE t VALUES (1)",
        "INSERT INTO FUNCTION url('http://x', 'CSV') VALUES (1)",
        "INSERT INTO TABLE FUNCTION file('/etc/x') VALUES (1)",
        "INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING",
        "INSERT INTO t VALUES (1) ON CONFLICT (a) DO UPDATE SET a = 2",
        "INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE a = 2",
        "INSERT INTO t VALUES (1) RETURNING *",
        "INSERT INTO t SELECT * FROM u",
        "INSERT INTO t DEFAULT VALUES",
        "INSERT INTO t VALUES (pg_sleep(1))",
        "INSERT INTO t VALUES ((SELECT 1))",
        "INSERT INTO t VALUES (1); DROP TABLE t",
        "INSERT INTO t (a) VALUES",
        "INSERT INTO t() VALUES (1)",
        "INSERT INTO t (select) VALUES (1)",
        "INSERT INTO t (a.b) VALUES (1)",
        // A column named as its table: a SQLite full-text command.
        "INSERT INTO docs_fts (docs_fts) VALUES ('delete-all')",
        "INSERT INTO main.Docs_Fts (rank, DOCS_FTS) VALUES ('x', 'delete-all')",
        "UPDATE t SET select = 1 WHERE id = 1",
        "INSERT INTO t VALUES ()",
        "INSERT t VALUES (1)",
        "INSERT INTO audit_log VALUES (1) ON CONFLICT DO NOTHING",
        "EXPLAIN INSERT INTO t VALUES (1)",
        "WITH x AS (SELECT 1 FROM t) INSERT INTO t VALUES (1)",
    ] {
        assert_eq!(statement(s), None, "{s}");
    }
}

/// The block-comment check (substring searches) against the windowed reading it replaced,
/// on every body of up to six bytes over the bytes that matter.
#[test]
fn trailing_comment_matches_its_reference_on_every_short_body() {
    fn reference(b: &[u8], i: usize) -> bool {
        let plain = |c: &u8| matches!(c, b' '..=b'~' | b'\t');
        let Some([b'/', b'*', body @ ..]) = b.get(i..) else {
            return trailing_comment(b, i);
        };
        if matches!(body, [b'!' | b'+', ..] | [b'M' | b'm', b'!', ..]) {
            return false;
        }
        let Some(close) = body.windows(2).position(|w| w == b"*/") else {
            return false;
        };
        let (Some(inner), Some(opened), Some(after)) = (
            body.get(..close),
            body.get(..close + 1),
            body.get(close + 2..),
        ) else {
            return false;
        };
        inner.iter().all(plain)
            && !opened.windows(2).any(|w| w == b"/*")
            && after.iter().all(|c| matches!(c, b' ' | b'\t' | b'\n'))
    }
    const BYTES: &[u8] = b"/* x\n!M\r+\t";
    let mut body = Vec::new();
    let mut checked = 0usize;
    for len in 0..=6u32 {
        for mut n in 0..BYTES.len().pow(len) {
            body.clear();
            body.extend_from_slice(b"a /*");
            for _ in 0..len {
                body.push(BYTES[n % BYTES.len()]);
                n /= BYTES.len();
            }
            assert_eq!(
                trailing_comment(&body, 2),
                reference(&body, 2),
                "{:?}",
                String::from_utf8_lossy(&body)
            );
            checked += 1;
        }
    }
    assert!(checked > 1_000_000);
}

/// Writes to system catalogs go to the full analysis (which makes them admin), under any of
/// their names; the same writes to ordinary tables stay on the fast path.
#[test]
fn catalog_writes_are_refused() {
    for s in [
        "UPDATE pg_authid SET rolsuper = 1 WHERE rolname = 'agent'",
        "UPDATE pg_catalog.pg_database SET datallowconn = 0 WHERE datname = 'prod'",
        "INSERT INTO pg_catalog.pg_authid VALUES (1)",
        "INSERT INTO mysql.user (host, user) VALUES ('%', 'agent')",
        "UPDATE sqlite_master SET sql = 'x' WHERE name = 't'",
        "INSERT INTO SQLITE_SCHEMA VALUES ('table', 'x', 'x', 0, '')",
        "UPDATE Sys.objects SET name = 'x' WHERE id = 1",
        "INSERT INTO performance_schema.setup_actors VALUES ('%')",
    ] {
        assert_eq!(statement_effect(s), None, "{s}");
    }
    for s in [
        "UPDATE pgx SET a = 1 WHERE id = 1",
        "UPDATE app.users SET a = 1 WHERE id = 1",
        "INSERT INTO mysql_users VALUES (1)",
    ] {
        assert!(statement_effect(s).is_some(), "{s}");
    }
}
