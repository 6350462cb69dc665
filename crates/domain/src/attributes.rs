//! Service attributes: extra questions a category asks of a report (Open311 GeoReport v2
//! "service definitions"), and the check of the answers a reporter submits. No I/O.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crate::text::{bounded, limits};
use crate::{CategoryCode, DomainError};

/// Longest attribute code.
pub const CODE_MAX: usize = 64;
/// Longest answer of a `string` attribute.
pub const STRING_MAX: usize = 200;
/// Most options of a list attribute.
pub const VALUES_MAX: usize = 100;

/// The kind of answer an attribute takes, named as in GeoReport v2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Datatype {
    /// One line of text.
    String,
    /// A decimal number.
    Number,
    /// A W3C (RFC 3339) date and time with its offset.
    Datetime,
    /// Free text over several lines.
    Text,
    /// Exactly one key out of `values`.
    Singlevaluelist,
    /// One or more keys out of `values`.
    Multivaluelist,
}

impl Datatype {
    /// Every datatype, in the order of the specification.
    pub const ALL: &'static [Datatype] =
        &[Datatype::String, Datatype::Number, Datatype::Datetime, Datatype::Text, Datatype::Singlevaluelist, Datatype::Multivaluelist];

    /// The name used by GeoReport v2 and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Datatype::String => "string",
            Datatype::Number => "number",
            Datatype::Datetime => "datetime",
            Datatype::Text => "text",
            Datatype::Singlevaluelist => "singlevaluelist",
            Datatype::Multivaluelist => "multivaluelist",
        }
    }

    /// True for the two list types, which need `values`.
    pub fn is_list(self) -> bool {
        matches!(self, Datatype::Singlevaluelist | Datatype::Multivaluelist)
    }
}

impl FromStr for Datatype {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Datatype::ALL.iter().copied().find(|d| d.as_str() == s).ok_or_else(|| {
            DomainError::invalid(
                "datatype",
                format!("unknown datatype `{s}`; expected one of: {}", Datatype::ALL.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(", ")),
            )
        })
    }
}

impl fmt::Display for Datatype {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One option of a list attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AttributeOption {
    /// What the client submits.
    pub key: String,
    /// What a person reads.
    pub name: String,
}

/// One question a category asks of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AttributeDef {
    /// The category that asks it.
    pub category: CategoryCode,
    /// Code, unique within the category (letters, digits, `_`, `-`).
    pub code: String,
    /// Kind of answer.
    pub datatype: Datatype,
    /// Whether a report must answer it.
    pub required: bool,
    /// False for a text shown to the reporter only, which takes no answer.
    pub variable: bool,
    /// The question, for a person.
    pub description: String,
    /// Help on the expected format.
    pub datatype_description: Option<String>,
    /// Position in the form, 1 first.
    pub order: i64,
    /// Options of a list attribute; empty for the others.
    pub values: Vec<AttributeOption>,
}

impl AttributeDef {
    /// Checks a definition: a well-formed code, options exactly for the list types, unique keys.
    pub fn validate(self) -> Result<AttributeDef, DomainError> {
        let code = self.code.trim().to_string();
        if code.is_empty() || code.len() > CODE_MAX || !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
            return Err(DomainError::invalid("code", format!("`{code}`: 1–{CODE_MAX} letters, digits, `_` or `-`")));
        }
        let description = bounded("description", &self.description, limits::NOTE, true)?;
        let datatype_description = match self.datatype_description.as_deref().map(str::trim) {
            Some(d) if !d.is_empty() => Some(bounded("datatype_description", d, limits::NOTE, false)?),
            _ => None,
        };
        if !(0..=10_000).contains(&self.order) {
            return Err(DomainError::invalid("order", "must be between 0 and 10000"));
        }
        if self.datatype.is_list() != !self.values.is_empty() {
            return Err(DomainError::invalid(
                "values",
                if self.datatype.is_list() { "a list attribute needs at least one option" } else { "only list attributes take options" },
            ));
        }
        if self.values.len() > VALUES_MAX {
            return Err(DomainError::invalid("values", format!("at most {VALUES_MAX} options")));
        }
        let mut values = Vec::with_capacity(self.values.len());
        for (i, v) in self.values.into_iter().enumerate() {
            let key = bounded(&format!("values[{i}].key"), &v.key, CODE_MAX, true)?;
            if values.iter().any(|o: &AttributeOption| o.key == key) {
                return Err(DomainError::invalid(format!("values[{i}].key"), format!("`{key}` is given twice")));
            }
            values.push(AttributeOption { key, name: bounded(&format!("values[{i}].name"), &v.name, STRING_MAX, true)? });
        }
        Ok(AttributeDef { code, description, datatype_description, values, ..self })
    }
}

