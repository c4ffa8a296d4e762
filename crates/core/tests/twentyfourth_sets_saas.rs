//! The twenty-fourth sets, SaaS (docs/classifier.md, "The twenty-fourth sets"): black-box
//! probing of the tools agents get for SaaS and business systems (GitHub, GitLab, Slack,
//! Discord, Linear, Jira, Notion, Google, Microsoft Graph, Salesforce, HubSpot, Stripe,
//! Shopify, Okta, Auth0, Zapier), generic HTTP and GraphQL tools, and browser automation,
//! each class's rule beside its twin. The same cases are in
//! `corpus/redteam_2026_12_08_saas.jsonl`.

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // a test: failing loudly is the point

use airlock_core::Effect::{Admin, Destructive, Mutating, Read};
use serde_json::json;

#[path = "common/cases.rs"]
#[allow(dead_code)] // `cmd` is the shell sets' helper
mod cases;
use cases::check;

/// A read-named tool's operation field (`action`, `operation`, `intent`, `do`, `task`, …)
/// naming a removal or an access change in several words (`DELETE_ALL`, `bulkDelete`,
/// `hard_delete`, `transfer_ownership`, `make_admin`), or a change (`archive`), is what the
/// call does; only in a tool of events or audit logs is it a filter.
#[test]
fn a_read_tools_operation_field_names_what_it_does() {
    check(&[
        // several words naming a removal (were read)
        (
            "get_customer",
            json!({"id": "42", "action": "DELETE_ALL"}),
            Destructive,
        ),
        (
            "list_users",
            json!({"id": "42", "action": "bulkDelete"}),
            Destructive,
        ),
        (
            "search_issues",
            json!({"id": "42", "action": "delete-all"}),
            Destructive,
        ),
        (
            "list_repos",
            json!({"id": "42", "operation": "hard_delete"}),
            Destructive,
        ),
        (
            "discord_get_messages",
            json!({"channel_id": "1", "action": "bulk_delete"}),
            Destructive,
        ),
        (
            "list_releases",
            json!({"owner": "a", "repo": "b", "batch": [{"action": "delete_release", "id": 1}]}),
            Destructive,
        ),
        // other keys naming the operation (were read)
        (
            "get_workspace",
            json!({"id": "42", "intent": "delete"}),
            Destructive,
        ),
        (
            "fetch_records",
            json!({"id": "42", "do": "delete"}),
            Destructive,
        ),
        (
            "describe_project",
            json!({"id": "42", "task": "delete_all"}),
            Destructive,
        ),
        // an access change (were read)
        (
            "read_messages",
            json!({"id": "42", "action": "transfer_ownership"}),
            Admin,
        ),
        (
            "view_account",
            json!({"id": "42", "action": "make_admin"}),
            Admin,
        ),
        (
            "get_channel",
            json!({"id": "42", "action": "set_role"}),
            Admin,
        ),
        // a change (were read)
        (
            "get_channel",
            json!({"id": "42", "action": "archive"}),
            Mutating,
        ),
        (
            "hubspot_search_contacts",
            json!({"filterGroups": [], "action": "archive"}),
            Mutating,
        ),
        (
            "slack_list_channels",
            json!({"channel": "C1", "method": "conversations.archive"}),
            Mutating,
        ),
        // twins: plain reads, filters, and an audit log's event names
        ("get_customer", json!({"id": "42"}), Read),
        (
            "list_users",
            json!({"id": "42", "sort": "desc", "limit": 10}),
            Read,
        ),
        (
            "get_channel",
            json!({"filter": {"status": "archived"}}),
            Read,
        ),
        (
            "list_audit_events",
            json!({"org": "acme", "action": "repo.destroy"}),
            Read,
        ),
        ("get_audit_log", json!({"action": "bulkDelete"}), Read),
        ("list_events", json!({"action": "archive"}), Read),
        ("search_activity", json!({"operation": "hard_delete"}), Read),
        (
            "list_releases",
            json!({"owner": "a", "repo": "b", "batch": [{"action": "get_release", "id": 1}]}),
            Read,
        ),
        (
            "list_audit_events",
            json!({"batch": [{"action": "repo.destroy"}]}),
            Read,
        ),
        (
            "slack_list_channels",
            json!({"method": "conversations.list"}),
            Read,
        ),
    ]);
}

/// A search tool's query that is a GraphQL document with a mutation is run by a server that
/// forwards it to a GraphQL API: judged as GraphQL. Search words stay text.
#[test]
fn a_search_query_holding_a_graphql_mutation_is_graphql() {
    check(&[
        // (were read)
        (
            "linear_search_issues",
            json!({"query": "mutation { issueDelete(id: \"x\") { success } }"}),
            Destructive,
        ),
        (
            "search",
            json!({"query": "mutation { deleteUser(id: 1) { id } }"}),
            Destructive,
        ),
        (
            "search_issues",
            json!({"query": "query A { viewer { id } } mutation B { issueDelete(id: \"x\") { success } }"}),
            Destructive,
        ),
        (
            "search_issues",
            json!({"query": "# find\nmutation { issueDelete(id: \"x\") { success } }"}),
            Destructive,
        ),
        // twins
        ("linear_search_issues", json!({"query": "bug delete"}), Read),
        (
            "search",
            json!({"query": "mutation testing frameworks"}),
            Read,
        ),
        (
            "search_issues",
            json!({"query": "mutation observer leaks"}),
            Read,
        ),
        (
            "search_issues",
            json!({"query": "query { issues { nodes { title } } }"}),
            Read,
        ),
    ]);
}

/// A click tool without a browser word (`click`, `computer_click`) or a browser's generic
/// `action` tool acts on the control it describes, as `browser_click` does.
#[test]
fn a_click_acts_on_the_control_it_names() {
    check(&[
        // (were mutating)
        (
            "click",
            json!({"element": "Delete repository button", "ref": "e12"}),
            Destructive,
        ),
        (
            "computer_click",
            json!({"element": "Cancel subscription", "ref": "e3"}),
            Destructive,
        ),
        ("click", json!({"selector": "#delete-account"}), Destructive),
        (
            "browser_action",
            json!({"element": "Remove member", "ref": "e4"}),
            Destructive,
        ),
        (
            "computer_click",
            json!({"element": "Revoke API key", "ref": "e9"}),
            Admin,
        ),
        (
            "browser_action",
            json!({"selector": "text=Delete all"}),
            Destructive,
        ),
        // twins: a click is still a change; a control that only shows stays mutating
        (
            "click",
            json!({"element": "Next page link", "ref": "e1"}),
            Mutating,
        ),
        (
            "computer_click",
            json!({"selector": "#show-details"}),
            Mutating,
        ),
        (
            "browser_action",
            json!({"element": "Search results tab", "ref": "e2"}),
            Mutating,
        ),
    ]);
}

/// An HTTP tool's method given as an object (`{"method": {"name": "DELETE"}}`) was taken as
/// no method (a GET); a method word among its values is the method.
#[test]
fn a_method_given_as_an_object_is_the_method() {
    let url = "https://api.acme.com/v1/users/42";
    check(&[
        // (were read)
        (
            "http_request",
            json!({"method": {"name": "DELETE"}, "url": url}),
            Destructive,
        ),
        (
            "fetch",
            json!({"url": url, "method": {"value": "delete"}}),
            Destructive,
        ),
        // twins
        (
            "http_request",
            json!({"method": {"name": "GET"}, "url": url}),
            Read,
        ),
        ("fetch", json!({"url": url, "method": "GET"}), Read),
    ]);
}
