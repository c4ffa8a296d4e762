use super::*;
use crate::Effect::{Admin, Destructive};

fn gql(t: &str) -> Option<Effect> {
    let mut ctx = Ctx::new();
    analyse(&mut ctx, t);
    ctx.max_effect()
}

#[test]
fn queries_read() {
    assert_eq!(gql("query { users { id } }"), Some(Read));
    assert_eq!(gql("{ __type(name: \"User\") { name } }"), Some(Read));
    assert_eq!(
        gql("query Get($id: ID!) { user(id: $id) { name posts(first: 10) { title } } }"),
        Some(Read)
    );
    assert_eq!(
        gql("# list users\nquery { users { ...F } }\nfragment F on User { id name }"),
        Some(Read)
    );
    assert_eq!(gql("subscription { messages { text } }"), Some(Read));
    assert_eq!(
        gql("# the type\n{ __type(name: \"User\") { name } }"),
        Some(Read)
    );
    // A comment that mentions a mutation is a comment.
    assert_eq!(gql("query { a }\n# mutation { deleteAll }"), Some(Read));
}

#[test]
fn mutations_are_found_wherever_they_hide() {
    assert_eq!(
        gql("mutation { deleteUser(id: 1) { id } }"),
        Some(Destructive)
    );
    assert_eq!(
        gql("# harmless\nmutation { deleteUser(id: 1) { id } }"),
        Some(Destructive)
    );
    assert_eq!(
        gql("mutation { ...F } fragment F on Mutation { deleteRepository(id: 1) { id } }"),
        Some(Destructive)
    );
    assert_eq!(
        gql("mutation { ... on Mutation { purgeCache } }"),
        Some(Destructive)
    );
    assert_eq!(
        gql("query A { users { id } } mutation B { dropTable(name: \"x\") }"),
        Some(Destructive)
    );
    assert_eq!(
        gql("mutation { grantRole(user: 1, role: ADMIN) }"),
        Some(Admin)
    );
    assert_eq!(
        gql("mutation { createPost(title: \"x\") { id } }"),
        Some(Mutating)
    );
    assert_eq!(gql("mutation { ...Missing }"), Some(Destructive));
}

/// Descriptions, comments and the byte order mark before an operation are lexed as the
/// specification has them; the operation after them decides.
#[test]
fn descriptions_and_comments_before_operations() {
    assert_eq!(
        gql("\"\"\"docs\"\"\" # query\n  mutation  Wipe { deleteAllItems { count } }"),
        Some(Destructive)
    );
    assert_eq!(
        gql("\"d\"\nmutation { purgeProject(id: 1) }"),
        Some(Destructive)
    );
    assert_eq!(
        gql("query A { a }\n\"\"\"x\"\"\"\nmutation B { dropIndex(name: \"x\") }"),
        Some(Destructive)
    );
    assert_eq!(
        gql("\u{feff}# bom\nmutation { removeMember(id: 2) }"),
        Some(Destructive)
    );
    assert_eq!(
        gql("\"\"\"a \\\"\"\" b\"\"\" mutation { destroyWorkspace(id: 3) }"),
        Some(Destructive)
    );
    // The twins: the same descriptions before a query, and a mutation inside a string.
    assert_eq!(
        gql("\"\"\"docs\"\"\" # c\n query Q { items { id } }"),
        Some(Read)
    );
    assert_eq!(
        gql("\"mutation { deleteAll }\" query { me { id } }"),
        Some(Read)
    );
    assert_eq!(
        gql("query Q($f: String = \"mutation { wipe }\") { items(f: $f) { id } }"),
        Some(Read)
    );
}

fn req(v: serde_json::Value) -> Option<Effect> {
    let mut ctx = Ctx::new();
    let serde_json::Value::Object(map) = v else {
        return None;
    };
    assert!(request(&mut ctx, &map));
    ctx.max_effect()
}

/// When a request names an operation, only the operations of that exact name run.
#[test]
fn operation_name_selects_what_runs() {
    use serde_json::json;
    let doc = "query Me { viewer { login } }\nmutation Cleanup { deleteRef(input: {refId: \"R\"}) { clientMutationId } }";
    assert_eq!(
        req(json!({"query": doc, "operationName": "Me"})),
        Some(Read)
    );
    assert_eq!(
        req(json!({"query": doc, "operation_name": "Me"})),
        Some(Read)
    );
    // Twins: the mutation named, no name, a name of no operation, another case.
    assert_eq!(
        req(json!({"query": doc, "operationName": "Cleanup"})),
        Some(Destructive)
    );
    assert_eq!(req(json!({"query": doc})), Some(Destructive));
    assert_eq!(
        req(json!({"query": doc, "operationName": null})),
        Some(Destructive)
    );
    assert_eq!(
        req(json!({"query": doc, "operationName": "Nope"})),
        Some(Destructive)
    );
    assert_eq!(
        req(json!({"query": doc, "operationName": "me"})),
        Some(Destructive)
    );
    // Two operations of the selected name: both count.
    let dup = "query Me { a } mutation Me { dropTable(name: \"t\") }";
    assert_eq!(
        req(json!({"query": dup, "operationName": "Me"})),
        Some(Destructive)
    );
    // A fragment on Mutation does not run under a selected query, and does otherwise.
    let frag = "query Q { a } mutation M { ...P } fragment P on Mutation { purgeAll }";
    assert_eq!(
        req(json!({"query": frag, "operationName": "Q"})),
        Some(Read)
    );
    assert_eq!(
        req(json!({"query": frag, "operationName": "M"})),
        Some(Destructive)
    );
    assert_eq!(req(json!({"query": frag})), Some(Destructive));
}

