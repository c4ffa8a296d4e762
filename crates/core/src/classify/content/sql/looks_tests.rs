//! `looks_like_sql` answers prose without the lexer; these tests hold it to the lexed answer.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)] // a test: failing loudly is the point

use super::*;

/// The answer with the lexer always run: `looks_like_sql` without its prose shortcut.
fn reference(t: &str) -> bool {
    let head = prefix(t, 256);
    let bare = t.trim_matches(|c: char| c.is_whitespace() || c == ';');
    if ["exec", "execute"]
        .iter()
        .any(|w| bare.eq_ignore_ascii_case(w))
    {
        return false;
    }
    let mut buf = [0u8; 16];
    leading_keyword(head, &mut buf).is_some_and(|w| sqllex::STARTS.contains(&w))
        || lexed(head, None)
}

fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(m) => m.iter().for_each(|(k, x)| {
            out.push(k.clone());
            strings(x, out);
        }),
        _ => {}
    }
}

/// Every string of the corpus (each input's values and keys, and the tool names), and each
/// with its first word's case changed, answered the same with and without the shortcut.
#[test]
fn looks_like_sql_skips_the_lexer_only_where_it_agrees() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(dir).expect("corpus dir") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("jsonl") {
            continue;
        }
        for line in std::fs::read_to_string(&path).expect("read").lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            strings(&v["input"], &mut texts);
            strings(&v["tool"], &mut texts);
        }
    }
    assert!(texts.len() > 20_000, "the corpus was read: {}", texts.len());
    let mut checked = 0usize;
    for t in &texts {
        for variant in [t.clone(), t.to_lowercase(), t.to_uppercase()] {
            assert_eq!(looks_like_sql(&variant), reference(&variant), "{variant:?}");
            checked += 1;
        }
    }
    assert!(checked > 60_000);
}

/// Words that lead a statement, a function with side effects, a vendor statement, a version
/// comment, dialect-sensitive characters, meta-commands and prose, each at the start of a
/// text followed by prose or by SQL punctuation: the two answers agree.
#[test]
fn looks_like_sql_agrees_on_built_texts() {
    let firsts = [
        "weekly",
        "select",
        "SELECT",
        "Drop",
        "exec",
        "execute",
        "EXECUTE",
        "call",
        "pg_sleep",
        "pg_terminate_backend",
        "lo_unlink",
        "xp_cmdshell",
        "sp_configure",
        "dbms_lock",
        "alter",
        "exchange",
        "EXPORT",
        "export",
        "list",
        "LIST",
        "get",
        "GET",
        "put",
        "remove",
        "undrop",
        "use",
        "show",
        "vacuum",
        "analyze",
        "with",
        "values",
        "table",
        "copy",
        "sleep",
        "benchmark",
        "set_config",
        "load_file",
        "a",
        "x1",
        "A_B$",
        "verylongwordthatexceedssixteen",
        "purge_old_orders",
        "grant_admin",
        "delete_tenant",
    ];
    let rests = [
        "",
        " revenue",
        " data to a sheet",
        " TABLES a AND b",
        " @stage",
        " DATA OPTIONS(uri='x')",
        "(1)",
        "('x', 1)",
        " /*! DROP TABLE t */",
        " /*M! DROP TABLE t */",
        " # c\nDROP TABLE t",
        " -- c\nDROP TABLE t",
        " `t`",
        " [t]",
        " $$x$$",
        " \\! rm -rf /",
        " q'[x]'",
        "; DROP TABLE t",
        " WAREHOUSE w SET x = 1",
        " = 1",
        "\u{00e9}t\u{00e9}",
        "\u{200b}",
        " 'a' || 'b'",
        " //x",
        " --x",
        "\r\nDROP TABLE t",
    ];
    let leads = [
        "", "  ", "\n", "\t", "(", "( ", "\\", "\\i ", ".", "\u{00a0}", "/* c */ ",
    ];
    for lead in leads {
        for first in firsts {
            for rest in rests {
                let t = format!("{lead}{first}{rest}");
                assert_eq!(looks_like_sql(&t), reference(&t), "{t:?}");
            }
        }
    }
}
