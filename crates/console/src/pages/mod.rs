//! One module per console page; each exposes `routes() -> Router<Console>` with full paths
//! (`/console/<name>…`), merged in `lib.rs` with one line each.
//!
//! A page handler takes [`crate::Signed`] (GET: redirects to sign-in without a session) and
//! answers `Result<Markup, ConsoleError>` built with [`crate::layout::page`]. A state-changing
//! handler takes [`crate::CheckedForm<T>`] (the session, the CSRF token, then the form `T`) or,
//! for a `fetch` without a form body, [`crate::csrf::Checked`] (token in `X-CSRF-Token`); every
//! form includes [`crate::csrf::field`]. Service calls take `&signed.caller`, so every query is
//! the signed-in organization's. No inline `style=` or `<script>`: the Content-Security-Policy
//! refuses them; use the classes of `assets/console.css` and the hooks of `assets/console.js`
//! (`data-confirm` on a form, `data-copy` on a button, `window.airlockConsole.localTimes(el)`
//! after inserting `<time>` elements).

pub mod agents;
pub mod approvals;
pub mod decisions;
pub mod keys;
pub mod policies;
pub mod servers;
pub mod sessions;
