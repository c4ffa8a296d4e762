//! The SQL generators of the fast-path differential tests: selects in and around the fast
//! path's grammar, CTEs, `EXPLAIN`s, intervals, writes, mutations and trailing comments
//! (deterministic, from [`super::Rng`]).

use airlock_core::Effect;
use airlock_core::classify::ContentVerdict;

use super::Rng;

pub const SAFE_NAMES: &[&str] = &[
    "a",
    "b",
    "c",
    "t",
    "u",
    "users",
    "orders",
    "email",
    "total",
    "created_at",
    "id",
    "name",
];
pub const SAFE_FUNCS: &[&str] = &["count", "sum", "max", "lower", "coalesce", "round"];
pub const SAFE_LITERALS: &[&str] = &[
    "1",
    "42",
    "1.5",
    "'x'",
    "'it''s'",
    "'2024-01-01'",
    "NULL",
    "TRUE",
];

pub fn name(r: &mut Rng) -> &'static str {
    r.mostly(SAFE_NAMES, NAMES)
}

/// Names, including keywords that are or are not read as names.
pub const NAMES: &[&str] = &[
    "a",
    "b",
    "c",
    "t",
    "u",
    "users",
    "orders",
    "id",
    "name",
    "status",
    "type",
    "value",
    "key",
    "data",
    "email",
    "total",
    "created_at",
    "user",
    "order",
    "limit",
    "table",
    "date",
    "e",
    "q",
    "n",
    "x",
    "from",
    "select",
    "all",
    "window",
    "offset",
    "interval",
    "current_user",
    "array",
    "row",
    "cast",
    "case",
    "exists",
    "unique",
    "time",
    "public",
    "into",
    "set",
    "on",
    "natural",
];
pub const FUNCS: &[&str] = &[
    "count",
    "sum",
    "avg",
    "min",
    "max",
    "lower",
    "upper",
    "length",
    "abs",
    "round",
    "coalesce",
    "nullif",
    "now",
    "pg_sleep",
    "lo_export",
    "dblink",
    "set_config",
    "nextval",
    "load_file",
    "pg_read_file",
    "sys_exec",
    "my_func",
    "left",
    "date",
    "cast",
    "exists",
];
pub const LITERALS: &[&str] = &[
    "1",
    "42",
    "1.5",
    "'x'",
    "'it''s'",
    "'2024-01-01'",
    "NULL",
    "TRUE",
    "false",
    "1e5",
    "0x1f",
    "E'\\x'",
    "$$x$$",
    "$1",
    "?",
    ":v",
    "@v",
    "N'x'",
    "X'00'",
    "'a' 'b'",
    "'''x'''",
    "'a\\'b'",
];
pub const OPS: &[&str] = &[
    "=", "<", ">", "<=", ">=", "<>", "!=", "+", "-", "*", "/", "%", "||", "::", "->", "~", "^",
    "&", "|",
];
pub const NOISE: &[&str] = &[
    ";",
    "; DROP TABLE t",
    "; DELETE FROM t",
    "-- x\n",
    "--x",
    "/* x */",
    "/*! DROP TABLE t */",
    "# x\n",
    "\"a\"",
    "`a`",
    "[a]",
    "INTO t2",
    "INTO OUTFILE '/tmp/x'",
    "FOR UPDATE",
    "FOR SHARE",
    "UNION SELECT * FROM pg_shadow",
    "(SELECT 1)",
    "WITH x AS (DELETE FROM t RETURNING *)",
    "RETURNING *",
    "EXCEPT",
    "\\! rm -rf /",
    "\ngo\n",
    "\n.shell rm x\n",
    "q'[x]'",
    "//",
    "а",
    "ＳＥＬＥＣＴ",
    "\r\n",
    "LATERAL",
    "TABLESAMPLE",
    "WINDOW w AS ()",
    "FETCH FIRST 1 ROWS ONLY",
    "DISTINCT ON (a)",
];