/// A submitted answer: one value, or several for a `multivaluelist`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum AttributeValue {
    /// One value.
    One(String),
    /// Several keys of a `multivaluelist`.
    Many(Vec<String>),
}

/// The answers of a report, by attribute code.
pub type AttributeValues = BTreeMap<String, AttributeValue>;

fn field(code: &str) -> String {
    format!("attribute[{code}]")
}

/// Checks the answers submitted for a category against its definitions and answers them in
/// their stored form. Every required variable attribute must be answered; unknown codes and
/// answers to non-variable attributes are refused; empty answers count as not given.
pub fn validate_values(defs: &[AttributeDef], submitted: &BTreeMap<String, Vec<String>>) -> Result<AttributeValues, DomainError> {
    for code in submitted.keys() {
        match defs.iter().find(|d| &d.code == code) {
            None => return Err(DomainError::invalid(field(code), "this service has no such attribute")),
            Some(d) if !d.variable => return Err(DomainError::invalid(field(code), "this attribute takes no answer")),
            Some(_) => {}
        }
    }
    let mut out = AttributeValues::new();
    for d in defs.iter().filter(|d| d.variable) {
        let given: Vec<&str> =
            submitted.get(&d.code).map(|v| v.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect()).unwrap_or_default();
        if given.is_empty() {
            if d.required {
                return Err(DomainError::invalid(field(&d.code), "is required"));
            }
            continue;
        }
        let f = field(&d.code);
        if d.datatype != Datatype::Multivaluelist && given.len() > 1 {
            return Err(DomainError::invalid(f, "takes one value"));
        }
        let one = given[0];
        let value = match d.datatype {
            Datatype::String => AttributeValue::One(bounded(&f, one, STRING_MAX, true).and_then(|s| {
                if s.contains('\n') {
                    Err(DomainError::invalid(&f, "must be one line"))
                } else {
                    Ok(s)
                }
            })?),
            Datatype::Text => AttributeValue::One(bounded(&f, one, limits::DESCRIPTION, true)?),
            Datatype::Number => match one.parse::<f64>() {
                Ok(n) if n.is_finite() => AttributeValue::One(one.to_string()),
                _ => return Err(DomainError::invalid(f, format!("`{one}` is not a number"))),
            },
            Datatype::Datetime => match chrono::DateTime::parse_from_rfc3339(one) {
                Ok(t) => AttributeValue::One(t.to_rfc3339()),
                Err(_) => return Err(DomainError::invalid(f, format!("`{one}` is not a date and time with offset (RFC 3339)"))),
            },
            Datatype::Singlevaluelist => {
                check_key(d, &f, one)?;
                AttributeValue::One(one.to_string())
            }
            Datatype::Multivaluelist => {
                let mut keys: Vec<String> = Vec::new();
                for k in given {
                    check_key(d, &f, k)?;
                    if !keys.iter().any(|x| x == k) {
                        keys.push(k.to_string());
                    }
                }
                AttributeValue::Many(keys)
            }
        };
        out.insert(d.code.clone(), value);
    }
    Ok(out)
}

