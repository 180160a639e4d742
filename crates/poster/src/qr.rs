//! The QR symbol: the check-in URL as a module matrix, drawn as one SVG path.

use qrcode::{Color, EcLevel, QrCode, Version};

use crate::PosterError;

/// The longest check-in URL a poster takes, in bytes.
///
/// Real ones are 100–160 bytes. 512 bytes need version 18 (89 modules), whose 1.7 mm modules a
/// phone still reads from a poster at arm's length; past that the code becomes hard to scan.
pub const MAX_URL_BYTES: usize = 512;

/// The smallest QR version used, even for a shorter URL.
///
/// The symbol is always printed the same width, so a small version has big modules, and its
/// quiet zone (4 modules) would crowd the text off the page. Version 7 (45 modules) keeps the
/// quiet zone under 14 mm.
const MIN_VERSION: i16 = 7;

/// The modules of a QR symbol, row by row, without the quiet zone.
pub(crate) struct Matrix {
    width: usize,
    dark: Vec<bool>,
}

impl Matrix {
    /// Encodes a check-in URL at error-correction level M (15 %: survives a smudge or a
    /// staple, and keeps the version, and so the module count, low).
    pub(crate) fn encode(url: &str, venue_code: &str) -> Result<Matrix, PosterError> {
        if url.is_empty() {
            return Err(PosterError::EmptyUrl {
                venue_code: venue_code.to_owned(),
            });
        }
        if url.len() > MAX_URL_BYTES {
            return Err(PosterError::UrlTooLong {
                venue_code: venue_code.to_owned(),
                len: url.len(),
                max: MAX_URL_BYTES,
            });
        }
        let mut code = QrCode::with_error_correction_level(url, EcLevel::M)?;
        if matches!(code.version(), Version::Normal(v) if v < MIN_VERSION) {
            code = QrCode::with_version(url, Version::Normal(MIN_VERSION), EcLevel::M)?;
        }
        let dark = code
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        Ok(Matrix {
            width: code.width(),
            dark,
        })
    }

    /// Modules per side.
    pub(crate) fn width(&self) -> usize {
        self.width
    }

    /// Path data in module units: one subpath per horizontal run of dark modules.
    ///
    /// Runs rather than single squares keep the path about a fifth as long, and one path (one
    /// fill) leaves no hairline seams between modules in PDF viewers.
    pub(crate) fn path_data(&self) -> String {
        let mut d = String::new();
        for (y, row) in self.dark.chunks(self.width).enumerate() {
            let mut x = 0;
            while x < self.width {
                if !row[x] {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.width && row[x] {
                    x += 1;
                }
                d.push_str(&format!("M{start} {y}h{}v1h-{}z", x - start, x - start));
            }
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_urls_are_padded_to_the_minimum_version() {
        let m = Matrix::encode("https://pd.vn/c/1", "V-1").unwrap();
        assert_eq!(m.width(), 17 + 4 * MIN_VERSION as usize);
    }

    #[test]
    fn path_covers_exactly_the_dark_modules() {
        let m = Matrix::encode("https://phongdich.example/c/V-7K3QM2?t=abc", "V-7K3QM2").unwrap();
        let dark = m.dark.iter().filter(|d| **d).count();
        let covered: usize = m
            .path_data()
            .split('M')
            .skip(1)
            .map(|sub| {
                let h = sub.split('h').nth(1).unwrap();
                h.split('v').next().unwrap().parse::<usize>().unwrap()
            })
            .sum();
        assert_eq!(covered, dark);
    }

    #[test]
    fn limits_are_errors() {
        assert!(matches!(
            Matrix::encode("", "V-1"),
            Err(PosterError::EmptyUrl { .. })
        ));
        let long = format!("https://x.vn/{}", "a".repeat(MAX_URL_BYTES));
        assert!(matches!(
            Matrix::encode(&long, "V-1"),
            Err(PosterError::UrlTooLong { .. })
        ));
        let longest = "a".repeat(MAX_URL_BYTES);
        assert!(Matrix::encode(&longest, "V-1").is_ok());
    }
}