pub fn expr(r: &mut Rng, depth: usize) -> String {
    if depth > 2 {
        return leaf(r);
    }
    match r.below(10) {
        0 => format!(
            "{} {} {}",
            leaf(r),
            r.pick(&["=", "<", ">=", "<>", "!="]),
            leaf(r)
        ),
        1 => format!("{}({})", r.mostly(SAFE_FUNCS, FUNCS), expr(r, depth + 1)),
        2 => format!("({})", expr(r, depth + 1)),
        3 => format!("{} IS NOT NULL", leaf(r)),
        4 => format!("{} NOT IN ({}, {})", leaf(r), leaf(r), leaf(r)),
        5 => format!("{} BETWEEN {} AND {}", leaf(r), leaf(r), leaf(r)),
        6 => format!("{} LIKE {}", leaf(r), r.mostly(SAFE_LITERALS, LITERALS)),
        7 => format!("{} AND {}", expr(r, depth + 1), expr(r, depth + 1)),
        8 => format!("NOT {}", expr(r, depth + 1)),
        _ => format!("{} + {} * {}", leaf(r), leaf(r), leaf(r)),
    }
}

pub fn leaf(r: &mut Rng) -> String {
    match r.below(7) {
        6 => interval(r),
        0 | 1 => name(r).to_string(),
        2 => format!("{}.{}", name(r), name(r)),
        3 => r.mostly(SAFE_LITERALS, LITERALS).to_string(),
        4 => "count(*)".to_string(),
        _ => format!("-{}", r.pick(&["1", "2.5", "x"])),
    }
}

/// A select in the fast path's grammar, more or less (names and literals vary freely).
pub fn select(r: &mut Rng) -> String {
    let mut s = String::from(r.pick(&["SELECT ", "select ", "SELECT DISTINCT ", "Select\n"]));
    let items = 1 + r.below(3);
    for i in 0..items {
        if i > 0 {
            s.push_str(", ");
        }
        match r.below(5) {
            0 => s.push('*'),
            1 => s.push_str(&format!("{}.*", name(r))),
            2 => s.push_str(&format!("{} AS {}", expr(r, 1), name(r))),
            3 => s.push_str(&format!("{} {}", expr(r, 1), name(r))),
            _ => s.push_str(&expr(r, 1)),
        }
    }
    s.push_str(&format!(" FROM {} {}", name(r), name(r)));
    if r.chance(40) {
        let join = r.pick(&[
            "JOIN",
            "LEFT JOIN",
            "INNER JOIN",
            "FULL OUTER JOIN",
            "RIGHT JOIN",
        ]);
        s.push_str(&format!(" {join} {} ON {}", name(r), expr(r, 1)));
    }
    if r.chance(15) {
        s.push_str(&format!(" CROSS JOIN {}.{}", name(r), name(r)));
    }
    if r.chance(60) {
        s.push_str(&format!(" WHERE {}", expr(r, 0)));
    }
    if r.chance(30) {
        s.push_str(&format!(" GROUP BY {}, {}", leaf(r), leaf(r)));
        if r.chance(50) {
            s.push_str(&format!(" HAVING {}", expr(r, 1)));
        }
    }
    if r.chance(40) {
        s.push_str(&format!(
            " ORDER BY {} {}",
            leaf(r),
            r.pick(&["", "ASC", "DESC", "DESC NULLS LAST"])
        ));
    }
    if r.chance(30) {
        s.push_str(&format!(" LIMIT {}", r.pick(&["10", "1", "x", "ALL"])));
    }
    if r.chance(10) {
        s.push_str(" OFFSET 5");
    }
    if r.chance(20) {
        s.push(';');
    }
    s
}

/// A piece of SQL from any of the vocabularies.
pub fn piece(r: &mut Rng) -> String {
    match r.below(7) {
        0 => r.pick(NAMES).to_string(),
        1 => format!("{}(", r.pick(FUNCS)),
        2 => r.pick(LITERALS).to_string(),
        3 => r.pick(OPS).to_string(),
        4 => r.pick(NOISE).to_string(),
        5 => r
            .pick(&[
                "FROM",
                "WHERE",
                "JOIN",
                "ON",
                "AND",
                "OR",
                "NOT",
                ",",
                "(",
                ")",
                ".",
                "DELETE",
                "UPDATE",
                "INSERT",
                "DROP",
                "WITH",
                "AS",
                "GROUP BY",
                "ORDER BY",
                "LIMIT",
                "EXPLAIN",
                "ANALYZE",
                "RECURSIVE",
                "MATERIALIZED",
                "INTERVAL",
                "DAY",
                "RETURNING",
                "(ANALYZE)",
                "VERBOSE",
                "x AS (",
            ])
            .to_string(),
        _ => expr(r, 1),
    }
}

