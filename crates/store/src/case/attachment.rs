//! Photos attached to cases. The files live on disk under the data folder; the database keeps
//! what each file is, who uploaded it and, once a report or an action references it, its case.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A stored photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Random (v4), so that knowing an id proves it was handed out.
    pub id: Uuid,
    /// The signed-in uploader; none for the public.
    pub uploader_user_id: Option<String>,
    /// `image/jpeg`, `image/png` or `image/webp`, as read from the bytes.
    pub content_type: String,
    /// Size of the original file.
    pub bytes: i64,
    /// Width as displayed (EXIF orientation applied), pixels.
    pub width: u32,
    /// Height as displayed, pixels.
    pub height: u32,
    /// SHA-256 of the original file, hex.
    pub sha256: String,
    /// The original, relative to the data folder (`/` separators).
    pub path: String,
    /// The JPEG thumbnail, relative to the data folder.
    pub thumb_path: String,
    /// When uploaded.
    pub created_at: DateTime<Utc>,
    /// The case that references it, once one does.
    pub case_id: Option<Uuid>,
}

/// The attachment id a case's attachment reference names, if it names one. A reference is
/// either an attachment id or an http(s) URL; only ids are linked to the case.
pub fn attachment_id(reference: &str) -> Option<Uuid> {
    let r = reference.trim();
    // `Uuid::parse_str` also takes braced and URN forms; only the plain forms are ids here.
    if r.len() != 36 && r.len() != 32 {
        return None;
    }
    Uuid::parse_str(r).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_uuids_and_urls_are_not() {
        let id = uuid::Uuid::new_v4();
        assert_eq!(super::attachment_id(&id.to_string()), Some(id));
        assert_eq!(super::attachment_id(&format!(" {} ", id.simple())), Some(id));
        assert_eq!(super::attachment_id(&format!("urn:uuid:{id}")), None);
        assert_eq!(super::attachment_id("https://example.org/a.jpg"), None);
        assert_eq!(super::attachment_id("photo.jpg"), None);
    }
}
