//! The Agents page (placeholder until its page lands).

use axum::Router;
use axum::routing::get;
use maud::Markup;

use crate::auth::Signed;
use crate::layout::{self, Nav};
use crate::state::Console;

pub fn routes() -> Router<Console> {
    Router::new().route("/console/agents", get(index))
}

async fn index(signed: Signed) -> Markup {
    layout::coming(&signed, "Agents", Nav::Agents)
}
