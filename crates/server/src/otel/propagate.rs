//! W3C trace context in and out: HTTP headers and an MCP request's `params._meta`.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use opentelemetry::Context;
use opentelemetry::context::FutureExt;
use opentelemetry::propagation::{Extractor, TextMapPropagator};
use opentelemetry::trace::TraceContextExt;
use opentelemetry_http::HeaderExtractor;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use serde_json::{Map, Value};
use tracing_opentelemetry::OpenTelemetrySpanExt;

/// The remote parent a set of W3C headers names, if it is well formed.
fn valid(cx: Context) -> Option<Context> {
    cx.span().span_context().is_valid().then_some(cx)
}

/// The trace context of HTTP request headers (`traceparent`, `tracestate`); `None` when
/// absent or malformed.
pub fn from_headers(headers: &http::HeaderMap) -> Option<Context> {
    valid(TraceContextPropagator::new().extract(&HeaderExtractor(headers)))
}

/// `_meta` of an MCP request's params, read as a carrier (SEP-414: the keys `traceparent`
/// and `tracestate`, W3C formats).
struct Meta<'a>(&'a Map<String, Value>);

impl Extractor for Meta<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(Value::as_str)
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(String::as_str).collect()
    }
}

/// The trace context of an MCP request's `params._meta`; `None` when absent or malformed.
pub fn from_meta(params: &Value) -> Option<Context> {
    let meta = params.get("_meta")?.as_object()?;
    valid(TraceContextPropagator::new().extract(&Meta(meta)))
}

/// Middleware: the request's handler runs in the trace context of its headers, so that the
/// spans it opens continue the caller's trace. Installed only when traces are on.
pub async fn continue_trace(req: Request, next: Next) -> Response {
    match from_headers(req.headers()) {
        Some(cx) => next.run(req).with_context(cx).await,
        None => next.run(req).await,
    }
}

/// The W3C headers naming the current span as the parent, for an outgoing request; empty
/// when traces are off or no span is current.
pub fn inject_current() -> Vec<(String, String)> {
    if !super::enabled() {
        return Vec::new();
    }
    let cx = tracing::Span::current().context();
    if !cx.span().span_context().is_valid() {
        return Vec::new();
    }
    let mut carrier = std::collections::HashMap::new();
    TraceContextPropagator::new().inject_context(&cx, &mut carrier);
    carrier.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentelemetry::trace::{SpanId, TraceId};
    use serde_json::json;

    const PARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    fn ids(cx: &Context) -> (TraceId, SpanId, bool) {
        let sc = cx.span().span_context().clone();
        (sc.trace_id(), sc.span_id(), sc.is_remote())
    }

    #[test]
    fn a_valid_traceparent_header_is_continued() {
        let mut h = http::HeaderMap::new();
        h.insert("traceparent", http::HeaderValue::from_static(PARENT));
        h.insert("tracestate", http::HeaderValue::from_static("vendor=x"));
        let cx = from_headers(&h).unwrap();
        let (trace, span, remote) = ids(&cx);
        assert_eq!(
            trace,
            TraceId::from_hex("4bf92f3577b34da6a3ce929d0e0e4736").unwrap()
        );
        assert_eq!(span, SpanId::from_hex("00f067aa0ba902b7").unwrap());
        assert!(remote);
        assert_eq!(
            cx.span().span_context().trace_state().get("vendor"),
            Some("x")
        );
    }

    #[test]
    fn a_malformed_or_absent_traceparent_header_is_ignored() {
        assert!(from_headers(&http::HeaderMap::new()).is_none());
        for bad in [
            "garbage",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01x",
        ] {
            let mut h = http::HeaderMap::new();
            h.insert("traceparent", http::HeaderValue::from_static(bad));
            assert!(from_headers(&h).is_none(), "{bad}");
        }
    }

    #[test]
    fn traceparent_in_meta_is_continued_and_a_bad_one_ignored() {
        let params = json!({"name": "t", "arguments": {},
                            "_meta": {"traceparent": PARENT, "tracestate": "a=b"}});
        let cx = from_meta(&params).unwrap();
        let (trace, span, _) = ids(&cx);
        assert_eq!(trace.to_string(), "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(span.to_string(), "00f067aa0ba902b7");
        assert!(from_meta(&json!({"name": "t"})).is_none());
        assert!(from_meta(&json!({"_meta": "x"})).is_none());
        assert!(from_meta(&json!({"_meta": {"traceparent": 7}})).is_none());
        assert!(from_meta(&json!({"_meta": {"traceparent": "00-xyz-01"}})).is_none());
    }

    #[test]
    fn nothing_is_injected_when_traces_are_off() {
        assert!(inject_current().is_empty());
    }
}
