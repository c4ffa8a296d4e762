//! The nineteenth sets (docs/classifier.md, "The nineteenth sets"): documented gaps closed
//! by class, each rule beside its twin. Shell: `ulimit` setting a limit, pagers told to
//! load key bindings, `git -C` in another repository. HTTP: GETs that name an action, writes
//! that move money or change existing DNS records, forced ref updates and repository
//! transfers through `gh`. The SQL rules are in `nineteenth_sets_sql.rs`.

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // a test: failing loudly is the point

mod common;

use airlock_core::Effect::{Admin, Destructive, Mutating, Read};
use airlock_core::classify::content::fast_shell_line;
use common::content;
use serde_json::json;

#[path = "common/cases.rs"]
mod cases;
use cases::{check, cmd};

#[test]
fn ulimit_setting_a_limit_is_a_write_and_printing_one_reads() {
    check(&[
        ("bash", cmd("ulimit -n 0"), Mutating),
        ("bash", cmd("ulimit -c unlimited"), Mutating),
        ("bash", cmd("ulimit -Sv 1000"), Mutating),
        ("bash", cmd("ulimit -Hu 1"), Mutating),
        ("bash", cmd("ulimit -s unlimited && ls"), Mutating),
        ("bash", cmd("ulimit -- 100"), Mutating),
        ("bash", cmd("ulimit unlimited"), Mutating),
        // Twins: printing a limit.
        ("bash", cmd("ulimit -a"), Read),
        ("bash", cmd("ulimit -n"), Read),
        ("bash", cmd("ulimit -Hn"), Read),
        ("bash", cmd("ulimit"), Read),
    ]);
}

#[test]
fn pagers_that_load_key_bindings_are_not_proven_to_only_show() {
    check(&[
        ("bash", cmd("less -k /tmp/keys README"), Mutating),
        ("bash", cmd("less -k/tmp/keys README"), Mutating),
        ("bash", cmd("less -Rk /tmp/keys README"), Mutating),
        ("bash", cmd("less --lesskey-file=/tmp/k README"), Mutating),
        (
            "bash",
            cmd("less --lesskey-src=/tmp/k.src README"),
            Mutating,
        ),
        (
            "bash",
            cmd("less --lesskey-content='#command' README"),
            Mutating,
        ),
        ("bash", cmd("more -k /tmp/keys README"), Mutating),
        ("bash", cmd("LESS='-R -k /tmp/keys' less README"), Mutating),
        ("bash", cmd("LESSKEY=/tmp/k less README"), Mutating),
        (
            "bash",
            cmd("LESSKEY_CONTENT='#command' less README"),
            Mutating,
        ),
        ("bash", cmd("LESSKEYIN=/tmp/k.src less README"), Mutating),
        ("bash", cmd("MOST_INITFILE=/tmp/rc most README"), Mutating),
        ("bash", cmd("lesskey -o ~/.less /tmp/src"), Mutating),
        // An input preprocessor set in the line runs its command.
        (
            "bash",
            cmd("LESSOPEN='|rm -rf ~ %s' less README"),
            Destructive,
        ),
        ("bash", cmd("LESSCLOSE='rm -rf ~' less README"), Destructive),
        // Twins: display options only.
        ("bash", cmd("less README"), Read),
        ("bash", cmd("less -R README"), Read),
        ("bash", cmd("less -N -S README"), Read),
        ("bash", cmd("LESS=-R less README"), Read),
        ("bash", cmd("less -p keyword README"), Read),
        ("bash", cmd("more README"), Read),
    ]);
}

#[test]
fn git_in_another_repository_reads_its_config() {
    check(&[
        ("bash", cmd("git -C /tmp/untrusted-repo status"), Mutating),
        (
            "bash",
            cmd("git -C /tmp/untrusted-repo log --oneline"),
            Mutating,
        ),
        ("bash", cmd("git -C ../other diff"), Mutating),
        ("bash", cmd("git -C/tmp/x status"), Mutating),
        (
            "bash",
            cmd("git -c color.ui=never -C /tmp/x show HEAD"),
            Mutating,
        ),
        ("bash", cmd("git -C . -C /tmp/x status"), Mutating),
        (
            "bash",
            cmd("git --git-dir=/tmp/x/.git --work-tree=/tmp/x status"),
            Mutating,
        ),
        ("bash", cmd("git --git-dir=/tmp/x/.git log"), Mutating),
        // Twins: the current directory, and a subcommand's own `-C` (copies).
        ("bash", cmd("git status"), Read),
        ("bash", cmd("git log --oneline -5"), Read),
        ("bash", cmd("git -C . status"), Read),
        ("bash", cmd("git -C ./ log"), Read),
        ("bash", cmd("git -C '' status"), Read),
        ("bash", cmd("git log -C"), Read),
        ("bash", cmd("git blame -C README"), Read),
        ("bash", cmd("cd /srv/app && git status --short"), Read),
    ]);
}