/// A select with one to three mutations: pieces inserted, words dropped or replaced.
pub fn mutated(r: &mut Rng) -> String {
    let base = select(r);
    mutate(r, &base)
}

pub fn mutate(r: &mut Rng, base: &str) -> String {
    let mut words: Vec<String> = base.split(' ').map(str::to_string).collect();
    for _ in 0..1 + r.below(3) {
        let at = r.below(words.len() + 1);
        match r.below(3) {
            0 => words.insert(at, piece(r)),
            1 if at < words.len() => {
                words.remove(at);
            }
            _ if at < words.len() => words[at] = piece(r),
            _ => words.push(piece(r)),
        }
    }
    words.join(" ")
}

/// Token soup that starts like a statement.
pub fn soup(r: &mut Rng) -> String {
    let mut s = String::from(r.pick(&["SELECT", "select", "WITH x AS (", "SELECT *", "DELETE"]));
    for _ in 0..r.below(14) {
        s.push(' ');
        s.push_str(&piece(r));
    }
    s
}

/// `INTERVAL '…'`, mostly as PostgreSQL writes it, sometimes with a unit, a sign, a cast,
/// a prefixed or second literal, or no literal at all.
pub fn interval(r: &mut Rng) -> String {
    r.mostly(
        &[
            "interval '7 days'",
            "INTERVAL '1 hour'",
            "Interval'2 weeks'",
        ],
        &[
            "interval '1' day",
            "INTERVAL '1' HOUR TO MINUTE",
            "interval '1' second (3)",
            "interval 1",
            "interval x",
            "interval",
            "interval -'1 day'",
            "interval E'1 day'",
            "interval '1 day'::interval",
            "interval ('1 day')",
            "interval '1' 'day'",
            "interval $$1 day$$",
            "interval '1 day' ||",
            "interval '1 day' AS day",
            "interval '1 day' years",
            "interval @v",
        ],
    )
    .to_string()
}

/// CTE bodies that are not a select in the fast path's grammar: writes with `RETURNING`,
/// side effects, locks, nested `WITH`, other query forms, a second statement.
pub const CTE_BODIES: &[&str] = &[
    "DELETE FROM t RETURNING *",
    "UPDATE t SET a = 1 RETURNING a",
    "INSERT INTO t VALUES (1) RETURNING *",
    "INSERT INTO t SELECT * FROM u RETURNING *",
    "SELECT pg_sleep(1) FROM t",
    "SELECT nextval('s') FROM t",
    "SELECT * FROM t FOR UPDATE",
    "TABLE t",
    "VALUES (1)",
    "SELECT 1 FROM t; DROP TABLE t",
    "WITH y AS (SELECT a FROM t) SELECT a FROM y",
    "WITH y AS (DELETE FROM t RETURNING *) SELECT * FROM y",
    "SELECT * FROM t UNION SELECT * FROM u",
];

/// One CTE: mostly `name AS (select)`, sometimes materialized, with columns, or with a
/// body that writes.
pub fn cte(r: &mut Rng) -> String {
    let body = match r.below(20) {
        0..=7 => r
            .pick(&[
                "SELECT * FROM events WHERE ts > now() - interval '1 hour'",
                "SELECT a, count(*) AS n FROM t GROUP BY a",
                "select id from users where email like '%@x' limit 10",
            ])
            .to_string(),
        8..=16 => select(r).trim_end_matches(';').to_string(),
        _ => r.pick(CTE_BODIES).to_string(),
    };
    let shape = r.mostly(
        &["{n} AS ({b})", "{n} as ({b})"],
        &[
            "{n} AS MATERIALIZED ({b})",
            "{n} AS NOT MATERIALIZED ({b})",
            "{n} (a, b) AS ({b})",
            "{n}(a) AS ({b})",
            "{n} AS ({b}) FROM x",
            "{n} ({b})",
            "{n} AS {b}",
            "{n} AS (({b}))",
            "{n} AS ({b});",
        ],
    );
    let n = r.mostly(&["recent", "r", "x", "totals"], NAMES);
    shape.replace("{n}", n).replace("{b}", &body)
}

