//! Finding a case from one search box (`GET /api/v1/cases?q=`): by its tracking code, the
//! caller's phone (through its blind index, never by decrypting a phone), a grid code, or a
//! keyword in the title, description or address.

use civicgrid_domain::{CaseCode, GridCode, NewCase, PhoneNumber};
use civicgrid_store::crypto::Cipher;

use crate::kit::error::{ApiError, ApiResult};

/// The blind index's purpose for reporters' phones.
const PHONE: &str = "phone";

/// What a search box's text asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Search {
    /// A tracking code; 15 digits may also be a grid's code, looked for if no case has it.
    Code(CaseCode, Option<GridCode>),
    /// The blind index of a phone.
    Phone(String),
    /// A grid's code.
    Grid(GridCode),
    /// A keyword, lower case.
    Text(String),
}

impl Search {
    /// Reads `q`; refused when empty or longer than 100 characters.
    pub(crate) fn parse(cipher: &Cipher, q: &str) -> ApiResult<Search> {
        let q = q.trim();
        let n = q.chars().count();
        if n == 0 || n > 100 {
            return Err(ApiError::invalid("q", "q: 1 to 100 characters (a tracking code, a phone, a grid code or a keyword)"));
        }
        let digits = q.bytes().all(|b| b.is_ascii_digit());
        if digits {
            if let Ok(code) = CaseCode::parse(q) {
                return Ok(Search::Code(code, GridCode::parse(q).ok()));
            }
            if let Ok(g) = GridCode::parse(q) {
                return Ok(Search::Grid(g));
            }
        }
        // A phone may be written with spaces, dashes or +86; a short number is a keyword.
        if q.chars().filter(char::is_ascii_digit).count() >= 7 {
            if let Ok(p) = PhoneNumber::parse(q) {
                return Ok(Search::Phone(phone_index(cipher, &p)));
            }
        }
        Ok(Search::Text(q.to_lowercase()))
    }
}

/// The blind index of a phone.
pub(crate) fn phone_index(cipher: &Cipher, p: &PhoneNumber) -> String {
    cipher.blind_index(PHONE, p.as_str())
}

/// Keeps a reporter's phone on a new case: masked for display, encrypted, and indexed.
pub(crate) fn keep_phone(cipher: &Cipher, new: &mut NewCase, p: &PhoneNumber) {
    new.reporter_phone_masked = Some(p.masked());
    new.reporter_phone_enc = Some(cipher.encrypt(p.as_str()));
    new.reporter_phone_index = Some(phone_index(cipher, p));
}

/// The blind index of a stored (encrypted) phone, for cases reported before phones were indexed.
pub(crate) fn index_stored_phone(cipher: &Cipher, enc: &str) -> Option<String> {
    let plain = cipher.decrypt(enc).ok()?;
    PhoneNumber::parse(&plain).ok().map(|p| phone_index(cipher, &p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_box_tells_codes_phones_grids_and_words_apart() {
        let c = Cipher::from_bytes([1; 32]);
        assert!(matches!(Search::parse(&c, "20261205000009").unwrap(), Search::Code(_, None)));
        assert!(matches!(Search::parse(&c, "371002001001002").unwrap(), Search::Code(_, Some(_))), "15 digits: a code, else a grid");
        let a = Search::parse(&c, "138 0013 8000").unwrap();
        assert_eq!(a, Search::parse(&c, "+86-13800138000").unwrap(), "one phone however written");
        assert!(matches!(a, Search::Phone(_)));
        assert_ne!(a, Search::parse(&c, "13800138001").unwrap());
        assert_ne!(a, Search::parse(&Cipher::from_bytes([2; 32]), "13800138000").unwrap(), "keyed");
        assert_eq!(Search::parse(&c, " 路灯 Broken ").unwrap(), Search::Text("路灯 broken".into()));
        assert_eq!(Search::parse(&c, "3号楼").unwrap(), Search::Text("3号楼".into()));
        assert_eq!(Search::parse(&c, "  ").unwrap_err().field.as_deref(), Some("q"));
    }
}
