//! Rows of the store's tables as model types: each table's columns are listed once, in
//! [`record!`], which gives its column list, its reader and its insert. How a field is stored
//! follows from its type ([`Column`]): text, counters as BIGINT, timestamps as RFC 3339 text
//! (byte-ordered, so comparisons and orderings are the same on both backends), lists and
//! objects as JSON text.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::StoreError;
use crate::a2a::{A2aTask, AgentCard};
use crate::delegations::{DelegatedSession, Delegation};
use crate::model::*;
use crate::siem::{SiemDelivery, SiemDestination};
use crate::sql::{Db, Param, Result, Row, Sql};

/// A field's type and how its column stores it.
pub(crate) trait Column: Sized {
    /// What is bound for the field.
    type Param<'a>: Param
    where
        Self: 'a;
    fn read(row: &dyn Row, i: usize) -> Result<Self>;
    fn param(&self) -> Result<Self::Param<'_>>;
}

impl Column for String {
    type Param<'a> = &'a str;
    fn read(row: &dyn Row, i: usize) -> Result<Self> {
        row.get_str(i)
    }
    fn param(&self) -> Result<&str> {
        Ok(self)
    }
}

/// A stored counter, sequence number or generation (BIGINT, never negative as written): a
/// negative one is corrupt, never read as zero (a zero policy generation means no policies).
pub(crate) fn unsigned(n: i64) -> Result<u64> {
    u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("a negative count ({n})")))
}

/// Counters and sequence numbers: BIGINT, never negative.
impl Column for u64 {
    type Param<'a> = i64;
    fn read(row: &dyn Row, i: usize) -> Result<Self> {
        unsigned(row.get_i64(i)?)
    }
    fn param(&self) -> Result<i64> {
        Ok(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl Column for bool {
    type Param<'a> = bool;
    fn read(row: &dyn Row, i: usize) -> Result<Self> {
        row.get_bool(i)
    }
    fn param(&self) -> Result<bool> {
        Ok(*self)
    }
}

impl Column for f64 {
    type Param<'a> = f64;
    fn read(row: &dyn Row, i: usize) -> Result<Self> {
        row.get_f64(i)
    }
    fn param(&self) -> Result<f64> {
        Ok(*self)
    }
}

impl Column for DateTime<Utc> {
    type Param<'a> = String;
    fn read(row: &dyn Row, i: usize) -> Result<Self> {
        time(&row.get_str(i)?)
    }
    fn param(&self) -> Result<String> {
        Ok(ts(*self))
    }
}

impl<T: Column> Column for Option<T> {
    type Param<'a>
        = Option<T::Param<'a>>
    where
        T: 'a;
    fn read(row: &dyn Row, i: usize) -> Result<Self> {
        if row.is_null(i)? {
            return Ok(None);
        }
        T::read(row, i).map(Some)
    }
    fn param(&self) -> Result<Self::Param<'_>> {
        self.as_ref().map(T::param).transpose()
    }
}

impl<T: Serialize + DeserializeOwned> Column for Vec<T> {
    type Param<'a>
        = String
    where
        T: 'a;
    fn read(row: &dyn Row, i: usize) -> Result<Self> {
        from_json(&row.get_str(i)?)
    }
    fn param(&self) -> Result<String> {
        to_json(self)
    }
}

impl Column for serde_json::Value {
    type Param<'a> = String;
    fn read(row: &dyn Row, i: usize) -> Result<Self> {
        from_json(&row.get_str(i)?)
    }
    fn param(&self) -> Result<String> {
        to_json(self)
    }
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// A timestamp as stored (RFC 3339).
pub(crate) fn time(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(corrupt)
}

fn from_json<T: DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(corrupt)
}

fn to_json<T: Serialize + ?Sized>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(corrupt)
}

/// A model type stored as one row of a table.
pub(crate) trait Record: Sized {
    const TABLE: &'static str;
    /// The columns, in the order [`Record::read`] reads and [`Record::write`] binds them.
    const COLUMNS: &'static str;
    fn read(row: &dyn Row) -> Result<Self>;
    /// Runs `sql` with the fields as its parameters `$1…$n`, in column order.
    fn write(&self, db: &mut dyn Db, sql: &'static Sql) -> Result<u64> {
        self.with_params(&mut |params| db.exec(sql, params))
    }
    /// Hands the fields, bound as parameters in column order, to `f`.
    fn with_params(&self, f: &mut dyn FnMut(&[&dyn Param]) -> Result<u64>) -> Result<u64>;
    /// Inserts the record.
    fn insert(&self, db: &mut dyn Db) -> Result<()>;
}

/// `INSERT INTO table (columns) VALUES ($1, …, $n)`.
pub(crate) fn insert_sql(table: &str, columns: &str) -> String {
    let values: Vec<String> = (1..=columns.split(',').count())
        .map(|n| format!("${n}"))
        .collect();
    format!(
        "INSERT INTO {table} ({columns}) VALUES ({})",
        values.join(", ")
    )
}

/// `SELECT` every column of a record's table, then `rest` (`WHERE …`).
macro_rules! select {
    ($record:ty, $rest:literal) => {
        sql!(
            concat!("SELECT {} FROM {} ", $rest),
            <$record as $crate::record::Record>::COLUMNS,
            <$record as $crate::record::Record>::TABLE
        )
    };
}

/// Reads the columns of a row in order.
struct Cursor<'r> {
    row: &'r dyn Row,
    next: usize,
}

