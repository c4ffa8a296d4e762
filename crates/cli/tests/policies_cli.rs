//! `airlock policies validate|test` (local) and `add|list|show|remove` against an in-process
//! Airlock on 127.0.0.1, through the real binary.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Command, Output};

use airlock_server::{Config, Service};
use airlock_store::{Options, Store};

const KEY: &str = "sk_live_clipolicies0123456789";

const PAYMENTS: &str = r#"@id("no-destructive-sql-on-payments")
forbid (principal, action, resource)
when {
  context.tables_list like "* payments*" &&
  context.statements.containsAny(["delete", "truncate", "drop_table", "alter_table"])
};
"#;

fn airlock(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_airlock"))
        .args(args)
        .env("AGENTTRUST_URL", url)
        .env("AGENTTRUST_API_KEY", KEY)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn validate_and_test_locally() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("payments.cedar");
    std::fs::write(&good, PAYMENTS).unwrap();
    let out = airlock(
        "http://127.0.0.1:9",
        &["policies", "validate", good.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("valid (1 policies)"), "{}", text(&out));

    // An attribute the schema does not have is refused, with a position.
    let bad = dir.path().join("bad.cedar");
    std::fs::write(
        &bad,
        "forbid (principal, action, resource) when { context.nope };",
    )
    .unwrap();
    let out = airlock(
        "http://127.0.0.1:9",
        &["policies", "validate", bad.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("nope"), "{}", text(&out));

    // The DELETE on payments is forbidden; the same on orders is not.
    let call = |sql: &str| {
        serde_json::json!({"agent_id": "a1", "action_name": "db.query", "effect": "destructive",
                           "input": {"sql": sql}})
        .to_string()
    };
    let run = |sql: &str| {
        let c = call(sql);
        let o = airlock(
            "http://127.0.0.1:9",
            &["policies", "test", good.to_str().unwrap(), "--call", &c],
        );
        assert!(o.status.success(), "{}", text(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["result"].as_str().unwrap().to_string()
    };
    assert_eq!(run("DELETE FROM payments WHERE id = 1"), "forbid");
    assert_eq!(run("DELETE FROM orders WHERE id = 1"), "no policy forbids");
    let o = airlock(
        "http://127.0.0.1:9",
        &[
            "policies",
            "test",
            good.to_str().unwrap(),
            "--call",
            "not json",
        ],
    );
    assert!(!o.status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_list_show_remove_through_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), Options { migrate: true }).unwrap();
    store
        .run(|tx| airlock_server::bootstrap(tx, Some(KEY)))
        .await
        .unwrap();
    let app = airlock_server::router(Service::new(store, Config::default()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let file = dir.path().join("payments.cedar");
    std::fs::write(&file, PAYMENTS).unwrap();
    let path = file.to_str().unwrap().to_string();
    let run = |args: Vec<String>| {
        let url = url.clone();
        async move {
            tokio::task::spawn_blocking(move || {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                airlock(&url, &args)
            })
            .await
            .unwrap()
        }
    };
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();

    let add = run(s(&[
        "policies",
        "add",
        &path,
        "--id",
        "payments",
        "--log-only",
    ]))
    .await;
    assert!(add.status.success(), "{}", text(&add));
    let added: serde_json::Value = serde_json::from_slice(&add.stdout).unwrap();
    assert_eq!(added["id"], "payments");
    assert_eq!(added["mode"], "log_only");

    let list = run(s(&["policies", "list"])).await;
    assert!(list.status.success(), "{}", text(&list));
    assert!(text(&list).contains("\"payments\""), "{}", text(&list));

    let show = run(s(&["policies", "show", "payments"])).await;
    assert!(show.status.success(), "{}", text(&show));
    let shown: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    assert!(shown["text"].as_str().unwrap().contains("payments"));

    // The same id again is refused by the server, and the command fails.
    let again = run(s(&["policies", "add", &path, "--id", "payments"])).await;
    assert!(!again.status.success());

    let remove = run(s(&["policies", "remove", "payments"])).await;
    assert!(remove.status.success(), "{}", text(&remove));
    let gone = run(s(&["policies", "show", "payments"])).await;
    assert!(!gone.status.success());
}
