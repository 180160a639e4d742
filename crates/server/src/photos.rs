//! Photos citizens attach to feedback and risk reports.
//!
//! A photo arrives as Base64 (optionally a `data:` URL). It must be a JPEG or PNG of at most
//! [`MAX_PHOTO_BYTES`]; it is decoded (with a pixel budget, so a small file cannot expand into
//! gigabytes), shrunk to at most [`MAX_SIDE`] pixels a side and re-encoded as JPEG. Re-encoding
//! keeps only pixels: EXIF, with the phone's GPS position, never reaches the store.
//!
//! Decoding is the most expensive thing a citizen can ask for (a 173 KB PNG of 7700×7700 px
//! took 0.84 s and 180 MB), so [`clean`] checks the size first, reads the dimensions from the
//! header and refuses past [`MAX_PIXELS`] before any pixel is decoded, and decodes on the
//! blocking pool behind the server's photo slots ([`crate::heavy`]).

use std::io::Cursor;

use base64::Engine;
use image::{ImageFormat, ImageReader, Limits};
use phongdich_domain::FieldError;

use crate::error::ApiResult;
use crate::heavy::Work;
use crate::state::AppState;

/// Largest photo accepted, decoded from Base64.
pub(crate) const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;
/// Request bodies that carry a photo may be this large (Base64 grows data by a third).
pub(crate) const MAX_PHOTO_BODY_BYTES: usize = MAX_PHOTO_BYTES / 3 * 4 + 64 * 1024;
/// Longest side kept; larger photos are scaled down.
const MAX_SIDE: u32 = 1600;
/// Largest image decoded: 16 megapixels, so a 12 MP phone photo (4032×3024) and a 4:3 16 MP
/// one (4608×3456) fit, and one decode allocates at most 64 MB. Phones with 48–200 MP sensors
/// save 12 MP pictures by default; a larger one is refused with a field error saying so.
const MAX_PIXELS: u64 = 16_000_000;
const JPEG_QUALITY: u8 = 82;

fn invalid(field: &str, code: &'static str, vi: &str, en: &str) -> FieldError {
    FieldError::new(field, code, vi, en)
}

/// Checks and cleans an optional photo off the async runtime: `Ok(Err(_))` is the field's
/// problem, `Err(_)` a busy server (503) or a failed task.
pub(crate) async fn clean(
    state: &AppState,
    field: &'static str,
    text: Option<String>,
) -> ApiResult<Result<Option<Vec<u8>>, FieldError>> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(Ok(None));
    };
    // An oversized body never takes a slot.
    if text.trim().len() > MAX_PHOTO_BYTES / 3 * 4 + 64 {
        return Ok(Err(too_large(field)));
    }
    let cleaned = state
        .heavy_work()
        .run(Work::Photo, move || sanitize(field, &text))
        .await?;
    Ok(cleaned.map(Some))
}

/// Checks and cleans a photo; the result is a JPEG without metadata.
pub(crate) fn sanitize(field: &str, text: &str) -> Result<Vec<u8>, FieldError> {
    let body = match text.trim().split_once(',') {
        Some((head, body)) if head.starts_with("data:") => {
            if !head.ends_with(";base64") {
                return Err(invalid(
                    field,
                    "photo_not_base64",
                    "Ảnh phải được mã hóa Base64",
                    "The photo must be Base64-encoded",
                ));
            }
            body
        }
        _ => text.trim(),
    };
    if body.len() > MAX_PHOTO_BYTES / 3 * 4 + 4 {
        return Err(too_large(field));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(body.as_bytes())
        .map_err(|_| {
            invalid(
                field,
                "photo_not_base64",
                "Ảnh không phải dữ liệu Base64 hợp lệ",
                "The photo is not valid Base64",
            )
        })?;
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(too_large(field));
    }
    reencode(field, &bytes)
}

fn too_large(field: &str) -> FieldError {
    FieldError::new(
        field,
        "photo_too_large",
        format!("Ảnh quá lớn; tối đa {} MB", MAX_PHOTO_BYTES / (1024 * 1024)),
        format!(
            "The photo is too large; at most {} MB",
            MAX_PHOTO_BYTES / (1024 * 1024)
        ),
    )
}

fn not_an_image(field: &str) -> FieldError {
    invalid(
        field,
        "photo_not_image",
        "Tệp không phải ảnh JPEG hoặc PNG",
        "The file is not a JPEG or PNG image",
    )
}

