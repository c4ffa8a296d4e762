//! The stdio wrapper: `airlock mcp wrap … -- <command> [args…]` runs the real MCP server as a
//! child and relays newline-delimited JSON-RPC between the client (our stdin/stdout) and the
//! child (its stdin/stdout), applying [`crate::relay`] on the way. The child's stderr is ours.
//!
//! Every client message is parsed and re-serialized before it reaches the child, so the child
//! sees exactly what was checked; a line that is not JSON is answered with a parse error and
//! never forwarded. Lines longer than the limit are refused the same way. When our stdin
//! closes, the child's stdin is closed, and the child is killed if it has not exited after
//! the grace period; when the child exits, so do we, with its exit code.

use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncBufRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

use crate::lines::{Line, read_line};
use crate::relay::{self, ClientAction, Decider, Outstanding, code};

/// Limits of the wrapper.
#[derive(Debug, Clone)]
pub struct WrapOptions {
    /// The longest line accepted in either direction.
    pub max_line: usize,
    /// How long the child may take to exit after its stdin is closed.
    pub grace: Duration,
}

impl Default for WrapOptions {
    fn default() -> Self {
        WrapOptions {
            max_line: 16 * 1024 * 1024,
            grace: Duration::from_secs(5),
        }
    }
}

/// Spawns `command args…` with piped stdin/stdout and inherited stderr.
pub fn spawn(command: &str, args: &[String]) -> std::io::Result<Child> {
    Command::new(command)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
}

async fn write_lines<W: AsyncWrite + Unpin>(mut w: W, mut rx: mpsc::Receiver<Vec<u8>>) {
    while let Some(mut line) = rx.recv().await {
        line.push(b'\n');
        if w.write_all(&line).await.is_err() || w.flush().await.is_err() {
            break;
        }
    }
    let _ = w.shutdown().await;
}

fn to_line(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_default()
}

/// Sends what the relay decided for one client message; false once a side is gone.
async fn deliver(
    action: ClientAction,
    to_child: &mpsc::Sender<Vec<u8>>,
    to_client: &mpsc::Sender<Vec<u8>>,
) -> bool {
    match action {
        ClientAction::Forward(v) => to_child.send(to_line(&v)).await.is_ok(),
        ClientAction::Reply(v) => to_client.send(to_line(&v)).await.is_ok(),
        ClientAction::Drop => true,
        ClientAction::Reject(v) => {
            // Nothing to answer over stdio: say it on stderr.
            eprintln!("airlock: refused a client message: {v}");
            true
        }
    }
}

