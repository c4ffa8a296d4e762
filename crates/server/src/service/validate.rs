//! Limits on every field the service accepts.

use super::{InvalidKind, ServiceError};

pub const MAX_NAME: usize = 256;
pub const MAX_ID: usize = 128;
pub const MAX_LIST: usize = 512;
pub const MAX_URL: usize = 2048;
/// The longest reason a surface may give for refusing a call.
pub const MAX_REFUSAL: usize = 2048;

/// A required, bounded, printable string.
pub fn text<'a>(field: &str, value: &'a str, max: usize) -> Result<&'a str, ServiceError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(ServiceError::invalid_as(
            field,
            InvalidKind::Missing,
            format!("`{field}` is required"),
        ));
    }
    optional_text(field, v, max)?;
    Ok(v)
}

/// A bounded printable string that may be empty.
pub fn optional_text<'a>(field: &str, value: &'a str, max: usize) -> Result<&'a str, ServiceError> {
    if value.len() > max {
        return Err(ServiceError::invalid(
            field,
            format!("`{field}` is longer than {max} bytes"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(ServiceError::invalid(
            field,
            format!("`{field}` contains a control character"),
        ));
    }
    Ok(value)
}

/// An id: bounded, no whitespace or control characters.
pub fn id<'a>(field: &str, value: &'a str) -> Result<&'a str, ServiceError> {
    let v = text(field, value, MAX_ID)?;
    if v.chars().any(char::is_whitespace) {
        return Err(ServiceError::invalid(
            field,
            format!("`{field}` contains whitespace"),
        ));
    }
    Ok(v)
}

/// A list of capability patterns.
pub fn capabilities(field: &str, caps: &[String]) -> Result<Vec<String>, ServiceError> {
    if caps.len() > MAX_LIST {
        return Err(ServiceError::invalid(
            field,
            format!("`{field}` has more than {MAX_LIST} entries"),
        ));
    }
    caps.iter()
        .map(|c| {
            airlock_core::scope::validate(c)
                .map(|()| c.trim().to_string())
                .map_err(|e| ServiceError::invalid(field, format!("`{field}`: {e}")))
        })
        .collect()
}

/// An effect name, or none when empty.
pub fn effect(
    field: &str,
    value: Option<&str>,
) -> Result<Option<airlock_core::Effect>, ServiceError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|e| {
            ServiceError::invalid_as(field, InvalidKind::Effect, format!("`{field}`: {e}"))
        }),
    }
}