#[test]
fn mutation_arguments_count() {
    use serde_json::json;
    assert_eq!(
        gql(
            "mutation { updateRef(input: {refId: \"R\", oid: \"abc\", force: true}) { ref { name } } }"
        ),
        Some(Destructive)
    );
    assert_eq!(
        gql(
            "mutation { updateRef(input: {refId: \"R\", oid: \"abc\", force: false}) { ref { name } } }"
        ),
        Some(Mutating)
    );
    assert_eq!(
        gql("mutation { pushFiles(files: [{path: \"a\"}], forcePush: true) { ok } }"),
        Some(Destructive)
    );
    assert_eq!(
        req(
            json!({"query": "mutation($i: UpdateRefInput!) { updateRef(input: $i) { ref { name } } }", "variables": {"i": {"refId": "R", "force": true}}})
        ),
        Some(Destructive)
    );
    assert_eq!(
        req(
            json!({"query": "mutation($i: UpdateRefInput!) { updateRef(input: $i) { ref { name } } }", "variables": {"i": {"refId": "R", "force": false}}})
        ),
        Some(Mutating)
    );
    // A query's variables are data.
    assert_eq!(
        req(
            json!({"query": "query($f: Boolean) { refs(force: $f) { name } }", "variables": {"f": true, "q": "DROP TABLE t"}})
        ),
        Some(Read)
    );
    // SQL and command lines in string arguments.
    assert_eq!(
        gql("mutation { execute(statement: \"\"\"TRUNCATE TABLE orders\"\"\") { ok } }"),
        Some(Destructive)
    );
    assert_eq!(
        gql("mutation { runSql(sql: \"DROP DATABASE prod\") { ok } }"),
        Some(Destructive)
    );
    assert_eq!(
        gql("mutation { runJob(input: {command: \"rm -rf /srv/data\"}) { id } }"),
        Some(Destructive)
    );
    assert_eq!(
        req(
            json!({"query": "mutation($s: String!) { execute(statement: $s) { ok } }", "variables": {"s": "DELETE FROM users"}})
        ),
        Some(Destructive)
    );
    // Twins: SELECT in a generic mutation writes; prose arguments are data.
    assert_eq!(
        gql("mutation { execute(statement: \"SELECT 1\") { ok } }"),
        Some(Mutating)
    );
    assert_eq!(
        gql(
            "mutation { createIssue(title: \"DROP TABLE users fails\", body: \"rm -rf /srv breaks\") { id } }"
        ),
        Some(Mutating)
    );
}

#[test]
fn access_control_mutations_are_admin() {
    for doc in [
        "mutation { updateBranchProtectionRule(input: {branchProtectionRuleId: \"B\"}) { clientMutationId } }",
        "mutation { deleteBranchProtectionRule(input: {branchProtectionRuleId: \"B\"}) { clientMutationId } }",
        "mutation { createRepositoryRuleset(input: {}) { ruleset { id } } }",
        "mutation { updateRepositoryWebhook(input: {}) { id } }",
        "mutation { updateEnterpriseAllowPrivateRepositoryForkingSetting(input: {}) { message } }",
        "mutation { updateIpAllowListEnabledSetting(input: {}) { owner { id } } }",
        "mutation { createEnvironmentSecret(input: {}) { id } }",
        "mutation { updateRepositoryVisibility(input: {}) { id } }",
        "mutation { addCollaborator(input: {}) { id } }",
    ] {
        assert_eq!(gql(doc), Some(Admin), "{doc}");
    }
    // Twins: the same objects read by a query; a mutation on something else.
    assert_eq!(
        gql(
            "query { repository(owner: \"a\", name: \"b\") { branchProtectionRules(first: 5) { nodes { id } } } }"
        ),
        Some(Read)
    );
    assert_eq!(
        gql("mutation { updatePullRequest(input: {}) { id } }"),
        Some(Mutating)
    );
}

#[test]
fn unparseable_graphql_is_never_read() {
    assert_eq!(gql("query { users { id }"), Some(Mutating));
    assert_eq!(gql("mutation { deleteUser(id: 1 }"), Some(Destructive));
    // Not GraphQL: left to the other analysers.
    let mut ctx = Ctx::new();
    assert!(!analyse(&mut ctx, "{ rm -rf /tmp/x; }"));
    assert!(!analyse(&mut ctx, "{\n rm important\n}"));
    assert_eq!(ctx.max_effect(), None);
}
