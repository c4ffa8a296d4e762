//! The OTLP exporter and the `tracing` layer that feeds it.

use std::sync::atomic::Ordering;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_http::{HttpClient, HttpError};
use opentelemetry_otlp::{SpanExporter, WithHttpConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::registry::LookupSpan;

use super::{ON, TARGET};

/// Why traces could not be turned on (a start-up error: the operator asked for them).
#[derive(Debug, thiserror::Error)]
pub enum OtelError {
    #[error("cannot build the OTLP trace exporter: {0}")]
    Exporter(String),
    #[error("cannot build the OTLP HTTP client: {0}")]
    Client(String),
}

/// True if the environment asks for trace export: an OTLP endpoint is set, and neither
/// `OTEL_SDK_DISABLED=true` nor `OTEL_TRACES_EXPORTER=none` turns it off.
pub fn configured() -> bool {
    let set = |name: &str| std::env::var(name).is_ok_and(|v| !v.trim().is_empty());
    let is = |name: &str, value: &str| {
        std::env::var(name).is_ok_and(|v| v.trim().eq_ignore_ascii_case(value))
    };
    (set("OTEL_EXPORTER_OTLP_ENDPOINT") || set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
        && !is("OTEL_SDK_DISABLED", "true")
        && !is("OTEL_TRACES_EXPORTER", "none")
}

/// The installed exporter: flush it with [`Tracing::shutdown`] before the process exits.
pub struct Tracing {
    provider: SdkTracerProvider,
}

impl Tracing {
    /// Exports what is buffered and stops. Blocks: call it off the async runtime's threads
    /// (`spawn_blocking`) or after the runtime is done.
    pub fn shutdown(self) {
        ON.store(false, Ordering::Relaxed);
        if let Err(e) = self.provider.shutdown() {
            eprintln!("airlock: traces not all exported at shutdown: {e}");
        }
    }
}

/// The layer exporting Airlock's spans, when [`configured`]; `None` otherwise (and then
/// nothing is installed and spans are never built). Call before any async runtime starts:
/// the exporter's HTTP client has a runtime of its own.
#[allow(clippy::type_complexity)]
pub fn layer<S>() -> Result<Option<(Box<dyn Layer<S> + Send + Sync>, Tracing)>, OtelError>
where
    S: tracing::Subscriber + for<'a> LookupSpan<'a> + Send + Sync,
{
    if !configured() {
        return Ok(None);
    }
    let exporter = SpanExporter::builder()
        .with_http()
        .with_http_client(OtlpClient::new()?)
        .build()
        .map_err(|e| OtelError::Exporter(e.to_string()))?;
    // The SDK reads OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES; without a service name
    // of the operator's, ours.
    let mut resource = Resource::builder();
    let named = std::env::var("OTEL_SERVICE_NAME").is_ok()
        || std::env::var("OTEL_RESOURCE_ATTRIBUTES").is_ok_and(|v| v.contains("service.name="));
    if !named {
        resource = resource.with_service_name("airlock");
    }
    // The batch processor reads OTEL_BSP_*; the sampler OTEL_TRACES_SAMPLER(_ARG).
    let provider = SdkTracerProvider::builder()
        .with_resource(resource.build())
        .with_batch_exporter(exporter)
        .build();
    let tracer = provider.tracer("airlock");
    let layer = tracing_opentelemetry::layer()
        .with_tracer(tracer)
        .with_filter(Targets::new().with_target(TARGET, tracing::Level::TRACE));
    ON.store(true, Ordering::Relaxed);
    Ok(Some((Box::new(layer), Tracing { provider })))
}

/// Largest collector answer read (its body is only logged on failure).
const MAX_ANSWER_BYTES: usize = 64 * 1024;
/// A collector that does not answer in this time fails the export (the batch is dropped,
/// never the check).
const EXPORT_TIMEOUT: Duration = Duration::from_secs(10);

/// The exporter's HTTP client: reqwest (the one the rest of Airlock uses) on a
/// single-threaded runtime of its own, because the SDK's batch processor exports from its
/// own thread, outside any runtime.
#[derive(Debug)]
struct OtlpClient {
    http: reqwest::Client,
    runtime: tokio::runtime::Runtime,
}

impl OtlpClient {
    fn new() -> Result<Self, OtelError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| OtelError::Client(e.to_string()))?;
        let http = reqwest::Client::builder()
            .timeout(EXPORT_TIMEOUT)
            .build()
            .map_err(|e| OtelError::Client(e.to_string()))?;
        Ok(Self { http, runtime })
    }
}

#[async_trait]
impl HttpClient for OtlpClient {
    async fn send_bytes(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, HttpError> {
        let request = reqwest::Request::try_from(request)?;
        let http = self.http.clone();
        let (status, body) = self.runtime.block_on(async move {
            let mut resp = http.execute(request).await?;
            let status = resp.status();
            let mut body = Vec::new();
            while let Some(chunk) = resp.chunk().await? {
                let room = MAX_ANSWER_BYTES.saturating_sub(body.len());
                body.extend_from_slice(chunk.get(..room).unwrap_or(&chunk));
                if room <= chunk.len() {
                    break;
                }
            }
            Ok::<_, reqwest::Error>((status, body))
        })?;
        Ok(http::Response::builder()
            .status(status.as_u16())
            .body(Bytes::from(body))?)
    }
}
