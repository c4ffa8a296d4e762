#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Real HTTP against a local listener: signature, timeout, no redirects, size limit,
//! retries and the private-address guard.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use airlock_outbound::{Outbound, OutboundError, Post, verify};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A one-purpose HTTP/1.1 server: answers each connection with `answer(n)` (n counts
/// requests) after `delay`, and keeps the raw requests it saw.
async fn server(
    delay: Duration,
    answer: impl Fn(usize) -> String + Send + Sync + 'static,
) -> (
    String,
    Arc<tokio::sync::Mutex<Vec<String>>>,
    Arc<AtomicUsize>,
) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let seen = Arc::new(tokio::sync::Mutex::new(Vec::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let answer = Arc::new(answer);
    let (s, c) = (seen.clone(), count.clone());
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let (s, c, answer) = (s.clone(), c.clone(), answer.clone());
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                let mut got = Vec::new();
                loop {
                    let n = sock.read(&mut buf).await.unwrap_or(0);
                    if n == 0 {
                        break;
                    }
                    got.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&got).to_string();
                    if let Some(head_end) = text.find("\r\n\r\n") {
                        let len = text
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if got.len() >= head_end + 4 + len {
                            break;
                        }
                    }
                }
                let n = c.fetch_add(1, Ordering::SeqCst);
                s.lock()
                    .await
                    .push(String::from_utf8_lossy(&got).to_string());
                tokio::time::sleep(delay).await;
                let _ = sock.write_all(answer(n).as_bytes()).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    (url, seen, count)
}

fn ok(body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn status(code: u16) -> String {
    format!("HTTP/1.1 {code} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
}

fn post(url: &str) -> Post {
    Post {
        url: url.to_string(),
        body: br#"{"hello":"world"}"#.to_vec(),
        headers: vec![],
        timeout: Duration::from_millis(800),
        secret: Some("s3cret".into()),
    }
}

#[tokio::test]
async fn signs_the_raw_body() {
    let (url, seen, _) = server(Duration::ZERO, |_| ok(r#"{"allowed":true}"#)).await;
    let out = Outbound::new(false).unwrap();
    let answer = out.post(&post(&url)).await.unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, br#"{"allowed":true}"#);
    let raw = seen.lock().await[0].clone();
    let sig = raw
        .lines()
        .find_map(|l| l.strip_prefix("x-airlock-signature: "))
        .unwrap();
    assert!(verify(b"s3cret", br#"{"hello":"world"}"#, sig));
}

#[tokio::test]
async fn a_slow_endpoint_times_out() {
    let (url, _, _) = server(Duration::from_secs(3), |_| ok("{}")).await;
    let out = Outbound::new(false).unwrap();
    let err = out.post(&post(&url)).await.unwrap_err();
    assert_eq!(err, OutboundError::Timeout(800));
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let (url, _, count) = server(Duration::ZERO, |_| {
        "HTTP/1.1 302 Found\r\nlocation: http://169.254.169.254/latest\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_string()
    })
    .await;
    let out = Outbound::new(false).unwrap();
    let answer = out.post(&post(&url)).await.unwrap();
    assert_eq!(answer.status, 302);
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn an_oversized_answer_is_refused() {
    let big = "x".repeat(airlock_outbound::MAX_RESPONSE_BYTES + 10);
    let (url, _, _) = server(Duration::ZERO, move |_| ok(&big)).await;
    let out = Outbound::new(false).unwrap();
    let err = out.post(&post(&url)).await.unwrap_err();
    assert!(matches!(err, OutboundError::TooLarge(_)), "{err}");
}

#[tokio::test]
async fn retries_5xx_then_succeeds() {
    let (url, _, count) = server(
        Duration::ZERO,
        |n| if n < 2 { status(503) } else { ok("{}") },
    )
    .await;
    let out = Outbound::new(false).unwrap();
    let answer = out
        .post_with_retries(&post(&url), 5, Duration::from_millis(10))
        .await
        .unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_4xx_is_not_retried() {
    let (url, _, count) = server(Duration::ZERO, |_| status(400)).await;
    let out = Outbound::new(false).unwrap();
    let answer = out
        .post_with_retries(&post(&url), 5, Duration::from_millis(10))
        .await
        .unwrap();
    assert_eq!(answer.status, 400);
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn private_addresses_are_refused_when_denied() {
    let (url, _, count) = server(Duration::ZERO, |_| ok("{}")).await;
    let out = Outbound::new(true).unwrap();
    let err = out.post(&post(&url)).await.unwrap_err();
    assert!(matches!(err, OutboundError::PrivateAddress(_)), "{err}");
    let err = out.post(&post("http://localhost:9/x")).await.unwrap_err();
    assert!(matches!(err, OutboundError::PrivateAddress(_)), "{err}");
    let err = out
        .post(&post("http://[::ffff:169.254.169.254]/latest"))
        .await
        .unwrap_err();
    assert!(matches!(err, OutboundError::PrivateAddress(_)), "{err}");
    assert_eq!(count.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn bad_urls_are_refused() {
    let out = Outbound::new(false).unwrap();
    for url in [
        "file:///etc/passwd",
        "ftp://x/y",
        "http://user:pw@example.com/",
        "not a url",
    ] {
        let err = out.post(&post(url)).await.unwrap_err();
        assert!(matches!(err, OutboundError::InvalidUrl(_)), "{url}: {err}");
    }
}

#[tokio::test]
async fn a_refused_connection_is_an_error() {
    // Bind and drop to get a port nothing listens on.
    let port = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = Outbound::new(false).unwrap();
    let err = out
        .post(&post(&format!("http://127.0.0.1:{port}/x")))
        .await
        .unwrap_err();
    assert!(matches!(err, OutboundError::Connect(_)), "{err}");
}
