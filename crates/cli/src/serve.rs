//! `airlock serve`: the HTTP API on the embedded store or on PostgreSQL.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;

use airlock_server::config::{self, settings::*};
use airlock_server::{Bootstrap, Config, RawConfig, Service};
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
    #[arg(long = DB_WORKERS.flag, env = DB_WORKERS.env, default_value_t = DB_WORKERS.default)]
    db_workers: u64,
    /// The most decisions committed together; 1 turns group commit off.
    #[arg(long = MAX_BATCH.flag, env = MAX_BATCH.env, default_value_t = MAX_BATCH.default)]
    max_batch: u64,
    /// How long an approved elevation lasts, in seconds (at most 300).
    #[arg(
        long = ELEVATION_WINDOW_SECS.flag,
        env = ELEVATION_WINDOW_SECS.env,
        default_value_t = ELEVATION_WINDOW_SECS.default
    )]
    elevation_window_secs: u64,
    /// How long an approval request stays open, in seconds (at most 7 days).
    #[arg(
        long = APPROVAL_TTL_SECS.flag,
        env = APPROVAL_TTL_SECS.env,
        default_value_t = APPROVAL_TTL_SECS.default
    )]
    approval_ttl_secs: u64,
    /// Largest request body, in bytes.
    #[arg(
        long = MAX_BODY_BYTES.flag,
        env = MAX_BODY_BYTES.env,
        default_value_t = MAX_BODY_BYTES.default
    )]
    max_body_bytes: u64,
    /// Refuse notification and reviewer webhooks whose address is loopback, private or
    /// link-local.
    #[arg(long = DENY_PRIVATE_WEBHOOKS.flag, env = DENY_PRIVATE_WEBHOOKS.env)]
    deny_private_webhooks: bool,
    /// Where people reach this server (`https://airlock.example.com`): notifications link to
    /// `<public-url>/console/approvals/{id}`.
    #[arg(long, env = "AIRLOCK_PUBLIC_URL")]
    public_url: Option<String>,
    /// Serve the web console at `/console` (`--console false` turns it off).
    #[arg(
        long = CONSOLE.flag,
        env = CONSOLE.env,
        default_value_t = CONSOLE.default,
        action = clap::ArgAction::Set
    )]
    console: bool,
    /// Serve Prometheus metrics at `/metrics`, unauthenticated and aggregate over
    /// organizations (`--metrics false` turns it off).
    #[arg(
        long = METRICS.flag,
        env = METRICS.env,
        default_value_t = METRICS.default,
        action = clap::ArgAction::Set
    )]
    metrics: bool,
    #[command(flatten)]
    audit: crate::audit::AuditServeArgs,
    /// The key file that encrypts SIEM destinations' auth tokens (32 bytes, mode 0600; created
    /// if missing). Default with the embedded store: `<data-dir>/keys/siem.key`. PostgreSQL
    /// replicas share one: give the same file to each, or set `AIRLOCK_SIEM_SECRET`.
    #[arg(long, env = "AIRLOCK_SIEM_KEY_FILE")]
    siem_key_file: Option<PathBuf>,
    /// The most events waiting for one SIEM destination; over it new events for that
    /// destination are dropped (counted in `airlock_siem_dropped_total`).
    #[arg(long, env = "AIRLOCK_SIEM_MAX_BACKLOG", default_value_t = airlock_server::config::SIEM_MAX_BACKLOG)]
    siem_max_backlog: u64,
    /// The SPIFFE trust domain of WIMSE workload ids (`spiffe://<trust domain>/agent/<id>`).
    #[arg(long, env = "AIRLOCK_TRUST_DOMAIN", default_value = airlock_server::service::identity::DEFAULT_TRUST_DOMAIN)]
    trust_domain: String,
    /// The key file that signs WIMSE tokens (an Ed25519 seed, 64 hex characters, mode 0600;
    /// created if missing). Default: `<data-dir>/keys/wimse.key`. PostgreSQL replicas must
    /// share one: give the same file to each.
    #[arg(long, env = "AIRLOCK_WIMSE_KEY_FILE")]
    wimse_key_file: Option<PathBuf>,
    /// Serve the load benchmark's baseline route (for `airlock-bench`; builds with the
    /// `bench-baseline` feature only).
    #[cfg(feature = "bench-baseline")]
    #[arg(long, hide = true)]
    bench_routes: bool,
}

/// Everything `airlock serve` runs with, validated.
struct Validated {
    config: Config,
    tuning: Tuning,
    bootstrap_key: Option<String>,
    /// The MCP gateway's settings (`AIRLOCK_MCP_*`), checked with the others so that a bad
    /// value stops start-up before the store is opened and a first-run key printed.
    gateway: airlock_mcp::GatewayConfig,
}

