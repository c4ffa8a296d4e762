//! `airlock-bench`: starts `airlock serve` on a fresh embedded store (or on the PostgreSQL
//! database named by `AIRLOCK_DATABASE_URL`, then optionally several replicas of it), creates a
//! population of agents, servers and sessions, and drives `POST /api/v1/agenttrust/check` from
//! many connections with a realistic mix. In the same run it drives the baseline route of the same
//! server (`POST /api/v1/bench/baseline`: authenticates and parses the same JSON, decides and
//! records nothing) and reports throughput, latency percentiles, the server's CPU and peak
//! memory, and the check's throughput as a ratio of the baseline's.

mod client;
mod workload;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Parser;
use hyper::body::Bytes;
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::json;

use client::Conn;

const KEY: &str = "sk_live_bench_0123456789abcdef";

#[derive(Parser, Clone)]
#[command(about = "Load benchmark of airlock serve: the check route against a baseline route")]
struct Args {
    /// The airlock binary to start.
    #[arg(long, default_value = "target/release/airlock")]
    airlock: PathBuf,
    /// Concurrent connections.
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// Seconds per measured phase.
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Agents in the population.
    #[arg(long, default_value_t = 100)]
    agents: usize,
    /// Sessions in the population (initialised on MCP servers up to 1,000; beyond that
    /// implicit sessions, created by a warm-up pass).
    #[arg(long, default_value_t = 1000)]
    sessions: usize,
    /// Registered tools per MCP server.
    #[arg(long, default_value_t = 20)]
    tools: usize,
    /// Every input this many bytes (default: random 50 to 2,000).
    #[arg(long)]
    input_bytes: Option<usize>,
    /// Also measure at this fraction of the measured peak check throughput (open loop,
    /// latency from the moment each request is sent), the baseline route at the same rate
    /// first (the tail any route gets here). 0 to skip.
    #[arg(long, default_value_t = 0.5)]
    paced_fraction: f64,
    /// Measure the paced phase at this many checks a second instead of a fraction of the
    /// peak (to compare two builds at the same load).
    #[arg(long)]
    paced_rate: Option<f64>,
    /// Print the results as one JSON object too.
    #[arg(long)]
    json: bool,
    /// Servers to start on the same PostgreSQL database (`AIRLOCK_DATABASE_URL`); the
    /// connections are spread over them round-robin and their CPU is summed.
    #[arg(long, default_value_t = 1)]
    replicas: usize,
    /// Stream every decision to a SIEM webhook at this URL (one destination; nothing need
    /// listen there: its backlog then grows, which is what the delivery worker counts).
    #[arg(long)]
    siem_url: Option<String>,
}

