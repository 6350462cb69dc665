//! The password policy (issue 22 finding 15), fit for MLPS level 3 (等保三级): a minimum length,
//! several character classes, not one of the most common passwords, not the username.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::DomainError;

/// The 10,000 most common passwords of 8 or more characters (`data/passwords/SOURCE.md`).
const COMMON: &str = include_str!("../../../data/passwords/common.txt");

/// What a new password must be; configurable as `[password_policy]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PasswordPolicy {
    /// Fewest characters.
    pub min_length: usize,
    /// Fewest of the four classes: lower-case letters, upper-case letters, digits, others.
    pub min_classes: usize,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy { min_length: 8, min_classes: 3 }
    }
}

fn common() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| COMMON.lines().map(str::trim).filter(|l| !l.is_empty()).collect())
}

impl PasswordPolicy {
    /// Checks a new password for `username`; the refusal names the field `password` and says
    /// what is missing.
    pub fn check(&self, password: &str, username: &str) -> Result<(), DomainError> {
        let refuse = |why: String| Err(DomainError::invalid("password", format!("password: {why}")));
        if password.chars().count() < self.min_length {
            return refuse(format!("at least {} characters", self.min_length));
        }
        let classes = [
            password.chars().any(|c| c.is_lowercase()),
            password.chars().any(|c| c.is_uppercase()),
            password.chars().any(|c| c.is_ascii_digit()),
            password.chars().any(|c| !c.is_alphanumeric()),
        ];
        if classes.iter().filter(|c| **c).count() < self.min_classes {
            return refuse(format!("use at least {} of: lower-case letters, upper-case letters, digits, other characters", self.min_classes));
        }
        let lower = password.to_lowercase();
        let name = username.trim().to_lowercase();
        if !name.is_empty() && lower.contains(&name) {
            return refuse("must not contain the username".into());
        }
        if common().contains(lower.as_str()) {
            return refuse("is one of the most common passwords; choose another".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords_are_refused_with_the_reason() {
        let p = PasswordPolicy::default();
        for (pw, why) in [
            ("12345678", "of:"),
            ("password", "of:"),
            ("        ", "of:"),
            ("Short1!", "at least 8"),
            ("Zhangwei-2026", "username"),
            ("P@ssw0rd", "most common"),
        ] {
            let e = p.check(pw, "zhangwei").unwrap_err();
            assert_eq!(e.field(), Some("password"), "{pw}");
            assert!(e.to_string().contains(why), "{pw}: {e}");
        }
        assert!(p.check("Grid-worker-7", "zhangwei").is_ok());
        assert!(PasswordPolicy { min_length: 12, min_classes: 1 }.check("abcdefghijk", "x").is_err());
        assert_eq!(common().len(), 10_000);
    }
}