impl Cursor<'_> {
    fn read<T: Column>(&mut self) -> Result<T> {
        let i = self.next;
        self.next += 1;
        T::read(self.row, i)
    }
}

/// Makes a model type a [`Record`] of `table`, its columns named like its fields.
macro_rules! record {
    ($type:ident in $table:literal { $first:ident $(, $field:ident)* $(,)? }) => {
        impl Record for $type {
            const TABLE: &'static str = $table;
            const COLUMNS: &'static str = concat!(stringify!($first) $(, ", ", stringify!($field))*);

            fn read(row: &dyn Row) -> Result<Self> {
                let mut cursor = Cursor { row, next: 0 };
                Ok($type { $first: cursor.read()?, $($field: cursor.read()?,)* })
            }

            fn with_params(
                &self,
                f: &mut dyn FnMut(&[&dyn Param]) -> Result<u64>,
            ) -> Result<u64> {
                f(&[&self.$first.param()? $(, &self.$field.param()?)*])
            }

            fn insert(&self, db: &mut dyn Db) -> Result<()> {
                let sql = sql!(|_dialect| insert_sql($table, <$type as Record>::COLUMNS));
                self.write(db, sql).map(drop)
            }
        }
    };
}

record!(Org in "orgs" { id, name, default_mode, created_at });
record!(ApiKey in "api_keys" { id, org_id, hash, prefix, name, created_at, revoked_at, role });
record!(Agent in "agents" {
    id, org_id, name, framework, public_key, status, capabilities, metadata, created_at,
    revoked_at, revoke_reason
});
record!(Server in "servers" {
    id, org_id, name, url, description, capabilities, tools, default_mode, status, created_at,
    allowed_methods, approval_wait_secs
});
record!(Session in "sessions" {
    org_id, id, agent_id, server_id, source, scope_ceiling, base_mode, elevated_until,
    total_calls, read_calls, write_calls, denied_calls, head, created_at, last_activity_at
});
record!(Decision in "decisions" {
    org_id, session_id, seq, check_id, agent_id, action_name, effect, risk, allowed, reason,
    reasons, guard_tier, confidence, input_digest, input_summary, approval_id, source,
    latency_us, decided_at, hash, rule, key_id
});

/// The columns of the `decisions` table as the store reads and writes them, in order: the
/// audit chain's coverage test compares them with the fields its canonical encoding covers.
pub const DECISION_COLUMNS: &str = <Decision as Record>::COLUMNS;
record!(Approval in "approvals" {
    id, org_id, session_id, agent_id, kind, action_name, action_effect, input_digest, reason,
    status, created_at, expires_at, decided_by, decided_at, used_at, input, reasons, note
});
record!(Webhook in "webhooks" { id, org_id, url, secret, format, created_at });
record!(ConsoleSession in "console_sessions" {
    token_hash, org_id, key_id, csrf, created_at, last_seen_at, expires_at
});
record!(Token in "tokens" {
    id, org_id, agent_id, hash, scopes, session_id, issued_at, expires_at, revoked_at,
    revoke_reason
});
record!(ToolPin in "tool_pins" {
    org_id, server_id, name, definition, digest, status, pending_definition, pending_digest,
    pinned_at, changed_at
});
record!(ReviewerSet in "reviewer_sets" { org_id, reviewers, updated_at });
record!(Policy in "policies" {
    org_id, id, description, text, mode, version, created_at, updated_at, updated_by
});
record!(PolicyVersion in "policy_versions" {
    org_id, policy_id, version, change, description, text, mode, changed_by, changed_at
});
record!(SiemDestination in "siem_destinations" {
    id, org_id, name, destination_type, endpoint_url, auth_token, token_hint, is_active,
    batch_size, flush_interval_seconds, filter_event_types, created_at, updated_at
});
record!(SiemDelivery in "siem_deliveries" {
    id, org_id, destination_id, batch_size, status, status_code, error_message, delivered_at
});
record!(PopChallenge in "pop_challenges" { nonce_hash, org_id, agent_id, expires_at });
record!(SecuritySettings in "org_security_settings" {
    org_id, require_proof_of_possession, require_sender_constrained_tokens, updated_at
});
record!(FederationProvider in "federation_providers" {
    id, org_id, issuer, name, audience, jwks_uri, authorization_endpoint, token_endpoint,
    trust_level, status, created_at, updated_at
});
record!(FederationRevocation in "federation_revocations" {
    token_hash, org_id, expires_at, revoked_at
});
record!(FederatedSession in "federated_sessions" {
    org_id, session_id, provider_id, issuer, trust_level
});
record!(Delegation in "delegations" {
    id, org_id, from_agent_id, to_agent_id, parent_id, path, depth, scope, restrictions,
    token_hash, created_at, expires_at, revoked_at, revoke_reason
});
record!(DelegatedSession in "delegated_sessions" { org_id, session_id, delegation_id });
record!(AgentCard in "agent_cards" {
    org_id, agent_id, card, endpoint_url, published, published_at, created_at, updated_at
});
record!(A2aTask in "a2a_tasks" {
    id, org_id, context_id, source_agent_id, target_agent_id, session_id, protocol, state,
    message, history, artifacts, metadata, upstream_task_id, created_at, updated_at
});
