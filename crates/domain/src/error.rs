//! The domain's one error type. Every variant carries a stable machine code that the HTTP API
//! and the OpenAPI document repeat, so clients can branch on it.

use thiserror::Error;

/// Everything the domain can refuse, each with a stable code and, where one input is at fault,
/// the name of that field.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    /// An input field is malformed or out of bounds.
    #[error("{field}: {reason}")]
    InvalidField { field: String, reason: String },
    /// The action is not possible from the case's current state.
    #[error("action `{action}` is not allowed while the case is `{state}`")]
    IllegalTransition { action: String, state: String },
    /// The actor's role or scope does not permit the action.
    #[error("{0}")]
    Forbidden(String),
}

impl DomainError {
    /// Shorthand for [`DomainError::InvalidField`].
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        DomainError::InvalidField { field: field.into(), reason: reason.into() }
    }

    /// The stable machine-readable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::InvalidField { .. } => "invalid_field",
            DomainError::IllegalTransition { .. } => "illegal_transition",
            DomainError::Forbidden(_) => "forbidden",
        }
    }

    /// The input field at fault, if one is.
    pub fn field(&self) -> Option<&str> {
        match self {
            DomainError::InvalidField { field, .. } => Some(field),
            _ => None,
        }
    }
}
