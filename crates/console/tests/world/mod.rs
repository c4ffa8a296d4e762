//! A fresh store with two organizations, the console's router over it, a signed-in cookie,
//! and a fast seeder that writes sessions with real hash chains straight into the store (one
//! transaction per call), for the Sessions and Decisions page tests.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{DateTime, Duration, Utc};
use http_body_util::BodyExt;
use tower::ServiceExt;

use airlock_core::chain;
use airlock_server::service::{Caller, KeyRole};
use airlock_server::{Bootstrap, Config, Service};
use airlock_store::model::{Decision, Org, Session};
use airlock_store::{Options, Store};

pub const KEY: &str = "sk_live_consoletest0123456789";
pub const ORG_B: &str = "org_second";

pub struct World {
    pub app: Router,
    pub service: Service,
    pub store: Store,
    pub org_a: String,
    pub caller_a: Caller,
    pub caller_b: Caller,
    pub cookie: String,
    pub dir: tempfile::TempDir,
}

impl World {
    pub async fn new() -> World {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), Options { migrate: true }).unwrap();
        let b = store
            .run(|tx| airlock_server::bootstrap(tx, Some(KEY)))
            .await
            .unwrap();
        assert!(
            matches!(b, Bootstrap::Created { .. }),
            "no organization was created"
        );
        store
            .run(|tx| {
                tx.insert_org(&Org {
                    id: ORG_B.into(),
                    name: "second".into(),
                    default_mode: "read_only".into(),
                    created_at: Utc::now(),
                })
            })
            .await
            .unwrap();
        let service = Service::new(store.clone(), Config::default());
        let caller_a = service.authenticate(Some(KEY)).await.unwrap();
        let org_a = caller_a.org_id.clone();
        let caller_b = Caller {
            org_id: ORG_B.into(),
            key_id: "key_second".into(),
            default_mode: "read_only".into(),
            role: KeyRole::Admin,
        };
        let app = airlock_console::router(service.clone());
        let mut world = World {
            app,
            service,
            store,
            org_a,
            caller_a,
            caller_b,
            cookie: String::new(),
            dir,
        };
        world.cookie = world.sign_in().await;
        world
    }

    async fn sign_in(&self) -> String {
        let req = Request::builder()
            .method("POST")
            .uri("/console/sign-in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(format!(
                "api_key={KEY}&next=%2Fconsole%2Fsessions"
            )))
            .unwrap();
        let resp = self.app.clone().oneshot(req).await.unwrap();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        let set = resp.headers()[header::SET_COOKIE].to_str().unwrap();
        set.split(';').next().unwrap().to_string()
    }

    /// A signed-in GET: the status and the page.
    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let req = Request::builder()
            .uri(path)
            .header(header::COOKIE, &self.cookie)
            .body(Body::empty())
            .unwrap();
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8(bytes.to_vec()).unwrap())
    }

    /// Writes `sessions` sessions of `per_session` decisions each for `org`, ids
    /// `{prefix}-{n}`, agent `{prefix}-agent-{n % 3}`, chained like real checks. Decision
    /// times rise from `start`, three decisions sharing each millisecond (ties must page
    /// right too). Every third decision is denied.
    pub async fn seed(
        &self,
        org: &str,
        prefix: &str,
        sessions: usize,
        per_session: u64,
        start: DateTime<Utc>,
    ) {
        let (org, prefix) = (org.to_string(), prefix.to_string());
        self.store
            .run(move |tx| {
                let mut i: i64 = 0;
                for n in 0..sessions {
                    let id = format!("{prefix}-{n}");
                    let agent = format!("{prefix}-agent-{}", n % 3);
                    let mut s = session(&org, &id, &agent, start);
                    s.server_id = Some(format!("{prefix}-server-{}", n % 2));
                    tx.insert_session(&s)?;
                    for seq in 1..=per_session {
                        let at = start + Duration::milliseconds(i / 3);
                        i += 1;
                        let d = decision(&org, &s, seq, at);
                        s.head = d.hash.clone();
                        s.total_calls = seq;
                        s.denied_calls += u64::from(!d.allowed);
                        s.write_calls += u64::from(d.effect != "read");
                        s.last_activity_at = at;
                        tx.insert_decision(&d)?;
                    }
                    tx.update_session(&s)?;
                }
                Ok(())
            })
            .await
            .unwrap();
    }

    /// The SQLite database file, for tests that tamper with stored rows.
    pub fn db_path(&self) -> std::path::PathBuf {
        self.dir.path().join("airlock.db")
    }
}

fn session(org: &str, id: &str, agent: &str, at: DateTime<Utc>) -> Session {
    Session {
        org_id: org.into(),
        id: id.into(),
        agent_id: agent.into(),
        server_id: None,
        source: "mcp".into(),
        scope_ceiling: vec!["db.*".into(), "fs.read".into()],
        base_mode: "standard".into(),
        elevated_until: None,
        total_calls: 0,
        read_calls: 0,
        write_calls: 0,
        denied_calls: 0,
        head: chain::GENESIS.into(),
        created_at: at,
        last_activity_at: at,
    }
}

const ACTIONS: [(&str, &str); 3] = [
    ("db.query", "read"),
    ("db.execute", "destructive"),
    ("fs.write", "mutating"),
];

fn decision(org: &str, s: &Session, seq: u64, at: DateTime<Utc>) -> Decision {
    let (action, effect) = ACTIONS[(seq % 3) as usize];
    let allowed = !seq.is_multiple_of(3);
    let mut d = Decision {
        org_id: org.into(),
        session_id: s.id.clone(),
        seq,
        check_id: format!("chk_{}_{}_{seq}", org, s.id),
        agent_id: s.agent_id.clone(),
        action_name: action.into(),
        effect: effect.into(),
        risk: effect.into(),
        allowed,
        reason: if allowed {
            "allowed by scope".into()
        } else {
            "needs approval: destructive statement".into()
        },
        reasons: vec![format!("classified {effect}")],
        guard_tier: if allowed {
            "fast".into()
        } else {
            "spot".into()
        },
        confidence: 0.9,
        input_digest: format!("{seq:064x}"),
        input_summary: format!("{{\"sql\":\"SELECT {seq}\"}}"),
        approval_id: None,
        source: "mcp".into(),
        latency_us: 120,
        decided_at: at,
        key_id: String::new(),
        hash: String::new(),
        rule: if allowed {
            "allowed".into()
        } else {
            "tool_requires_approval".into()
        },
    };
    // Legacy (unkeyed) links: the console shows them as any verifier accepts them.
    d.hash = airlock_audit::link::legacy_link(&s.head, &d);
    d
}
