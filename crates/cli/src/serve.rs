//! `airlock serve`: the HTTP API on the embedded store or on PostgreSQL.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;

use airlock_server::{Bootstrap, Config, Service};
use airlock_store::{Backend, Options, Store, StoreError, Tuning};

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "AIRLOCK_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Where the embedded store lives (created if missing).
    #[arg(long, env = "AIRLOCK_DATA_DIR", default_value = crate::default_data_dir())]
    data_dir: PathBuf,
    /// A PostgreSQL URL (`postgres://user:password@host/db`) instead of the embedded store:
    /// for several replicas on one database. Run `airlock migrate --database URL` first.
    #[arg(
        long = "database",
        env = "AIRLOCK_DATABASE_URL",
        hide_env_values = true
    )]
    database_url: Option<String>,
    /// Store worker connections (PostgreSQL; SQLite has one writer).
    #[arg(long, env = "AIRLOCK_DB_WORKERS", default_value_t = 4)]
    db_workers: usize,
    /// The most decisions committed together; 1 turns group commit off.
    #[arg(long, env = "AIRLOCK_MAX_BATCH", default_value_t = 256)]
    max_batch: usize,
    /// How long an approved elevation lasts, in seconds (at most 300).
    #[arg(long, env = "AIRLOCK_ELEVATION_WINDOW_SECS", default_value_t = 300)]
    elevation_window_secs: i64,
    /// How long an approval request stays open, in seconds.
    #[arg(long, env = "AIRLOCK_APPROVAL_TTL_SECS", default_value_t = 900)]
    approval_ttl_secs: i64,
    /// Largest request body, in bytes.
    #[arg(long, env = "AIRLOCK_MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
    max_body_bytes: usize,
    /// Serve the load benchmark's baseline route (for `airlock-bench`).
    #[arg(long, hide = true)]
    bench_routes: bool,
}

pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("AIRLOCK_LOG")
                .unwrap_or_else(|_| "airlock=info,warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    if !(1..=airlock_core::session::MAX_ELEVATION_SECS).contains(&args.elevation_window_secs) {
        bail!("--elevation-window-secs must be between 1 and 300");
    }
    if args.approval_ttl_secs < 1 {
        bail!("--approval-ttl-secs must be positive");
    }
    if args.max_body_bytes < 1024 {
        bail!("--max-body-bytes must be at least 1024");
    }
    if !(1..=64).contains(&args.db_workers) {
        bail!("--db-workers must be between 1 and 64");
    }
    if !(1..=256).contains(&args.max_batch) {
        bail!("--max-batch must be between 1 and 256");
    }
    let bootstrap_key = std::env::var("AIRLOCK_BOOTSTRAP_API_KEY")
        .ok()
        .filter(|k| !k.trim().is_empty());
    if let Some(k) = &bootstrap_key
        && (k.len() < 16 || k.len() > 256 || k.chars().any(|c| c.is_whitespace() || c.is_control()))
    {
        bail!("AIRLOCK_BOOTSTRAP_API_KEY must be 16 to 256 printable characters without spaces");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let backend = Backend::from_args(args.database_url.as_deref(), &args.data_dir);
        let store = open_store(&backend, args.db_workers, args.max_batch)?;
        let key = bootstrap_key.clone();
        let mut created = store
            .run(move |tx| airlock_server::bootstrap(tx, key.as_deref()))
            .await;
        if created.is_err() {
            // Another replica bootstrapped the same database at the same moment: look again.
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            let key = bootstrap_key.clone();
            created = store
                .run(move |tx| airlock_server::bootstrap(tx, key.as_deref()))
                .await;
        }
        match created? {
            Bootstrap::Created {
                org,
                key,
                generated,
            } => {
                if generated {
                    println!("Created organization `{org}`. Its API key, shown once:\n{key}");
                } else {
                    println!(
                        "Created organization `{org}` with the key from AIRLOCK_BOOTSTRAP_API_KEY."
                    );
                }
            }
            Bootstrap::KeyAdded { org } => {
                println!("Added the key from AIRLOCK_BOOTSTRAP_API_KEY to `{org}`.")
            }
            Bootstrap::Existing => {}
        }
        let config = Config {
            elevation_window_secs: args.elevation_window_secs,
            approval_ttl_secs: args.approval_ttl_secs,
            max_body_bytes: args.max_body_bytes,
            bench_routes: args.bench_routes,
            ..Config::default()
        };
        let service = Service::new(store.clone(), config);
        let app =
            airlock_server::router(service.clone()).merge(crate::mcp::gateway_router(service)?);
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        println!(
            "airlock listening on http://{} (store: {})",
            listener.local_addr()?,
            store.describe()
        );
        use std::io::Write;
        let _ = std::io::stdout().flush();
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown())
            .await?;
        anyhow::Ok(())
    })
}

/// Opens the store: SQLite migrates itself; PostgreSQL must have been migrated by
/// `airlock migrate --database …` (replicas never change a shared schema on their own).
fn open_store(backend: &Backend, workers: usize, max_batch: usize) -> anyhow::Result<Store> {
    let options = Options {
        migrate: matches!(backend, Backend::Sqlite(_)),
    };
    let tuning = Tuning { workers, max_batch };
    match Store::open_with(backend, options, tuning) {
        Ok(store) => Ok(store),
        Err(StoreError::NotMigrated) if matches!(backend, Backend::Postgres(_)) => bail!(
            "the database {} has no airlock schema or an older one: run `airlock migrate --database URL` first",
            backend.describe()
        ),
        Err(e) => Err(e).with_context(|| format!("cannot open the store {}", backend.describe())),
    }
}

async fn shutdown() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
