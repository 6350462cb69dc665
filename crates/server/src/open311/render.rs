//! Answers in the two GeoReport v2 formats. Every answer is built once as JSON; the XML form
//! follows from it by the specification's element names (a list is an element holding one
//! child element per item, named in the singular), written with `quick-xml`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use serde_json::Value;

/// The format a client asked for by the path's suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.json`
    Json,
    /// `.xml`
    Xml,
}

impl Format {
    /// Splits `name.json` or `name.xml` into the name and the format.
    pub fn split(file: &str) -> Option<(&str, Format)> {
        if let Some(stem) = file.strip_suffix(".json") {
            Some((stem, Format::Json))
        } else {
            file.strip_suffix(".xml").map(|stem| (stem, Format::Xml))
        }
    }
}

/// The XML names of a document: its root element and, for a list, the element of each item.
#[derive(Debug, Clone, Copy)]
pub struct Names {
    /// The root element.
    pub root: &'static str,
    /// The element of each item when the document is a list.
    pub item: Option<&'static str>,
}

/// A list document: `<root><item>…</item>…</root>`, a JSON array.
pub const fn list(root: &'static str, item: &'static str) -> Names {
    Names { root, item: Some(item) }
}

/// A single-object document: `<root>…</root>`, a JSON object.
pub const fn object(root: &'static str) -> Names {
    Names { root, item: None }
}

/// The element name of one item of the list held by the element `parent`.
fn singular(parent: &str) -> &str {
    match parent {
        "attributes" => "attribute",
        "values" => "value",
        "endpoints" => "endpoint",
        "formats" => "format",
        "errors" => "error",
        "service_requests" => "request",
        "services" => "service",
        other => other.strip_suffix('s').unwrap_or("item"),
    }
}

/// Answers `body` with `status` in `format`.
pub fn respond(status: StatusCode, format: Format, names: Names, body: &Value) -> Response {
    match format {
        Format::Json => {
            let mut r = (status, serde_json::to_string(body).expect("JSON values serialise")).into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
            r
        }
        Format::Xml => {
            let mut r = (status, to_xml(names, body)).into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml; charset=utf-8"));
            r
        }
    }
}

/// The XML form of a JSON document.
pub fn to_xml(names: Names, body: &Value) -> String {
    let mut w = Writer::new(Vec::new());
    let _ = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)));
    match (names.item, body) {
        (Some(item), Value::Array(items)) => {
            open(&mut w, names.root);
            for v in items {
                element(&mut w, item, v);
            }
            close(&mut w, names.root);
        }
        _ => element(&mut w, names.root, body),
    }
    String::from_utf8(w.into_inner()).expect("written from UTF-8 strings")
}

fn open(w: &mut Writer<Vec<u8>>, name: &str) {
    let _ = w.write_event(Event::Start(BytesStart::new(name)));
}

fn close(w: &mut Writer<Vec<u8>>, name: &str) {
    let _ = w.write_event(Event::End(BytesEnd::new(name)));
}

fn element(w: &mut Writer<Vec<u8>>, name: &str, v: &Value) {
    match v {
        Value::Null => {
            let _ = w.write_event(Event::Empty(BytesStart::new(name)));
        }
        Value::Object(map) => {
            open(w, name);
            for (k, v) in map {
                element(w, k, v);
            }
            close(w, name);
        }
        Value::Array(items) => {
            open(w, name);
            let item = singular(name);
            for v in items {
                element(w, item, v);
            }
            close(w, name);
        }
        Value::String(s) => text(w, name, s),
        Value::Bool(b) => text(w, name, if *b { "true" } else { "false" }),
        Value::Number(n) => text(w, name, &n.to_string()),
    }
}

fn text(w: &mut Writer<Vec<u8>>, name: &str, s: &str) {
    open(w, name);
    let _ = w.write_event(Event::Text(BytesText::new(s)));
    close(w, name);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_objects_nulls_and_escaping() {
        let doc = json!([{"code": 404, "description": "a < b & \"c\"", "x": null, "values": [{"key": "k"}], "ok": true}]);
        let xml = to_xml(list("errors", "error"), &doc);
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><errors><error><code>404</code>\
             <description>a &lt; b &amp; &quot;c&quot;</description><ok>true</ok><values><value><key>k</key></value></values>\
             <x/></error></errors>"
        );
        let one = to_xml(object("discovery"), &json!({"formats": ["text/xml"]}));
        assert!(one.ends_with("<discovery><formats><format>text/xml</format></formats></discovery>"), "{one}");
    }

    #[test]
    fn suffixes() {
        assert_eq!(Format::split("0102.json"), Some(("0102", Format::Json)));
        assert_eq!(Format::split("a.b.xml"), Some(("a.b", Format::Xml)));
        assert_eq!(Format::split("0102.csv"), None);
    }
}