fn check_key(d: &AttributeDef, field: &str, key: &str) -> Result<(), DomainError> {
    if d.values.iter().any(|o| o.key == key) {
        Ok(())
    } else {
        Err(DomainError::invalid(
            field,
            format!("`{key}` is not one of: {}", d.values.iter().map(|o| o.key.as_str()).collect::<Vec<_>>().join(", ")),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(code: &str, datatype: Datatype, required: bool, keys: &[&str]) -> AttributeDef {
        AttributeDef {
            category: CategoryCode::parse("0102").unwrap(),
            code: code.into(),
            datatype,
            required,
            variable: true,
            description: format!("question {code}"),
            datatype_description: None,
            order: 1,
            values: keys.iter().map(|k| AttributeOption { key: (*k).into(), name: format!("name {k}") }).collect(),
        }
        .validate()
        .unwrap()
    }

    fn sub(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect())).collect()
    }

    #[test]
    fn definitions_are_checked() {
        assert!(AttributeDef { code: "bad code".into(), ..def("x", Datatype::String, false, &[]) }.validate().is_err());
        let list = def("l", Datatype::Singlevaluelist, false, &["a"]);
        assert!(AttributeDef { values: vec![], ..list.clone() }.validate().is_err(), "a list needs options");
        let dup = AttributeOption { key: "a".into(), name: "again".into() };
        assert!(AttributeDef { values: vec![list.values[0].clone(), dup], ..list.clone() }.validate().is_err());
        let s = def("s", Datatype::String, false, &[]);
        assert!(AttributeDef { values: list.values.clone(), ..s }.validate().is_err(), "options only for lists");
        assert_eq!("multivaluelist".parse::<Datatype>().unwrap(), Datatype::Multivaluelist);
        assert!("list".parse::<Datatype>().is_err());
    }

    #[test]
    fn values_by_datatype() {
        let defs = vec![
            def("size", Datatype::Singlevaluelist, true, &["small", "large"]),
            def("kinds", Datatype::Multivaluelist, false, &["a", "b", "c"]),
            def("count", Datatype::Number, false, &[]),
            def("seen", Datatype::Datetime, false, &[]),
            def("plate", Datatype::String, false, &[]),
            def("more", Datatype::Text, false, &[]),
        ];
        let ok = validate_values(
            &defs,
            &sub(&[
                ("size", &["large"]),
                ("kinds", &["a", "c", "a"]),
                ("count", &["3.5"]),
                ("seen", &["2026-11-23T09:00:00+08:00"]),
                ("plate", &["鲁K12345"]),
                ("more", &["line one\nline two"]),
            ]),
        )
        .unwrap();
        assert_eq!(ok["size"], AttributeValue::One("large".into()));
        assert_eq!(ok["kinds"], AttributeValue::Many(vec!["a".into(), "c".into()]));
        assert_eq!(ok.len(), 6);

        let err = |pairs: &[(&str, &[&str])]| validate_values(&defs, &sub(pairs)).unwrap_err().field().unwrap().to_string();
        assert_eq!(err(&[]), "attribute[size]", "required");
        assert_eq!(err(&[("size", &["  "])]), "attribute[size]", "blank is missing");
        assert_eq!(err(&[("size", &["medium"])]), "attribute[size]");
        assert_eq!(err(&[("size", &["small", "large"])]), "attribute[size]", "one value only");
        assert_eq!(err(&[("size", &["small"]), ("kinds", &["z"])]), "attribute[kinds]");
        assert_eq!(err(&[("size", &["small"]), ("count", &["many"])]), "attribute[count]");
        assert_eq!(err(&[("size", &["small"]), ("count", &["NaN"])]), "attribute[count]");
        assert_eq!(err(&[("size", &["small"]), ("seen", &["2026-11-23 09:00"])]), "attribute[seen]");
        assert_eq!(err(&[("size", &["small"]), ("plate", &["a\nb"])]), "attribute[plate]");
        assert_eq!(err(&[("size", &["small"]), ("nope", &["x"])]), "attribute[nope]", "unknown code");
    }

    #[test]
    fn informational_attributes_take_no_answer() {
        let info = AttributeDef { variable: false, ..def("note", Datatype::Text, false, &[]) };
        assert!(validate_values(std::slice::from_ref(&info), &sub(&[])).unwrap().is_empty());
        assert!(validate_values(&[info], &sub(&[("note", &["x"])])).is_err());
    }

    #[test]
    fn stored_form_round_trips() {
        let mut v = AttributeValues::new();
        v.insert("a".into(), AttributeValue::One("x".into()));
        v.insert("b".into(), AttributeValue::Many(vec!["k".into()]));
        let s = serde_json::to_string(&v).unwrap();
        assert_eq!(s, r#"{"a":"x","b":["k"]}"#);
        assert_eq!(serde_json::from_str::<AttributeValues>(&s).unwrap(), v);
    }
}