struct Server {
    child: Child,
    addr: SocketAddr,
    dir: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// What the replicas on one PostgreSQL database share outside it: the audit keys and the
/// checkpoints (`airlock serve --database` requires both directories).
struct Shared {
    dir: PathBuf,
}

impl Shared {
    /// Migrates the database (a fresh one has no schema) and makes the shared directories.
    fn prepare(args: &Args, url: &str) -> anyhow::Result<Shared> {
        let status = Command::new(&args.airlock)
            .args(["migrate", "--database", url])
            .stdout(Stdio::null())
            .status()
            .with_context(|| format!("cannot start {}", args.airlock.display()))?;
        if !status.success() {
            bail!("airlock migrate --database failed: {status}");
        }
        let dir = std::env::temp_dir().join(format!("airlock-bench-{}-shared", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(Shared { dir })
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn start(args: &Args, shared: Option<&Shared>) -> anyhow::Result<Server> {
    // Each replica has a data directory of its own (its keys); the store is the database.
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse()?;
    let dir = std::env::temp_dir().join(format!("airlock-bench-{}-{port}", std::process::id()));
    let mut child = Command::new(&args.airlock)
        .args([
            "serve",
            "--bench-routes",
            "--addr",
            &addr.to_string(),
            "--data-dir",
        ])
        .arg(&dir)
        .args(shared.map_or(Vec::new(), |s| {
            // Unless the environment names its own.
            let mut dirs = Vec::new();
            for (var, flag, sub) in [
                ("AIRLOCK_AUDIT_KEY_DIR", "--audit-key-dir", "keys"),
                ("AIRLOCK_CHECKPOINT_DIR", "--checkpoint-dir", "checkpoints"),
            ] {
                if std::env::var_os(var).is_none() {
                    dirs.push(flag.into());
                    dirs.push(s.dir.join(sub).into_os_string());
                }
            }
            dirs
        }))
        .env("AIRLOCK_BOOTSTRAP_API_KEY", KEY)
        // The replicas must share the key that encrypts a destination's token.
        .env(
            "AIRLOCK_SIEM_SECRET",
            "airlock-bench-siem-secret-0123456789",
        )
        .env("AIRLOCK_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("cannot start {}", args.airlock.display()))?;
    let stdout = child.stdout.take().context("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    loop {
        match lines.next() {
            Some(Ok(line)) if line.contains("listening on") => break,
            Some(_) => {}
            None => bail!("airlock exited before listening"),
        }
    }
    std::thread::spawn(move || lines.for_each(drop));
    Ok(Server { child, addr, dir })
}

/// CPU seconds (user + system) and peak resident memory of a process, from /proc.
fn usage(pid: u32) -> (f64, u64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // Fields after the command name: state is 0, utime is 11, stime is 12; 100 ticks a second.
    let cpu = (ticks(11) + ticks(12)) / 100.0;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    (cpu, hwm)
}

struct Population {
    /// (agent id, session id) pairs.
    pairs: Vec<(String, String)>,
}

async fn populate(addr: SocketAddr, args: &Args) -> anyhow::Result<Population> {
    let mut c = Conn::open(addr, KEY).await?;
    let mut servers = Vec::new();
    for s in 0..10 {
        let mut tools = vec![json!({"name": "db.query"}), json!({"name": "shell.exec"})];
        for t in 2..args.tools.max(2) {
            let effect = ["read", "mutating", "destructive"][t % 3];
            tools.push(json!({"name": format!("tool.t{t}"), "effect_override": effect, "require_approval": t % 7 == 0}));
        }
        let mode = if s % 2 == 0 { "read_only" } else { "standard" };
        let server = c
            .json(
                "POST",
                "/mcp/servers",
                json!({"name": format!("srv{s}"), "url": "http://127.0.0.1:9/mcp", "capabilities": ["db.*", "shell.*", "tool.*"], "tools": tools, "default_mode": mode}),
            )
            .await?;
        servers.push(server["id"].as_str().unwrap_or_default().to_string());
    }
    if let Some(url) = &args.siem_url {
        c.json(
            "POST",
            "/api/v1/siem/destinations",
            json!({"name": "bench", "destination_type": "webhook", "endpoint_url": url, "batch_size": 1000, "flush_interval_seconds": 1}),
        )
        .await?;
    }
    let mut agents = Vec::new();
    for a in 0..args.agents {
        let agent = c
            .json(
                "POST",
                "/api/v1/agents",
                json!({"name": format!("agent{a}"), "capabilities": ["db.*", "shell.*", "tool.*"]}),
            )
            .await?;
        agents.push(agent["id"].as_str().unwrap_or_default().to_string());
    }
    let mut pairs = Vec::with_capacity(args.sessions);
    for i in 0..args.sessions {
        let agent = agents[i % agents.len()].clone();
        let session = if i < 1000 {
            let s = c
                .json(
                    "POST",
                    "/mcp/sessions/init",
                    json!({"agent_id": agent, "server_id": servers[i % servers.len()]}),
                )
                .await?;
            s["session_id"].as_str().unwrap_or_default().to_string()
        } else {
            format!("bench-{i}")
        };
        pairs.push((agent, session));
    }
    Ok(Population { pairs })
}

/// Bodies to send, generated before measuring so generation is not measured.
fn bodies(pop: &Population, args: &Args, n: usize) -> Vec<Bytes> {
    let mut rng = StdRng::seed_from_u64(7);
    (0..n)
        .map(|i| {
            let (agent, session) = &pop.pairs[i % pop.pairs.len()];
            Bytes::from(workload::body(&mut rng, agent, session, args.input_bytes).to_string())
        })
        .collect()
}

struct Phase {
    name: String,
    requests: usize,
    errors: usize,
    seconds: f64,
    latencies_us: Vec<u64>,
    cpu_seconds: f64,
    /// CPU seconds of the local PostgreSQL's processes (with `AIRLOCK_DATABASE_URL`).
    database_cpu_seconds: Option<f64>,
}

impl Phase {
    fn rps(&self) -> f64 {
        self.requests as f64 / self.seconds
    }

    fn pct(&self, p: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return 0.0;
        }
        let i = ((self.latencies_us.len() as f64 - 1.0) * p).round() as usize;
        self.latencies_us[i.min(self.latencies_us.len() - 1)] as f64 / 1000.0
    }

    fn line(&self) -> String {
        format!(
            "{:<22} {:>9.0} req/s  p50 {:>6.3} ms  p99 {:>6.3} ms  p99.9 {:>6.3} ms  errors {:>5}  server cpu {:>4.0}%",
            self.name,
            self.rps(),
            self.pct(0.50),
            self.pct(0.99),
            self.pct(0.999),
            self.errors,
            100.0 * self.cpu_seconds / self.seconds
        ) + &self
            .database_cpu_seconds
            .map(|db| {
                // What one request costs the machine: the servers' CPU and the database's.
                let per = 1e6 * (self.cpu_seconds + db) / self.requests.max(1) as f64;
                format!(
                    "  database cpu {:>4.0}%  cpu/request {per:.0} µs",
                    100.0 * db / self.seconds
                )
            })
            .unwrap_or_default()
    }

    fn json(&self) -> serde_json::Value {
        json!({"name": self.name, "rps": self.rps(), "p50_ms": self.pct(0.5), "p99_ms": self.pct(0.99),
               "p999_ms": self.pct(0.999), "errors": self.errors, "requests": self.requests,
               "server_cpu_percent": 100.0 * self.cpu_seconds / self.seconds,
               "database_cpu_percent": self.database_cpu_seconds.map(|db| 100.0 * db / self.seconds)})
    }
}

/// Drives `path` for `seconds` from `conns` connections. With `rate`, each connection sends
/// on a fixed schedule (open loop). Latency counts from the moment a request is sent: tokio's
/// timers have millisecond granularity, so counting from the scheduled time would add the
/// generator's own wake-up lateness to every sample.
/// How a phase loads the server.
#[derive(Clone, Copy)]
struct Load {
    conns: usize,
    seconds: u64,
    /// Requests per second in all (open loop), or as fast as answers come (closed loop).
    rate: Option<f64>,
}

/// CPU seconds of every server, summed.
fn cpu_of(servers: &[Server]) -> f64 {
    servers.iter().map(|s| usage(s.child.id()).0).sum()
}

/// CPU seconds of every process named `postgres` on this machine (the database's backends
/// and its background processes), when the servers run on PostgreSQL: on one machine, what a
/// check costs the database is part of what it costs.
fn database_cpu() -> Option<f64> {
    let url = std::env::var("AIRLOCK_DATABASE_URL").unwrap_or_default();
    if url.trim().is_empty() {
        return None;
    }
    let mut total = 0.0;
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        if comm.trim() == "postgres" {
            total += usage(pid).0;
        }
    }
    Some(total)
}

async fn drive(
    servers: &[Server],
    name: &str,
    path: &'static str,
    bodies: &[Bytes],
    load: Load,
) -> anyhow::Result<Phase> {
    let Load {
        conns,
        seconds,
        rate,
    } = load;
    let cpu0 = cpu_of(servers);
    let db0 = database_cpu();
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for c in 0..conns {
        let bodies: Vec<Bytes> = bodies.iter().skip(c).step_by(conns).cloned().collect();
        // Round-robin over the replicas.
        let addr = servers[c % servers.len()].addr;
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::open(addr, KEY).await?;
            let mut lat = Vec::with_capacity(1 << 16);
            let mut errors = 0usize;
            let interval = rate.map(|r| Duration::from_secs_f64(conns as f64 / r));
            let mut i = 0usize;
            loop {
                let scheduled = match interval {
                    Some(iv) => {
                        let at = start + iv.mul_f64(i as f64 + c as f64 / conns as f64);
                        tokio::time::sleep_until(at.into()).await;
                        at
                    }
                    None => Instant::now(),
                };
                if scheduled >= deadline {
                    break;
                }
                let body = bodies[i % bodies.len()].clone();
                let sent = Instant::now();
                let (status, _) = conn.send("POST", path, body).await?;
                if status != 200 {
                    errors += 1;
                }
                lat.push(sent.elapsed().as_micros() as u64);
                i += 1;
            }
            anyhow::Ok((lat, errors))
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (lat, e) = t.await??;
        all.extend(lat);
        errors += e;
    }
    let seconds = start.elapsed().as_secs_f64();
    let cpu1 = cpu_of(servers);
    let db1 = database_cpu();
    all.sort_unstable();
    Ok(Phase {
        name: name.to_string(),
        requests: all.len(),
        errors,
        seconds,
        latencies_us: all,
        cpu_seconds: cpu1 - cpu0,
        database_cpu_seconds: db0.zip(db1).map(|(a, b)| b - a),
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.replicas == 0 {
        bail!("--replicas must be at least 1");
    }
    let database = std::env::var("AIRLOCK_DATABASE_URL").unwrap_or_default();
    if args.replicas > 1 && database.trim().is_empty() {
        bail!(
            "--replicas {} needs a shared store: set AIRLOCK_DATABASE_URL to a PostgreSQL \
             database (the embedded store serves one process)",
            args.replicas
        );
    }
    // One after another: the first migrates the database and creates the bootstrap key, the
    // others find both.
    let shared = if database.trim().is_empty() {
        None
    } else {
        Some(Shared::prepare(&args, &database)?)
    };
    let mut servers = Vec::with_capacity(args.replicas);
    for _ in 0..args.replicas {
        servers.push(start(&args, shared.as_ref())?);
    }
    let t = Instant::now();
    // The population is created once, through the first replica.
    let pop = populate(servers[0].addr, &args).await?;
    let bodies = bodies(&pop, &args, 8192.max(args.sessions));
    // Warm-up: touch every session once (creates the implicit ones) and warm the caches.
    let warm: Vec<Bytes> = bodies.iter().take(pop.pairs.len()).cloned().collect();
    let per = warm.len().div_ceil(args.connections);
    let mut tasks = Vec::new();
    for (i, chunk) in warm.chunks(per.max(1)).enumerate() {
        let chunk = chunk.to_vec();
        let addr = servers[i % servers.len()].addr;
        tasks.push(tokio::spawn(async move {
            let mut c = Conn::open(addr, KEY).await?;
            for b in chunk {
                c.send("POST", "/api/v1/agenttrust/check", b).await?;
            }
            anyhow::Ok(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    println!(
        "population: {} agents, {} sessions, 10 servers x {} tools; setup {:.1} s; inputs {}; \
         {} replica(s), store {}",
        args.agents,
        args.sessions,
        args.tools,
        t.elapsed().as_secs_f64(),
        args.input_bytes
            .map_or("50-2000 B".to_string(), |b| format!("{b} B")),
        args.replicas,
        if database.trim().is_empty() {
            "embedded"
        } else {
            "postgresql"
        }
    );
    let closed = Load {
        conns: args.connections,
        seconds: args.duration,
        rate: None,
    };
    let base = drive(
        &servers,
        "baseline (closed)",
        "/api/v1/bench/baseline",
        &bodies,
        closed,
    )
    .await?;
    println!("{}", base.line());
    let check = drive(
        &servers,
        "check (closed)",
        "/api/v1/agenttrust/check",
        &bodies,
        closed,
    )
    .await?;
    println!("{}", check.line());
    let mut phases = vec![base, check];
    let paced_rate = match args.paced_rate {
        Some(rate) => Some(rate).filter(|r| *r > 0.0),
        None => Some(phases[1].rps() * args.paced_fraction).filter(|_| args.paced_fraction > 0.0),
    };
    if let Some(rate) = paced_rate {
        let paced = Load {
            rate: Some(rate),
            ..closed
        };
        // The baseline route at the same rate: the tail that the machine, the client and
        // HTTP give any route, below which the check's cannot go.
        let floor = drive(
            &servers,
            &format!("baseline at {rate:.0}/s"),
            "/api/v1/bench/baseline",
            &bodies,
            paced,
        )
        .await?;
        println!("{}", floor.line());
        let paced = drive(
            &servers,
            &format!("check at {rate:.0}/s"),
            "/api/v1/agenttrust/check",
            &bodies,
            paced,
        )
        .await?;
        println!("{}", paced.line());
        phases.push(paced);
        phases.push(floor);
    }
    // Summed over the replicas, as their CPU is.
    let hwm_kb: u64 = servers.iter().map(|s| usage(s.child.id()).1).sum();
    let ratio = phases[1].rps() / phases[0].rps();
    println!(
        "check throughput / baseline throughput: {ratio:.2}; server peak memory {:.1} MB{}",
        hwm_kb as f64 / 1024.0,
        if servers.len() > 1 {
            " (summed over the replicas)"
        } else {
            ""
        }
    );
    if args.json {
        let out = json!({
            "connections": args.connections, "replicas": args.replicas, "sessions": args.sessions, "tools": args.tools,
            "input_bytes": args.input_bytes, "ratio": ratio, "peak_memory_mb": hwm_kb as f64 / 1024.0,
            "phases": phases.iter().map(Phase::json).collect::<Vec<_>>(),
        });
        println!("{out}");
    }
    Ok(())
}
