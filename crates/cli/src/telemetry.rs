//! Logging to stderr (`AIRLOCK_LOG`), and OpenTelemetry trace export when the standard
//! `OTEL_EXPORTER_OTLP_*` environment asks for it ([`airlock_server::otel`]).

use anyhow::Context;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

pub use airlock_server::otel::Tracing;

/// Installs the global subscriber: the log layer filtered by `AIRLOCK_LOG` (else
/// `default_filter`), and the trace exporter's layer if configured, which sees only
/// Airlock's trace spans whatever the log filter. Call before any async runtime starts.
pub fn init(default_filter: &str) -> anyhow::Result<Option<Tracing>> {
    let filter = EnvFilter::try_from_env("AIRLOCK_LOG").unwrap_or_else(|_| default_filter.into());
    let log = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(filter);
    let registry = tracing_subscriber::registry().with(log);
    match airlock_server::otel::layer().context("cannot turn on OpenTelemetry traces")? {
        Some((otel, tracing)) => {
            registry.with(otel).init();
            Ok(Some(tracing))
        }
        None => {
            registry.init();
            Ok(None)
        }
    }
}

/// Flushes the exporter, off the runtime's threads (shutting down blocks).
pub async fn shutdown(tracing: Option<Tracing>) {
    if let Some(t) = tracing {
        let _ = tokio::task::spawn_blocking(move || t.shutdown()).await;
    }
}