#[test]
fn gets_that_name_an_action_act() {
    let get = |url: &str| json!({"method": "GET", "url": url});
    check(&[
        (
            "http_request",
            get("https://api.example.com/account/close"),
            Destructive,
        ),
        (
            "http_request",
            get("https://example.com/users/5/close"),
            Destructive,
        ),
        (
            "http_request",
            get("https://example.com/subscriptions/9/terminate"),
            Destructive,
        ),
        (
            "http_request",
            get("https://example.com/orders/7/cancel"),
            Destructive,
        ),
        (
            "http_request",
            get("https://example.com/orders/7/refund"),
            Destructive,
        ),
        (
            "http_request",
            get("https://example.com/api/transfer?amount=100&to=x"),
            Destructive,
        ),
        (
            "http_request",
            get("https://example.com/approve?payment=123"),
            Mutating,
        ),
        (
            "http_request",
            get("https://example.com/requests/5/approve"),
            Mutating,
        ),
        (
            "http_request",
            get("https://example.com/invitations/5/accept"),
            Mutating,
        ),
        (
            "http_request",
            get("https://example.com/users/5/suspend"),
            Admin,
        ),
        (
            "http_request",
            get("https://example.com/admin?action=ban&user=5"),
            Admin,
        ),
        (
            "http_request",
            get("https://example.com/index.php?op=banUser&id=5"),
            Admin,
        ),
        (
            "http_request",
            get("https://example.com/admin.php?cmd=delete&id=5"),
            Destructive,
        ),
        (
            "http_request",
            get("https://example.com/api?action=approve&id=5"),
            Mutating,
        ),
        (
            "http_request",
            get("https://hooks.zapier.com/hooks/catch/123/abc/"),
            Mutating,
        ),
        (
            "http_request",
            get("https://maker.ifttt.com/trigger/door/with/key/k"),
            Mutating,
        ),
        (
            "http_request",
            get("https://n8n.example.com/webhook/4f1c"),
            Mutating,
        ),
        (
            "http_request",
            get("https://ci.example.com/jobs/nightly/run"),
            Mutating,
        ),
        (
            "http_request",
            get("https://example.com/tasks/5/execute"),
            Mutating,
        ),
        (
            "http_request",
            get("https://example.com/flows/5/trigger"),
            Mutating,
        ),
        (
            "fetch",
            json!({"url": "https://example.com/account/close"}),
            Destructive,
        ),
        // A query given apart is sent in the URL.
        (
            "http_get",
            json!({"url": "https://example.com/admin", "params": {"action": "ban", "user": "5"}}),
            Admin,
        ),
        (
            "http_request",
            json!({"method": "GET", "url": "https://example.com/api", "query": {"op": "approve"}}),
            Mutating,
        ),
        (
            "http_get",
            json!({"url": "https://example.com/search", "params": {"q": "approve"}}),
            Read,
        ),
        (
            "bash",
            cmd("curl https://example.com/orders/7/refund"),
            Destructive,
        ),
        (
            "bash",
            cmd("curl -s 'https://example.com/admin?action=ban&user=5'"),
            Admin,
        ),
        (
            "bash",
            cmd("wget -qO- https://example.com/account/close"),
            Destructive,
        ),
        (
            "bash",
            cmd("http GET https://example.com/requests/5/approve"),
            Mutating,
        ),
        // Twins: pages, searches, listings and filters of a log.
        (
            "http_request",
            get("https://example.com/docs/how-to-cancel"),
            Read,
        ),
        ("http_request", get("https://example.com/help/close"), Read),
        (
            "http_request",
            get("https://example.com/search?q=approve"),
            Read,
        ),
        (
            "http_request",
            get("https://example.com/search?action=list"),
            Read,
        ),
        ("http_request", get("https://example.com/api/runs"), Read),
        ("http_request", get("https://example.com/api/runs/42"), Read),
        (
            "http_request",
            get("https://example.com/v1/audit?action=delete"),
            Read,
        ),
        (
            "http_request",
            get("https://example.com/v1/audit/events?action=DeleteBucket"),
            Read,
        ),
        (
            "http_request",
            get("https://github.com/o/r/tree/main/bin/run"),
            Read,
        ),
        (
            "http_request",
            get("https://api.github.com/repos/o/r/pulls/12/merge"),
            Read,
        ),
        (
            "http_request",
            get("https://example.com/cancel-policy"),
            Read,
        ),
        ("http_request", get("https://example.com/run"), Read),
        (
            "fetch",
            json!({"url": "https://example.com/docs/how-to-cancel"}),
            Read,
        ),
        ("bash", cmd("curl -s https://example.com/api/runs"), Read),
    ]);
}

