//! Phone numbers of reporters: parsed, normalised, masked for display.

use crate::DomainError;

/// A mainland China phone number: an 11-digit mobile or a landline with its area code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Parses a phone number, tolerating spaces, dashes, full-width digits and a +86 prefix.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let mut digits = String::new();
        for c in input.trim().chars() {
            match c {
                '0'..='9' => digits.push(c),
                '０'..='９' => digits.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
                ' ' | '-' | '(' | ')' | '+' | '（' | '）' => {}
                _ => return Err(DomainError::invalid("reporter_phone", format!("unexpected character `{c}`"))),
            }
        }
        if digits.len() == 13 && digits.starts_with("86") {
            digits.drain(..2);
        }
        let mobile = digits.len() == 11 && digits.starts_with('1') && matches!(digits.as_bytes()[1], b'3'..=b'9');
        let landline = digits.starts_with('0') && (10..=12).contains(&digits.len());
        if !(mobile || landline) {
            return Err(DomainError::invalid(
                "reporter_phone",
                "expected an 11-digit mobile number or a landline with its area code",
            ));
        }
        Ok(PhoneNumber(digits))
    }

    /// The normalised digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with its middle hidden, as shown to readers who do not need it: `138****5678`.
    pub fn masked(&self) -> String {
        let d = &self.0;
        if d.len() <= 7 {
            return format!("{}***", &d[..d.len().min(2)]);
        }
        format!("{}****{}", &d[..3], &d[d.len() - 4..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_masks() {
        let p = PhoneNumber::parse("+86 138-0013-8000").unwrap();
        assert_eq!(p.as_str(), "13800138000");
        assert_eq!(p.masked(), "138****8000");
        assert_eq!(PhoneNumber::parse("１３９００１３９０００").unwrap().as_str(), "13900139000");
        assert_eq!(PhoneNumber::parse("0631-5201234").unwrap().masked(), "063****1234");
    }

    #[test]
    fn refuses_bad() {
        for bad in ["12345", "1380013800", "abc", "23800138000", "138001380001"] {
            assert_eq!(PhoneNumber::parse(bad).unwrap_err().field(), Some("reporter_phone"), "{bad}");
        }
    }
}
