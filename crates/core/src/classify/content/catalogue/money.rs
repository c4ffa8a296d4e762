//! Command lines that move money or repoint a domain (docs/classifier.md, "The nineteenth
//! sets"): the Stripe CLI creating a payout, transfer, refund or charge (or posting to such
//! an endpoint), and the cloud CLIs' changes to existing DNS records (`aws route53
//! change-resource-record-sets`, `gcloud dns record-sets update`, `az network dns record-set
//! … update`, `doctl compute domain records update`). Destructive: the money cannot be
//! called back, and the name's traffic moves. Creating a new record stays what it was.

use super::super::shell::Sh;
use crate::Effect::Destructive;

fn words(args: &[String]) -> Vec<String> {
    args.iter()
        .filter(|a| !a.starts_with('-'))
        .map(|a| a.to_ascii_lowercase())
        .collect()
}

/// The Stripe CLI's words without its global options and their values.
fn stripe_words(args: &[String]) -> Vec<String> {
    const VALUED: &[&str] = &[
        "--api-key",
        "-p",
        "--project-name",
        "--stripe-account",
        "--color",
        "--log-level",
        "--device-name",
        "--config",
        "--stripe-version",
        "-v",
        "--api-base",
    ];
    let mut out = Vec::new();
    let mut skip = false;
    for a in args {
        if skip {
            skip = false;
        } else if VALUED.contains(&a.as_str()) {
            skip = true;
        } else if !a.starts_with('-') {
            out.push(a.to_ascii_lowercase());
        }
    }
    out
}

pub(super) fn money_and_records(sh: &mut Sh, name: &str, args: &[String]) {
    // Every command passes here: others leave before anything is allocated.
    if !matches!(
        name,
        "stripe" | "aws" | "gcloud" | "az" | "doctl" | "flarectl"
    ) {
        return;
    }
    // The Stripe CLI's global options and their values come before the resource
    // (`stripe --api-key K refunds create`, `-p prod`): they are no words (the twentieth
    // sets).
    let w = if name == "stripe" {
        stripe_words(args)
    } else {
        words(args)
    };
    let has = |x: &str| w.iter().any(|a| a == x);
    let cmd = format!("`{name}`");
    if name == "stripe" {
        // `stripe payouts create`, `stripe payment_intents confirm ID`, `stripe post
        // /v1/transfers`.
        let resource = w.first().map(String::as_str).unwrap_or("");
        let op = w.get(1).map(String::as_str).unwrap_or("");
        let by_resource = matches!(
            (resource, op),
            (
                "payouts" | "transfers" | "refunds" | "charges" | "topups" | "transfer_reversals",
                "create"
            ) | ("payment_intents" | "charges", "confirm" | "capture")
                | ("invoices", "pay")
        ) || (resource == "payment_intents"
            && op == "update"
            && args.iter().any(|a| {
                let a = a.to_ascii_lowercase();
                a == "--confirm" || a == "--confirm=true"
            }))
            || (resource == "payment_intents"
                && args.windows(2).any(
                    |p| matches!(p, [d, v] if d == "-d" && v.eq_ignore_ascii_case("confirm=true")),
                ));
        let by_path = resource == "post"
            && w.get(1).is_some_and(|p| {
                let segs: Vec<String> = p
                    .split(['/', '?'])
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect();
                super::super::http::money::moves_money(&segs).is_some()
            });
        if by_resource || by_path {
            sh.add(
                Destructive,
                format!("{cmd} moves money (`{resource} {op}`), which cannot be called back"),
            );
        }
        return;
    }
    let dns = match name {
        // A change batch given inline and seen to only create records is a write; one
        // from a file, or one that upserts or deletes, changes existing records.
        "aws" => {
            has("route53")
                && has("change-resource-record-sets")
                && super::super::args::opt_value(args, &[], &["--change-batch"])
                    .filter(|b| b.trim_start().starts_with('{'))
                    .is_none_or(|b| {
                        let b = b.to_ascii_uppercase();
                        b.contains("UPSERT") || b.contains("DELETE") || !b.contains("CREATE")
                    })
        }
        "gcloud" => {
            has("dns")
                && has("record-sets")
                && (has("update") || has("import") || (has("transaction") && has("execute")))
        }
        "az" => {
            has("dns")
                && has("record-set")
                && (has("update") || has("set-record") || has("remove-record"))
        }
        "doctl" => has("domain") && has("records") && has("update"),
        "flarectl" => has("dns") && (has("update") || has("create-or-update")),
        _ => false,
    };
    if dns {
        sh.add(
            Destructive,
            format!("{cmd} changes or removes existing DNS records (the name's traffic moves)"),
        );
    }
}