#[test]
fn money_sent_cannot_be_called_back() {
    let post = |url: &str| json!({"method": "POST", "url": url, "body": "amount=1000"});
    check(&[
        (
            "bash",
            cmd("stripe payouts create --amount 1000 --currency usd"),
            Destructive,
        ),
        (
            "bash",
            cmd("stripe transfers create --amount 1000 --destination acct_1"),
            Destructive,
        ),
        (
            "bash",
            cmd("stripe refunds create --charge ch_1"),
            Destructive,
        ),
        (
            "bash",
            cmd("stripe charges create --amount 1000 --source tok_visa"),
            Destructive,
        ),
        (
            "bash",
            cmd("stripe payment_intents confirm pi_1"),
            Destructive,
        ),
        (
            "bash",
            cmd("stripe post /v1/payouts -d amount=100"),
            Destructive,
        ),
        (
            "http_request",
            post("https://api.stripe.com/v1/payouts"),
            Destructive,
        ),
        (
            "http_request",
            post("https://api.stripe.com/v1/transfers"),
            Destructive,
        ),
        (
            "http_request",
            post("https://api.stripe.com/v1/refunds"),
            Destructive,
        ),
        (
            "http_request",
            post("https://api.stripe.com/v1/payment_intents/pi_1/capture"),
            Destructive,
        ),
        (
            "http_request",
            post("https://api.stripe.com/v1/invoices/in_1/pay"),
            Destructive,
        ),
        (
            "bash",
            cmd("curl https://api.stripe.com/v1/payouts -u sk_test_x: -d amount=1000"),
            Destructive,
        ),
        ("create_payout", json!({"amount": 1000}), Destructive),
        (
            "stripe_create_refund",
            json!({"charge": "ch_1"}),
            Destructive,
        ),
        (
            "mcp__stripe__create_transfer",
            json!({"amount": 1}),
            Destructive,
        ),
        ("issue_refund", json!({"charge": "ch_1"}), Destructive),
        ("refund_charge", json!({"charge": "ch_1"}), Destructive),
        ("pay_invoice", json!({"id": "in_1"}), Destructive),
        (
            "stripe_refund_charge",
            json!({"charge": "ch_1"}),
            Destructive,
        ),
        ("withdrawFunds", json!({"amount": 1}), Destructive),
        // Twins: reads of the same objects, and a transfer of a file.
        (
            "http_request",
            json!({"method": "GET", "url": "https://api.stripe.com/v1/payouts"}),
            Read,
        ),
        ("list_payouts", json!({}), Read),
        ("get_refund_status", json!({"id": "re_1"}), Read),
        ("retrieve_transfer", json!({"id": "tr_1"}), Read),
        ("stripe_list_charges", json!({}), Read),
        ("transfer_file", json!({"path": "a"}), Mutating),
        (
            "update_payout_schedule",
            json!({"interval": "weekly"}),
            Mutating,
        ),
        ("create_invoice", json!({"customer": "c"}), Mutating),
        ("stripe_create_customer", json!({"email": "a@b"}), Mutating),
    ]);
}

