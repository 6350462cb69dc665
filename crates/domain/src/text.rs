//! Bounded text: every free-text field has a limit, checked on the way in.

use crate::DomainError;

/// Trims `value` and checks it is non-empty (if `required`) and at most `max` characters.
pub fn bounded(field: &str, value: &str, max: usize, required: bool) -> Result<String, DomainError> {
    let v = value.trim();
    if required && v.is_empty() {
        return Err(DomainError::invalid(field, "must not be empty"));
    }
    let n = v.chars().count();
    if n > max {
        return Err(DomainError::invalid(field, format!("is {n} characters long; at most {max} allowed")));
    }
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
        return Err(DomainError::invalid(field, "contains control characters"));
    }
    Ok(v.to_string())
}

/// Limits on the free-text fields of a case.
pub mod limits {
    /// Title of a case.
    pub const TITLE: usize = 100;
    /// Description of a case.
    pub const DESCRIPTION: usize = 4000;
    /// Address as typed or spoken.
    pub const ADDRESS: usize = 200;
    /// Reasons, instructions, notes and comments.
    pub const NOTE: usize = 1000;
    /// Number of attachments on one event.
    pub const ATTACHMENTS: usize = 9;
    /// Length of one attachment reference.
    pub const ATTACHMENT_REF: usize = 300;
}
