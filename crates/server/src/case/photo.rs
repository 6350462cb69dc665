//! Photos: the type read from the bytes themselves, decoding within limits, the thumbnail, and
//! files written whole. No I/O but [`write_whole`]; everything here blocks, so callers run it
//! off the async threads.

use image::codecs::jpeg::JpegEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::{Cursor, Write};
use std::path::Path;
use thiserror::Error;

/// Longest side of a thumbnail, pixels.
pub const THUMB_SIDE: u32 = 320;
/// Longest side of a photo we decode: larger ones are refused before any pixel is allocated.
pub const MAX_SIDE: u32 = 20_000;
/// Decoded pixels one photo may have: a 48-megapixel phone photo is 144 MiB of RGB. A file whose
/// header claims more (a decompression bomb: 1.5 MiB of PNG saying 20000×20000) is refused from
/// the header, before any pixel is allocated.
pub const MAX_PIXEL_BYTES: u64 = 160 << 20;
/// Memory one decode may take in all, the decoder's own buffers included; with two decodes at
/// once (the server's photo semaphore) uploads never cost more than twice this.
pub const MAX_ALLOC: u64 = 192 << 20;
/// JPEG quality of thumbnails: small files, no visible blocks at 320 px.
const THUMB_QUALITY: u8 = 80;

/// The image formats attachments take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageType {
    /// JPEG, what phone cameras write.
    Jpeg,
    /// PNG, for screenshots.
    Png,
    /// WebP, what some phones and browsers write.
    Webp,
}

impl ImageType {
    /// Every type taken, for messages.
    pub const ALL: [ImageType; 3] = [ImageType::Jpeg, ImageType::Png, ImageType::Webp];

    /// The type a `content-type` header names (parameters ignored), if it is one we take.
    pub fn from_mime(value: &str) -> Option<ImageType> {
        let essence = value.split(';').next().unwrap_or_default().trim();
        ImageType::ALL.into_iter().find(|t| essence.eq_ignore_ascii_case(t.mime()))
    }

    /// The type the bytes are, by their magic numbers: a client's word for it is not trusted.
    pub fn sniff(bytes: &[u8]) -> Option<ImageType> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageType::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageType::Png)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(ImageType::Webp)
        } else {
            None
        }
    }

    /// The media type.
    pub fn mime(self) -> &'static str {
        match self {
            ImageType::Jpeg => "image/jpeg",
            ImageType::Png => "image/png",
            ImageType::Webp => "image/webp",
        }
    }

    /// The file extension of stored originals.
    pub fn ext(self) -> &'static str {
        match self {
            ImageType::Jpeg => "jpg",
            ImageType::Png => "png",
            ImageType::Webp => "webp",
        }
    }

    /// A short name for messages.
    pub fn name(self) -> &'static str {
        match self {
            ImageType::Jpeg => "a JPEG",
            ImageType::Png => "a PNG",
            ImageType::Webp => "a WebP",
        }
    }

    fn format(self) -> ImageFormat {
        match self {
            ImageType::Jpeg => ImageFormat::Jpeg,
            ImageType::Png => ImageFormat::Png,
            ImageType::Webp => ImageFormat::WebP,
        }
    }
}

/// Why a photo was not taken.
#[derive(Debug, Error)]
pub enum PhotoError {
    /// The bytes do not decode as the type they claim by their magic number.
    #[error("the file starts like {kind} image but cannot be decoded: {reason}")]
    Undecodable {
        /// What the bytes claimed to be.
        kind: &'static str,
        /// The decoder's complaint.
        reason: String,
    },
    /// Too many pixels to decode safely.
    #[error("the image is too large to take ({reason}); at most {MAX_SIDE} pixels a side and {} MiB decoded", MAX_PIXEL_BYTES >> 20)]
    TooLarge {
        /// The decoder's complaint.
        reason: String,
    },
    /// The thumbnail could not be encoded.
    #[error("encoding the thumbnail: {0}")]
    Thumbnail(String),
}

/// A decoded photo: its size as displayed and its thumbnail.
#[derive(Debug, Clone)]
pub struct Processed {
    /// Width as displayed (EXIF orientation applied).
    pub width: u32,
    /// Height as displayed.
    pub height: u32,
    /// The thumbnail, JPEG, at most [`THUMB_SIDE`] a side, oriented as displayed.
    pub thumb: Vec<u8>,
}

/// Decodes `bytes` as `kind` (within the memory and size limits) and makes the thumbnail.
pub fn process(kind: ImageType, bytes: &[u8]) -> Result<Processed, PhotoError> {
    let refuse = |e: image::ImageError| match e {
        image::ImageError::Limits(l) => PhotoError::TooLarge { reason: l.to_string() },
        other => PhotoError::Undecodable { kind: kind.name(), reason: other.to_string() },
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), kind.format());
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(refuse)?;
    if decoder.total_bytes() > MAX_PIXEL_BYTES {
        let (w, h) = decoder.dimensions();
        return Err(PhotoError::TooLarge { reason: format!("{w}×{h} pixels need {} MiB decoded", decoder.total_bytes() >> 20) });
    }
    // A broken EXIF block is no reason to refuse a photo that decodes.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let img = DynamicImage::from_decoder(decoder).map_err(refuse)?;
    let (w, h) = (img.width(), img.height());
    let turned =
        matches!(orientation, Orientation::Rotate90 | Orientation::Rotate270 | Orientation::Rotate90FlipH | Orientation::Rotate270FlipH);
    let (width, height) = if turned { (h, w) } else { (w, h) };
    // Shrink first, then orient: turning the thumbnail is cheap, turning 48 megapixels is not.
    let mut small = if w.max(h) > THUMB_SIDE { img.thumbnail(THUMB_SIDE, THUMB_SIDE) } else { img };
    small.apply_orientation(orientation);
    Ok(Processed { width, height, thumb: encode_thumb(&small)? })
}

