//! `/api/v1/notifications/webhooks`: where an organization is told about new approvals
//! (admin keys only). The secret is write-only: answers show a hint of it, never the secret.

use axum::Json;
use axum::extract::State;

use crate::params::Path;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use airlock_store::model::ts;

use super::openapi::{Errors, answers};
use crate::Service;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::service::{NewWebhook, Webhook};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct CreateWebhook {
    #[serde(default)]
    url: String,
    #[serde(default)]
    secret: String,
    #[serde(default)]
    format: Option<String>,
}

fn view(w: &Webhook) -> Value {
    json!({
        "id": w.id,
        "url": w.url,
        "format": w.format,
        "secret_hint": crate::service::secret_hint(&w.secret),
        "created_at": ts(w.created_at),
    })
}

#[utoipa::path(
    post,
    path = "/api/v1/notifications/webhooks",
    tag = "notifications",
    request_body = CreateWebhook,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 201, description = "The webhook (the secret as a hint)", body = answers::Webhook), Errors)
)]
pub async fn create(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<CreateWebhook>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let new = NewWebhook {
        url: body.url,
        secret: body.secret,
        format: body.format,
    };
    let hook = service.create_webhook(&caller, new).await?;
    Ok((StatusCode::CREATED, Json(view(&hook))))
}

#[utoipa::path(
    get,
    path = "/api/v1/notifications/webhooks",
    tag = "notifications",
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The organization's webhooks", body = answers::WebhookList), Errors)
)]
pub async fn list(State(service): State<Service>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let hooks = service.webhooks(&caller).await?;
    Ok(Json(
        json!({"webhooks": hooks.iter().map(view).collect::<Vec<_>>()}),
    ))
}

#[utoipa::path(
    delete,
    path = "/api/v1/notifications/webhooks/{id}",
    tag = "notifications",
    params(("id" = String, Path, description = "The webhook id")),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "Deleted", body = answers::Deleted), Errors)
)]
pub async fn delete(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    service.delete_webhook(&caller, &id).await?;
    Ok(Json(json!({"deleted": true, "id": id})))
}
