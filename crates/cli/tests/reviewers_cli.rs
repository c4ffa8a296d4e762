//! `airlock reviewers set FILE | show` against an in-process Airlock on 127.0.0.1.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

use airlock_server::{Config, Service};
use airlock_store::{Options, Store};

const KEY: &str = "sk_live_clireviewers0123456789";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_then_show() {
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

    let file = dir.path().join("reviewers.json");
    std::fs::write(
        &file,
        r#"{"reviewers": [{"kind": "webhook", "name": "bot", "url": "http://127.0.0.1:9/r", "secret": "whsec-cli-0123456789", "can_allow": false}, {"name": "oncall"}]}"#,
    )
    .unwrap();
    let run = |args: &[&str]| {
        let url = url.clone();
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        async move {
            tokio::task::spawn_blocking(move || {
                Command::new(env!("CARGO_BIN_EXE_airlock"))
                    .args(&args)
                    .env("AGENTTRUST_URL", url)
                    .env("AGENTTRUST_API_KEY", KEY)
                    .output()
                    .unwrap()
            })
            .await
            .unwrap()
        }
    };
    let set = run(&["reviewers", "set", file.to_str().unwrap()]).await;
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );
    let show = run(&["reviewers", "show"]).await;
    assert!(show.status.success());
    let out: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    assert_eq!(out["reviewers"][0]["name"], "bot");
    assert_eq!(out["reviewers"][1]["kind"], "person");
    assert!(!String::from_utf8_lossy(&show.stdout).contains("whsec-cli-0123456789"));
    // A bad file is refused by the API and the command fails, naming the field.
    std::fs::write(&file, r#"[{"kind": "robot"}]"#).unwrap();
    let bad = run(&["reviewers", "set", file.to_str().unwrap()]).await;
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("kind"));
}