/// The thumbnail as JPEG; transparency (screenshots, stickers) is laid on white, not black.
fn encode_thumb(img: &DynamicImage) -> Result<Vec<u8>, PhotoError> {
    let rgb = if img.color().has_alpha() {
        let rgba = img.to_rgba8();
        image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
            let [r, g, b, a] = rgba.get_pixel(x, y).0;
            let over_white = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
            image::Rgb([over_white(r), over_white(g), over_white(b)])
        })
    } else {
        img.to_rgb8()
    };
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, THUMB_QUALITY).encode_image(&rgb).map_err(|e| PhotoError::Thumbnail(e.to_string()))?;
    Ok(out)
}

/// Writes `bytes` to `path` whole: into a temporary file beside it, flushed to disk, then renamed
/// over, so no reader ever sees half a file and a crash leaves at most a stray temporary file.
pub fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().ok_or_else(|| std::io::Error::other(format!("{} has no folder", path.display())))?;
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new().prefix(".upload-").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    // The rename itself is durable only once the folder is flushed.
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_numbers_and_media_types() {
        assert_eq!(ImageType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(ImageType::Jpeg));
        assert_eq!(ImageType::sniff(b"\x89PNG\r\n\x1a\n...."), Some(ImageType::Png));
        assert_eq!(ImageType::sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(ImageType::Webp));
        assert_eq!(ImageType::sniff(b"RIFF\0\0\0\0WAVEfmt "), None);
        assert_eq!(ImageType::sniff(b"GIF89a"), None);
        assert_eq!(ImageType::sniff(b""), None);
        assert_eq!(ImageType::from_mime("image/JPEG; q=1"), Some(ImageType::Jpeg));
        assert_eq!(ImageType::from_mime("image/webp"), Some(ImageType::Webp));
        assert_eq!(ImageType::from_mime("image/jpg"), None);
        assert_eq!(ImageType::from_mime("image/gif"), None);
    }

    #[test]
    fn thumbnails_shrink_keep_the_shape_and_never_grow() {
        let png = |w, h| {
            let mut out = Cursor::new(Vec::new());
            DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(w, h, image::Rgba([10, 200, 30, 128])))
                .write_to(&mut out, ImageFormat::Png)
                .unwrap();
            out.into_inner()
        };
        let p = process(ImageType::Png, &png(1000, 500)).unwrap();
        assert_eq!((p.width, p.height), (1000, 500));
        let t = image::load_from_memory_with_format(&p.thumb, ImageFormat::Jpeg).unwrap();
        assert_eq!((t.width(), t.height()), (320, 160));
        let p = process(ImageType::Png, &png(40, 30)).unwrap();
        let t = image::load_from_memory_with_format(&p.thumb, ImageFormat::Jpeg).unwrap();
        assert_eq!((t.width(), t.height()), (40, 30));
        assert!(matches!(process(ImageType::Png, b"\x89PNG\r\n\x1a\nnot really"), Err(PhotoError::Undecodable { .. })));
        // A long strip is a few bytes of PNG but would be refused before its pixels are allocated.
        assert!(matches!(process(ImageType::Png, &png(MAX_SIDE + 1, 1)), Err(PhotoError::TooLarge { .. })));
    }

    #[test]
    fn a_phone_photo_held_upright_is_measured_and_thumbnailed_upright() {
        let mut jpeg = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(image::RgbImage::new(400, 100)).write_to(&mut jpeg, ImageFormat::Jpeg).unwrap();
        let jpeg = jpeg.into_inner();
        // An APP1 segment with one EXIF tag: orientation 6, "rotate 90° clockwise to display".
        let tiff: &[u8] = b"MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0";
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(tiff);
        let mut with_exif = jpeg[..2].to_vec();
        with_exif.extend_from_slice(&[0xFF, 0xE1]);
        with_exif.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
        with_exif.extend_from_slice(&app1);
        with_exif.extend_from_slice(&jpeg[2..]);
        let p = process(ImageType::Jpeg, &with_exif).unwrap();
        assert_eq!((p.width, p.height), (100, 400));
        let t = image::load_from_memory_with_format(&p.thumb, ImageFormat::Jpeg).unwrap();
        assert_eq!((t.width(), t.height()), (80, 320));
    }

    #[test]
    fn writes_are_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/c.jpg");
        write_whole(&path, b"one").unwrap();
        write_whole(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let left: Vec<_> = std::fs::read_dir(dir.path().join("a/b")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left.len(), 1, "no temporary file left: {left:?}");
    }
}