/// `EXPLAIN` spellings: mostly bare, sometimes with `ANALYZE` in any syntax or other
/// options.
pub const EXPLAINS: &[&str] = &[
    "EXPLAIN ANALYZE ",
    "EXPLAIN ANALYSE ",
    "explain analyze ",
    "EXPLAIN ANALYZE VERBOSE ",
    "EXPLAIN (ANALYZE) ",
    "EXPLAIN (ANALYZE false) ",
    "EXPLAIN (ANALYZE true, FORMAT JSON) ",
    "EXPLAIN (\"analyze\") ",
    "EXPLAIN (FORMAT JSON) ",
    "EXPLAIN (COSTS off) ",
    "EXPLAIN VERBOSE ",
    "EXPLAIN FORMAT=JSON ",
    "EXPLAIN QUERY PLAN ",
    "EXPLAIN PLAN FOR ",
    "EXPLAIN EXPLAIN ",
    "EXPLAIN /* x */ ",
    "EXPLAIN -- x\n",
    "EXPLAIN; ",
    "DESCRIBE ",
    "ANALYZE ",
];

/// A read in the fast path's grammar, more or less: a select, after `WITH` of CTEs, under
/// `EXPLAIN`; the main statement of a `WITH` is sometimes a write.
pub fn query(r: &mut Rng) -> String {
    let mut s = String::new();
    if r.chance(35) {
        s.push_str(r.mostly(&["EXPLAIN ", "explain "], EXPLAINS));
    }
    if r.chance(50) {
        s.push_str(r.mostly(&["WITH ", "with "], &["WITH RECURSIVE ", "WITH\n"]));
        for i in 0..1 + r.below(4) / 2 {
            if i > 0 {
                s.push_str(", ");
            }
            s.push_str(&cte(r));
        }
        s.push(' ');
        if r.chance(90) {
            s.push_str(&select(r));
        } else {
            s.push_str(r.pick(&[
                "DELETE FROM t",
                "UPDATE t SET a = 1",
                "INSERT INTO t SELECT * FROM x",
                "DELETE FROM t WHERE a IN (SELECT a FROM x)",
            ]));
        }
    } else {
        s.push_str(&select(r));
    }
    s
}

/// Comment bodies, realistic and adversarial (a closer and a second statement, executable
/// and nested openers, line breaks of every kind, shell syntax, non-ASCII text).
pub const COMMENT_BODIES: &[&str] = &[
    "request 7f3a, app: billing",
    "controller='index',framework='django'",
    "top users",
    "*/ DROP TABLE x; /*",
    "/*! DROP TABLE t */",
    "! DROP TABLE t",
    "+ INDEX(t)",
    "M! DROP TABLE t",
    "/* nested",
    "a/",
    "/",
    "*",
    "x\nDROP TABLE t",
    "x\rDROP TABLE t",
    "x\r\nDROP TABLE t",
    "x\u{b}DROP TABLE t",
    "x\u{2028}DROP TABLE t",
    "$(rm -rf /)",
    "caf\u{e9}",
    ";",
    "'",
    "\t",
    "-- x",
    "\\",
    "#",
    "",
];

/// A trailing comment of any form, around a body of one or two pieces.
pub fn comment(r: &mut Rng) -> String {
    // Half the time a well-formed comment, so that the accepted side is well covered.
    if r.chance(50) {
        let body = r.pick(&COMMENT_BODIES[..3]);
        return r
            .pick(&["/* {} */", " /* {} */", " /*{}*/\n", " -- {}", "\n-- {}"])
            .replace("{}", body);
    }
    let mut body = r.pick(COMMENT_BODIES).to_string();
    if r.chance(30) {
        body.push_str(r.pick(COMMENT_BODIES));
    }
    if r.chance(5) {
        body.push_str(&"x".repeat(1000));
    }
    let open = r.pick(&[
        "/* ", "/*", "/*!", "/*+ ", "/*M!", "-- ", "--\t", "--", "# ", "/*/",
    ]);
    let close = if open.starts_with("/*") {
        r.pick(&[" */", "*/", "*/", " */ ", "", "/*/"])
    } else {
        ""
    };
    let after = r.pick(&[
        "",
        "",
        "",
        " ",
        "\n",
        ";",
        " DROP TABLE t",
        "\nDROP TABLE t",
    ]);
    let before = r.pick(&[" ", " ", "", "\n", "; "]);
    format!("{before}{open}{body}{close}{after}")
}