/// Relays between the client (`input`, `output`) and `child` until one side ends. Returns
/// the child's exit code (1 if it was killed or its status is unknown).
pub async fn relay<D, R, W>(
    decider: Arc<D>,
    mut child: Child,
    input: R,
    output: W,
    opts: WrapOptions,
) -> std::io::Result<i32>
where
    D: Decider + 'static,
    R: AsyncBufRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let (Some(child_in), Some(child_out)) = (child.stdin.take(), child.stdout.take()) else {
        return Err(std::io::Error::other("the child has no piped stdin/stdout"));
    };
    let (to_child, child_rx) = mpsc::channel::<Vec<u8>>(64);
    let (to_client, client_rx) = mpsc::channel::<Vec<u8>>(64);
    let child_writer = tokio::spawn(write_lines(child_in, child_rx));
    // The server's requests that reached the client: only their responses are forwarded.
    let outstanding = Arc::new(Outstanding::default());
    let client_writer = tokio::spawn(write_lines(output, client_rx));

    // Child → client: tool lists are filtered, everything else passes.
    let from_child = {
        let decider = decider.clone();
        let outstanding = outstanding.clone();
        let to_client = to_client.clone();
        let max = opts.max_line;
        tokio::spawn(async move {
            let mut r = BufReader::new(child_out);
            loop {
                let line = match read_line(&mut r, max).await {
                    Ok(Line::Text(l)) => l,
                    Ok(Line::TooLong) => {
                        eprintln!(
                            "airlock: dropped a line of the MCP server longer than {max} bytes"
                        );
                        continue;
                    }
                    Ok(Line::Eof) | Err(_) => break,
                };
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let out = match serde_json::from_slice::<Value>(&line) {
                    Ok(v) if relay::needs_filter(&v) => {
                        let v = relay::on_server_message(decider.as_ref(), v).await;
                        outstanding.note(&v);
                        to_line(&v)
                    }
                    Ok(v) => {
                        outstanding.note(&v);
                        line
                    }
                    Err(_) => {
                        eprintln!("airlock: dropped a line of the MCP server that is not JSON");
                        continue;
                    }
                };
                if to_client.send(out).await.is_err() {
                    break;
                }
            }
        })
    };

    // Client → child: every message is checked and re-serialized.
    let from_client = {
        let to_client = to_client.clone();
        let max = opts.max_line;
        tokio::spawn(async move {
            let mut r = input;
            loop {
                let line = match read_line(&mut r, max).await {
                    Ok(Line::Text(l)) => l,
                    Ok(Line::TooLong) => {
                        let e = relay::error(
                            Value::Null,
                            code::INVALID_REQUEST,
                            format!("message longer than {max} bytes refused by Airlock"),
                        );
                        if to_client.send(to_line(&e)).await.is_err() {
                            break;
                        }
                        continue;
                    }
                    Ok(Line::Eof) | Err(_) => break,
                };
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let action = match serde_json::from_slice::<Value>(&line) {
                    // A call that may be held for its approval is decided on its own task, so
                    // that the messages after it are not held too.
                    Ok(v)
                        if !decider.approval_wait().is_zero()
                            && relay::is_request(&v)
                            && relay::method(&v) == Some("tools/call") =>
                    {
                        let (decider, outstanding) = (decider.clone(), outstanding.clone());
                        let (to_child, to_client) = (to_child.clone(), to_client.clone());
                        tokio::spawn(async move {
                            // What the held call says to the client meanwhile (progress, the
                            // approval link) goes out as lines of its own.
                            let (sink, mut said) = mpsc::channel::<Value>(16);
                            let lines = to_client.clone();
                            let speaker = tokio::spawn(async move {
                                while let Some(m) = said.recv().await {
                                    if lines.send(to_line(&m)).await.is_err() {
                                        break;
                                    }
                                }
                            });
                            let action = relay::on_client_message_with(
                                decider.as_ref(),
                                &outstanding,
                                v,
                                Some(sink),
                            )
                            .await;
                            // Everything said before the answer reaches the client first.
                            let _ = speaker.await;
                            deliver(action, &to_child, &to_client).await
                        });
                        continue;
                    }
                    Ok(v) => relay::on_client_message(decider.as_ref(), &outstanding, v).await,
                    Err(e) => ClientAction::Reply(relay::error(
                        Value::Null,
                        code::PARSE_ERROR,
                        format!("invalid JSON: {e}"),
                    )),
                };
                if !deliver(action, &to_child, &to_client).await {
                    break;
                }
            }
            // Dropping `to_child` closes the child's stdin.
        })
    };
    drop(to_client);

    let mut from_client = from_client;
    let code = tokio::select! {
        status = child.wait() => {
            from_client.abort();
            status.ok().and_then(|s| s.code()).unwrap_or(1)
        }
        _ = &mut from_client => {
            // Our stdin closed: let the child finish, then stop it.
            let _ = child_writer.await;
            match tokio::time::timeout(opts.grace, child.wait()).await {
                Ok(status) => status.ok().and_then(|s| s.code()).unwrap_or(1),
                Err(_) => {
                    let _ = child.start_kill();
                    let _ = child.wait().await;
                    1
                }
            }
        }
    };
    // Deliver what the child said before it went away.
    let _ = from_child.await;
    let _ = client_writer.await;
    Ok(code)
}
