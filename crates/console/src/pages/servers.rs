//! The Servers page (placeholder until its page lands).

use axum::Router;
use axum::routing::get;
use maud::Markup;

use crate::auth::Signed;
use crate::layout::{self, Nav};
use crate::state::Console;

pub fn routes() -> Router<Console> {
    Router::new().route("/console/servers", get(index))
}

async fn index(signed: Signed) -> Markup {
    layout::coming(&signed, "Servers", Nav::Servers)
}