#[test]
fn forced_ref_updates_repository_transfers_and_dns_records() {
    check(&[
        (
            "bash",
            cmd("gh api -X PATCH repos/o/r/git/refs/heads/main -f sha=abc -F force=true"),
            Destructive,
        ),
        (
            "bash",
            cmd(
                "gh api --method PATCH repos/o/r/git/refs/heads/main -f sha=abc --field=force=true",
            ),
            Destructive,
        ),
        (
            "http_request",
            json!({"method": "PATCH", "url": "https://api.github.com/repos/o/r/git/refs/heads/main", "body": {"sha": "abc", "force": true}}),
            Destructive,
        ),
        ("bash", cmd("git push --force origin main"), Destructive),
        ("bash", cmd("gh repo transfer o/r evil-org"), Admin),
        (
            "http_request",
            json!({"method": "POST", "url": "https://api.github.com/repos/o/r/transfer", "body": {"new_owner": "evil"}}),
            Admin,
        ),
        (
            "bash",
            cmd(
                "aws route53 change-resource-record-sets --hosted-zone-id Z1 --change-batch file://c.json",
            ),
            Destructive,
        ),
        (
            "bash",
            cmd(
                "gcloud dns record-sets update www.example.com. --type=A --zone=z --rrdatas=1.2.3.4",
            ),
            Destructive,
        ),
        (
            "bash",
            cmd("gcloud dns record-sets delete www.example.com. --type=A --zone=z"),
            Destructive,
        ),
        (
            "bash",
            cmd("az network dns record-set a update -g rg -z example.com -n www"),
            Destructive,
        ),
        (
            "bash",
            cmd(
                "doctl compute domain records update example.com --record-id 1 --record-data 1.2.3.4",
            ),
            Destructive,
        ),
        (
            "http_request",
            json!({"method": "PUT", "url": "https://api.cloudflare.com/client/v4/zones/abc/dns_records/def", "body": {"type": "A", "content": "1.2.3.4"}}),
            Destructive,
        ),
        (
            "http_request",
            json!({"method": "DELETE", "url": "https://api.cloudflare.com/client/v4/zones/abc/dns_records/def"}),
            Destructive,
        ),
        (
            "http_request",
            json!({"method": "POST", "url": "https://route53.amazonaws.com/2013-04-01/hostedzone/Z1/rrset", "body": "<ChangeBatch/>"}),
            Destructive,
        ),
        (
            "update_dns_record",
            json!({"zone": "z", "content": "1.2.3.4"}),
            Destructive,
        ),
        ("upsert_dns_record", json!({"zone": "z"}), Destructive),
        (
            "cloudflare_dns_record_update",
            json!({"zone": "z"}),
            Destructive,
        ),
        (
            "route53_change_resource_record_sets",
            json!({"HostedZoneId": "Z"}),
            Destructive,
        ),
        // Twins: a ref moved only forward, a new record, and reads of records.
        ("create_dns_record", json!({"zone": "z"}), Mutating),
        ("list_dns_records", json!({"zone": "z"}), Read),
        ("update_record", json!({"table": "t", "id": 1}), Mutating),
        (
            "bash",
            cmd("gh api -X PATCH repos/o/r/git/refs/heads/main -f sha=abc -F force=false"),
            Mutating,
        ),
        ("bash", cmd("gh api repos/o/r/git/refs/heads/main"), Read),
        ("bash", cmd("gh repo view o/r"), Read),
        (
            "bash",
            cmd(
                "gcloud dns record-sets create www.example.com. --type=A --zone=z --rrdatas=1.2.3.4",
            ),
            Mutating,
        ),
        ("bash", cmd("gcloud dns record-sets list --zone=z"), Read),
        (
            "bash",
            cmd(
                r#"aws route53 change-resource-record-sets --hosted-zone-id Z1 --change-batch '{"Changes":[{"Action":"CREATE","ResourceRecordSet":{"Name":"new.example.com"}}]}'"#,
            ),
            Mutating,
        ),
        (
            "bash",
            cmd("aws route53 list-resource-record-sets --hosted-zone-id Z1"),
            Read,
        ),
        (
            "http_request",
            json!({"method": "POST", "url": "https://api.cloudflare.com/client/v4/zones/abc/dns_records", "body": {"type": "A"}}),
            Mutating,
        ),
        (
            "http_request",
            json!({"method": "GET", "url": "https://api.cloudflare.com/client/v4/zones/abc/dns_records"}),
            Read,
        ),
    ]);
}

/// The shell fast path splits these lines; it must judge them as the parser does (never
/// lower), so a plain `ulimit -n 0` is not a read there either.
#[test]
fn the_fast_path_judges_the_new_shell_rules_as_the_parser_does() {
    for line in [
        "ulimit -n 0",
        "ulimit -a",
        "less -k /tmp/keys README",
        "less README",
        "git -C /tmp/untrusted-repo status",
        "git -C . status",
        "curl https://example.com/orders/7/refund",
        "stripe payouts create --amount 1000",
        "gcloud dns record-sets update www.example.com. --zone=z",
    ] {
        assert!(fast_shell_line(line), "{line}");
        assert_eq!(
            content("shell", &json!(line), true),
            content("shell", &json!(line), false),
            "{line}"
        );
    }
}