impl ServeArgs {
    /// Raw → validated: a value out of range is an error that names its setting.
    fn validate(&self) -> anyhow::Result<Validated> {
        let mut config = Config::validate(RawConfig {
            elevation_window_secs: self.elevation_window_secs,
            approval_ttl_secs: self.approval_ttl_secs,
            max_body_bytes: self.max_body_bytes,
            deny_private_webhooks: self.deny_private_webhooks,
            metrics: self.metrics,
            #[cfg(feature = "bench-baseline")]
            bench_routes: self.bench_routes,
        })?;
        if let Some(raw) = self.public_url.as_deref().filter(|u| !u.trim().is_empty()) {
            let url = airlock_outbound::parse_url(raw.trim())
                .map_err(|e| anyhow::anyhow!("--public-url (AIRLOCK_PUBLIC_URL): {e}"))?;
            config.public_url = Some(url.as_str().trim_end_matches('/').to_string());
        }
        if !(1..=100_000_000).contains(&self.siem_max_backlog) {
            bail!("--siem-max-backlog (AIRLOCK_SIEM_MAX_BACKLOG) must be 1 to 100000000");
        }
        config.siem_max_backlog = self.siem_max_backlog;
        let tuning = Tuning {
            workers: config::bytes(DB_WORKERS, self.db_workers)?,
            max_batch: config::bytes(MAX_BATCH, self.max_batch)?,
        };
        let bootstrap_key = std::env::var("AIRLOCK_BOOTSTRAP_API_KEY")
            .ok()
            .filter(|k| !k.trim().is_empty());
        if let Some(k) = &bootstrap_key
            && (k.len() < 16
                || k.len() > 256
                || k.chars().any(|c| c.is_whitespace() || c.is_control()))
        {
            bail!(
                "AIRLOCK_BOOTSTRAP_API_KEY must be 16 to 256 printable characters without spaces"
            );
        }
        let gateway = crate::mcp::gateway_config()?;
        if !airlock_server::service::identity::valid_trust_domain(&self.trust_domain) {
            bail!(
                "--trust-domain (AIRLOCK_TRUST_DOMAIN) must be 1 to 255 lowercase letters, digits, `.`, `-` or `_`"
            );
        }
        // Last: they may create key files, and a bad setting must leave no file behind.
        config.siem_key = self.siem_key()?;
        config.identity = self.identity(&config)?;
        Ok(Validated {
            config,
            tuning,
            bootstrap_key,
            gateway,
        })
    }
}

impl ServeArgs {
    /// The SIEM token key: the key file if given, else one derived from
    /// `AIRLOCK_SIEM_SECRET`, else `<data-dir>/keys/siem.key` with the embedded store. A
    /// PostgreSQL server with neither stores no SIEM tokens.
    fn siem_key(&self) -> anyhow::Result<Option<airlock_server::service::SiemKey>> {
        use airlock_server::service::SiemKey;
        if let Some(path) = &self.siem_key_file {
            return Ok(Some(SiemKey::load_or_create(path)?));
        }
        if let Some(secret) = std::env::var("AIRLOCK_SIEM_SECRET")
            .ok()
            .filter(|s| !s.trim().is_empty())
        {
            return Ok(Some(SiemKey::from_secret(&secret)?));
        }
        if self.database_url.is_some() {
            eprintln!(
                "warning: no --siem-key-file or AIRLOCK_SIEM_SECRET: SIEM destinations cannot have an auth_token"
            );
            return Ok(None);
        }
        let path = self.data_dir.join("keys").join("siem.key");
        Ok(Some(SiemKey::load_or_create(&path)?))
    }
}

impl ServeArgs {
    /// The identity settings: trust domain, WIMSE key, and the origin DPoP proofs must name
    /// (`--public-url`, else the listen address).
    fn identity(
        &self,
        config: &Config,
    ) -> anyhow::Result<airlock_server::service::identity::IdentityConfig> {
        use airlock_server::service::identity::{IdentityConfig, WimseKey};
        let path = match &self.wimse_key_file {
            Some(p) => p.clone(),
            None => {
                if self.database_url.is_some() {
                    eprintln!(
                        "warning: no --wimse-key-file: WIMSE tokens of this replica are not accepted by the others"
                    );
                }
                self.data_dir.join("keys").join("wimse.key")
            }
        };
        Ok(IdentityConfig {
            trust_domain: self.trust_domain.clone(),
            wimse_key: WimseKey::load_or_create(&path)?,
            base_url: Some(
                config
                    .public_url
                    .clone()
                    .unwrap_or_else(|| format!("http://{}", self.addr)),
            ),
        })
    }
}

pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    let traces = crate::telemetry::init("airlock=info,warn")?;
    let Validated {
        config,
        tuning,
        bootstrap_key,
        gateway,
    } = args.validate()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let backend = Backend::from_args(args.database_url.as_deref(), &args.data_dir);
        let store = open_store(&backend, tuning)?;
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
        let trail = args
            .audit
            .trail(&args.data_dir, args.database_url.is_some())?;
        let service = Service::new(store.clone(), config).with_audit(trail);
        let checkpointer = airlock_server::service::checkpoints::Checkpointer::start(
            service.clone(),
            args.audit.interval()?,
            args.audit.witness_url()?,
        )
        .await?;
        service.start_siem_delivery();
        let gateway = airlock_mcp::gateway_router(service.clone(), gateway)
            .context("cannot start the MCP gateway")?;
        let mut app = airlock_server::router(service.clone()).merge(gateway);
        if args.console {
            app = app.merge(airlock_console::router(service));
        }
        if traces.is_some() {
            // Handlers continue the caller's W3C trace context.
            app = app.layer(axum::middleware::from_fn(
                airlock_server::otel::continue_trace,
            ));
        }
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
        // Connection info gives the console's sign-in limiter the client's address.
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown())
        .await?;
        if let Some(c) = checkpointer {
            c.finish().await;
        }
        crate::telemetry::shutdown(traces).await;
        anyhow::Ok(())
    })
}

/// Opens the store: SQLite migrates itself; PostgreSQL must have been migrated by
/// `airlock migrate --database …` (replicas never change a shared schema on their own).
fn open_store(backend: &Backend, tuning: Tuning) -> anyhow::Result<Store> {
    let options = Options {
        migrate: matches!(backend, Backend::Sqlite(_)),
    };
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