/// A filter for an `UPDATE`: mostly columns compared with literals, sometimes filters that
/// keep every row (always true, naming no column) or any expression.
pub fn filter(r: &mut Rng) -> String {
    match r.below(10) {
        0..=5 => {
            let mut f = String::new();
            for i in 0..1 + r.below(3) {
                if i > 0 {
                    f.push_str(r.mostly(&[" AND "], &[" OR ", " AND NOT ", ", "]));
                }
                let lit = r.mostly(&["1", "42", "-3", "'x'", "'it''s'", "1.5"], LITERALS);
                match r.below(3) {
                    0 => f.push_str(&format!("{} IN ({lit}, {lit})", name(r))),
                    1 => f.push_str(&format!("{}.{} <> {lit}", name(r), name(r))),
                    _ => f.push_str(&format!("{} = {lit}", name(r))),
                }
            }
            f
        }
        6 => r
            .pick(&[
                "1 = 1",
                "TRUE",
                "id = id",
                "ID = id",
                "t.id = t.id",
                "id IS NOT NULL",
                "id = 1 OR 1 = 1",
                "name LIKE '%'",
                "lower('a') = 'a'",
                "now() > '2000-01-01'",
                "1 = id",
                "'a' = 'a'",
                "NOT FALSE",
                "id BETWEEN 1 AND 2",
                "id = NULL",
                "current_user = 'x'",
            ])
            .to_string(),
        _ => expr(r, 0),
    }
}

/// `INSERT … VALUES` and `UPDATE … SET … WHERE …`, mostly in the fast path's grammar,
/// beside replacing, overwriting, table-function, conflict and returning forms, audit
/// tables and filters that keep every row.
pub fn write(r: &mut Rng) -> String {
    let table = r.mostly(
        &["accounts", "t", "s.t", "orders", "audit_notes"],
        &[
            "audit_log",
            "AuditTrail",
            "app.audit.t",
            "auditor",
            "ONLY t",
            "t AS x",
            "t x",
            "FUNCTION url('http://x', 'CSV')",
            "TABLE t",
            "user",
            "select",
            "\"t\"",
        ],
    );
    let mut s = if r.chance(50) {
        let head = r.mostly(
            &["INSERT INTO", "insert into"],
            &[
                "INSERT OR REPLACE INTO",
                "REPLACE INTO",
                "INSERT OVERWRITE TABLE",
                "INSERT IGNORE INTO",
                "INSERT",
                "INSERT INTO TABLE FUNCTION",
            ],
        );
        let mut s = format!("{head} {table}");
        if r.chance(60) {
            let cols: Vec<&str> = (0..1 + r.below(3)).map(|_| name(r)).collect();
            s.push_str(&format!(" ({})", cols.join(", ")));
        }
        s.push_str(" VALUES ");
        for i in 0..1 + r.below(4) / 2 {
            if i > 0 {
                s.push_str(", ");
            }
            let vals: Vec<String> = (0..1 + r.below(3)).map(|_| expr(r, 2)).collect();
            s.push_str(&format!("({})", vals.join(", ")));
        }
        s
    } else {
        let mut s = format!(
            "{} {table} SET ",
            r.mostly(&["UPDATE"], &["update", "UPDATE ONLY"])
        );
        for i in 0..1 + r.below(3) {
            if i > 0 {
                s.push_str(", ");
            }
            s.push_str(&format!("{} = {}", r.pick(NAMES), expr(r, 1)));
        }
        if r.chance(90) {
            s.push_str(&format!(" WHERE {}", filter(r)));
        }
        s
    };
    if r.chance(15) {
        s.push_str(r.pick(&[
            " RETURNING *",
            " ON CONFLICT DO NOTHING",
            " ON CONFLICT (a) DO UPDATE SET a = 2",
            " ON DUPLICATE KEY UPDATE a = 2",
            " FROM u",
            " LIMIT 1",
            "; DROP TABLE t",
            ";",
        ]));
    }
    s
}

pub fn effect(v: &Option<ContentVerdict>) -> Option<Effect> {
    v.as_ref().map(|v| v.effect)
}

/// What a reason says after the statement it cites (`sql: `…` reads` gives `reads`).
pub fn why(v: &Option<ContentVerdict>) -> Vec<String> {
    v.iter()
        .flat_map(|v| &v.reasons)
        .map(|r| {
            r.rsplit_once("` ")
                .map_or(r.as_str(), |(_, w)| w)
                .to_string()
        })
        .collect()
}
