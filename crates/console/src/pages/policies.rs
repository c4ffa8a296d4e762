//! The Policies and Reviewers pages (placeholder until they land).

use axum::Router;
use axum::routing::get;
use maud::Markup;

use crate::auth::Signed;
use crate::layout::{self, Nav};
use crate::state::Console;

pub fn routes() -> Router<Console> {
    Router::new()
        .route("/console/policies", get(index))
        .route("/console/reviewers", get(reviewers))
}

async fn index(signed: Signed) -> Markup {
    layout::coming(&signed, "Policies", Nav::Policies)
}

async fn reviewers(signed: Signed) -> Markup {
    layout::coming(&signed, "Reviewers", Nav::Reviewers)
}