/// The one lowering of these sets: a documentation page whose slug ends in a management verb
/// (`/docs/how-to-cancel`) is a page, not Tomcat's or Flink's action endpoint. Its
/// adversarial twins: a path that climbs out of the documentation segment (`..`, `%2e%2e`)
/// reaches the endpoint, and so does the endpoint named without one.
#[test]
fn a_documentation_segment_lowers_no_endpoint_a_path_climbs_to() {
    let get = |url: &str| json!({"method": "GET", "url": url});
    check(&[
        (
            "http_request",
            get("https://flink.example/docs/../jobs/7/yarn-cancel"),
            Destructive,
        ),
        (
            "http_request",
            get("https://tomcat.example/help/%2e%2e/manager/text/stop?path=/app"),
            Destructive,
        ),
        (
            "http_request",
            get("https://tomcat.example/guide/./../manager/text/undeploy?path=/app"),
            Destructive,
        ),
        (
            "http_request",
            get("https://tomcat.example/manager/text/undeploy?path=/app"),
            Destructive,
        ),
        (
            "bash",
            cmd("curl 'https://flink.example/docs/../jobs/7/yarn-cancel'"),
            Destructive,
        ),
        // The endpoint's own name under a segment that is also a documentation word: a
        // Jenkins job named `docs`, a helpdesk's `help` API.
        (
            "http_request",
            get("https://jenkins.example/job/docs/42/stop"),
            Destructive,
        ),
        (
            "http_request",
            get("https://flink.example/jobs/docs/yarn-cancel"),
            Destructive,
        ),
        (
            "http_request",
            get("https://helpdesk.example/api/help/tickets/5/cancel"),
            Destructive,
        ),
        (
            "http_request",
            get("https://tomcat.example/docs/manager/text/undeploy?path=/app"),
            Destructive,
        ),
        // A documentation word inside an API's path makes no page of it.
        (
            "http_request",
            get("https://svc.example/api/help/jobs/7/force-stop"),
            Destructive,
        ),
        // The page itself.
        (
            "http_request",
            get("https://flink.example/docs/how-to-yarn-cancel"),
            Read,
        ),
    ]);
}

/// The review's ways around the sets' rules and its false alarms (docs/classifier.md, "The
/// nineteenth sets", "Reviewed").
#[test]
fn the_reviews_ways_around_and_false_alarms() {
    let get = |url: &str| json!({"method": "GET", "url": url});
    check(&[
        // A documentation word names a resource anywhere but at a path's start, and an API
        // host serves no pages.
        (
            "http_request",
            get("https://api.example.com/v1/support/tickets/5/close"),
            Destructive,
        ),
        (
            "http_request",
            get("https://api.example.com/api/packages/5/refund"),
            Destructive,
        ),
        (
            "http_request",
            get("https://api.example.com/v1/source/accounts/5/close"),
            Destructive,
        ),
        (
            "http_request",
            get("https://api.example.com/help/account/close"),
            Destructive,
        ),
        // Twins: pages.
        ("http_request", get("https://example.com/help/close"), Read),
        (
            "http_request",
            get("https://example.com/en/docs/close"),
            Read,
        ),
        (
            "http_request",
            get("https://docs.example.com/account/close"),
            Read,
        ),
        (
            "http_request",
            get("https://raw.githubusercontent.com/o/r/main/scripts/run"),
            Read,
        ),
        (
            "http_request",
            get("https://registry.npmjs.org/@scope/approve"),
            Read,
        ),
        // A listing that climbs is no listing.
        (
            "http_request",
            get("https://api.example.com/logs/../users/5?action=ban"),
            Admin,
        ),
        (
            "http_request",
            get("https://api.example.com/v1/audit?action=delete"),
            Read,
        ),
        // Hook URLs that are a host and one segment, or none.
        (
            "http_request",
            get("https://hook.eu1.make.com/abc"),
            Mutating,
        ),
        (
            "http_request",
            get("https://eo123.m.pipedream.net"),
            Mutating,
        ),
        // `ulimit` with the value attached to its letters.
        ("bash", cmd("ulimit -n0"), Mutating),
        ("bash", cmd("ulimit -Snunlimited"), Mutating),
        ("bash", cmd("ulimit -Hn"), Read),
        // After `--`, `-k` is a file.
        ("bash", cmd("less -R -- -k"), Read),
        ("bash", cmd("less -R -k keys -- notes.txt"), Mutating),
    ]);
}
