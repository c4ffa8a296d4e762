//! `airlock reviewers set FILE | show`: the organization's Deep-tier reviewers, through the
//! HTTP API (AGENTTRUST_URL, AGENTTRUST_API_KEY, an admin key).

use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Subcommand;
use serde_json::{Value, json};

/// The largest reviewers file read.
const MAX_FILE: u64 = 1024 * 1024;

#[derive(Subcommand)]
pub enum ReviewersCommand {
    /// Replace the reviewers with those of a JSON file: a list, or `{"reviewers": [...]}`.
    Set {
        /// The JSON file (`-` reads standard input).
        file: PathBuf,
    },
    /// Show the reviewers, in order (webhook secrets as hints only).
    Show,
}

/// The list a file holds: a bare list or an object with `reviewers`.
pub fn list_from(text: &str) -> anyhow::Result<Value> {
    let v: Value = serde_json::from_str(text).context("the file is not JSON")?;
    match v {
        Value::Array(_) => Ok(v),
        Value::Object(mut o) => match o.remove("reviewers") {
            Some(list @ Value::Array(_)) => Ok(list),
            _ => bail!("the file must hold a list or {{\"reviewers\": [...]}}"),
        },
        _ => bail!("the file must hold a list or {{\"reviewers\": [...]}}"),
    }
}

fn read(file: &PathBuf) -> anyhow::Result<String> {
    if file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin().take(MAX_FILE).read_to_string(&mut text)?;
        return Ok(text);
    }
    let len = std::fs::metadata(file)
        .with_context(|| format!("cannot read {}", file.display()))?
        .len();
    if len > MAX_FILE {
        bail!("{} is larger than {MAX_FILE} bytes", file.display());
    }
    std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))
}

pub fn run(command: ReviewersCommand) -> anyhow::Result<()> {
    let body = match &command {
        ReviewersCommand::Set { file } => Some(json!({ "reviewers": list_from(&read(file)?)? })),
        ReviewersCommand::Show => None,
    };
    let client = crate::mcp::airlock_client(Duration::from_secs(30))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let v = match body {
            Some(b) => client.put("/api/v1/reviewers", &b).await?,
            None => client.get("/api/v1/reviewers").await?,
        };
        println!("{}", serde_json::to_string_pretty(&v)?);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_holds_a_list_or_an_object_with_one() {
        assert_eq!(list_from("[]").unwrap(), json!([]));
        assert_eq!(
            list_from(r#"{"reviewers": [{"kind": "person"}]}"#).unwrap(),
            json!([{"kind": "person"}])
        );
        assert!(list_from(r#"{"kind": "person"}"#).is_err());
        assert!(list_from("not json").is_err());
    }
}
