#![cfg_attr(not(test), deny(clippy::indexing_slicing))]
//! Airlock's web console: server-rendered pages under `/console`, over the service layer in
//! process. Every page is built with `maud` (auto-escaping); the one stylesheet and the one
//! small script are embedded in the binary (see [`assets`]).

mod assets;
pub mod auth;
pub mod csrf;
pub mod error;
pub mod layout;
pub mod pages;
mod rate_limit;
pub mod render;
mod sign_in;
pub mod state;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{Redirect, Response};
use axum::routing::get;

use airlock_server::Service;

pub use auth::Signed;
pub use csrf::CheckedForm;
pub use error::ConsoleError;
pub use state::Console;

/// The console's routes, all under `/console`, with their security headers.
pub fn router(service: Service) -> Router {
    let pages = Router::new()
        .route(
            "/console",
            get(|| async { Redirect::to("/console/approvals") }),
        )
        .route(
            "/console/",
            get(|| async { Redirect::to("/console/approvals") }),
        )
        .merge(assets::routes())
        .merge(sign_in::routes())
        .merge(pages::approvals::routes())
        .merge(pages::sessions::routes())
        .merge(pages::decisions::routes())
        .merge(pages::agents::routes())
        .merge(pages::servers::routes())
        .merge(pages::policies::routes())
        .merge(pages::keys::routes())
        // The application's own fallback answers outside /console; inside it, a page.
        .route(
            "/console/{*rest}",
            get(|| async { ConsoleError::NotFound("page".into()) }),
        );
    pages
        .with_state(Console::new(service))
        .layer(axum::middleware::map_response(security_headers))
}

/// Headers every console answer carries. Pages are never cached (they show a signed-in
/// organization's data); assets set their own long cache.
async fn security_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