fn reencode(field: &str, bytes: &[u8]) -> Result<Vec<u8>, FieldError> {
    let format = image::guess_format(bytes).map_err(|_| not_an_image(field))?;
    if !matches!(format, ImageFormat::Jpeg | ImageFormat::Png) {
        return Err(not_an_image(field));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4);
    reader.limits(limits);
    let (w, h) = reader.into_dimensions().map_err(|_| not_an_image(field))?;
    // Refused from the header alone: nothing below runs for an oversized picture.
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(FieldError::new(
            field,
            "photo_too_many_pixels",
            format!(
                "Ảnh có quá nhiều điểm ảnh ({w}×{h}); tối đa {} triệu điểm ảnh",
                MAX_PIXELS / 1_000_000
            ),
            format!(
                "The photo has too many pixels ({w}×{h}); at most {} megapixels",
                MAX_PIXELS / 1_000_000
            ),
        ));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4);
    reader.limits(limits);
    let picture = reader.decode().map_err(|_| not_an_image(field))?;
    let picture = if w.max(h) > MAX_SIDE {
        picture.thumbnail(MAX_SIDE, MAX_SIDE)
    } else {
        picture
    };
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
    picture
        .to_rgb8()
        .write_with_encoder(encoder)
        .map_err(|_| not_an_image(field))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 90]));
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    /// A JPEG with an APP1 EXIF segment holding a GPS marker inserted after SOI.
    fn jpeg_with_exif() -> Vec<u8> {
        let img = image::RgbImage::from_fn(40, 30, |x, _| image::Rgb([x as u8 * 6, 40, 200]));
        let mut plain = Vec::new();
        img.write_to(&mut Cursor::new(&mut plain), ImageFormat::Jpeg)
            .unwrap();
        let payload = b"Exif\0\0GPSLatitude=22.3364;GPSLongitude=103.8438";
        let len = (payload.len() + 2) as u16;
        let mut out = plain[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(payload);
        out.extend_from_slice(&plain[2..]);
        out
    }

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    #[test]
    fn exif_and_its_location_are_dropped() {
        let input = jpeg_with_exif();
        assert!(input.windows(11).any(|w| w == b"GPSLatitude"));
        let out = sanitize("photo", &format!("data:image/jpeg;base64,{}", b64(&input))).unwrap();
        assert_eq!(&out[..2], &[0xFF, 0xD8]);
        assert!(!out.windows(4).any(|w| w == b"Exif"));
        assert!(!out.windows(11).any(|w| w == b"GPSLatitude"));
        let back = image::load_from_memory(&out).unwrap();
        assert_eq!((back.width(), back.height()), (40, 30));
    }

    #[test]
    fn large_photos_are_scaled_down_and_pngs_become_jpegs() {
        let out = sanitize("photo", &b64(&png(2000, 500))).unwrap();
        let back = image::load_from_memory(&out).unwrap();
        assert_eq!((back.width(), back.height()), (1600, 400));
        assert_eq!(image::guess_format(&out).unwrap(), ImageFormat::Jpeg);
    }

    /// A PNG whose header claims `w`×`h` pixels and whose image data is garbage: decoding it
    /// would fail, so a refusal for its size proves the header alone decided.
    fn png_header_only(w: u32, h: u32) -> Vec<u8> {
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&w.to_be_bytes());
        ihdr.extend_from_slice(&h.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        chunk(&mut out, b"IHDR", &ihdr);
        chunk(&mut out, b"IDAT", b"not zlib data at all");
        chunk(&mut out, b"IEND", b"");
        out
    }

    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        let mut crc = 0xFFFF_FFFFu32;
        for &b in &body {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(&body);
        out.extend_from_slice(&(!crc).to_be_bytes());
    }

    #[test]
    fn too_many_pixels_are_refused_from_the_header() {
        let err = sanitize("photo", &b64(&png_header_only(7700, 7700))).unwrap_err();
        assert_eq!(err.code, "photo_too_many_pixels");
        // The same truncated file within the budget gets as far as decoding, and fails there.
        let err = sanitize("photo", &b64(&png_header_only(100, 100))).unwrap_err();
        assert_eq!(err.code, "photo_not_image");
    }

    #[test]
    fn not_images_and_oversized_files_are_refused() {
        let code = |text: &str| sanitize("photo", text).unwrap_err().code;
        assert_eq!(code(&b64(b"GIF89a not allowed")), "photo_not_image");
        assert_eq!(code(&b64(b"%PDF-1.7")), "photo_not_image");
        assert_eq!(code("data:image/png,rawtext"), "photo_not_base64");
        assert_eq!(code("!!!"), "photo_not_base64");
        // A truncated PNG: the right magic bytes, then nothing.
        assert_eq!(code(&b64(&png(10, 10)[..40])), "photo_not_image");
        let huge = "A".repeat(MAX_PHOTO_BYTES / 3 * 4 + 400);
        assert_eq!(code(&huge), "photo_too_large");
    }
}
