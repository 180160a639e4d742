//! Printable QR-code posters for venues: one A4 page with the venue's name, what to do in
//! Vietnamese and English, a large QR code of the check-in URL and the venue code to type in
//! when a phone cannot scan.
//!
//! [`svg`] is the layout; [`png`] rasterises that same SVG and [`pdf`] converts it, so the
//! three never disagree. Fonts are compiled in (DejaVu Sans, `data/fonts/`): the output does
//! not depend on the machine's fonts, and PDF text stays real, searchable text.
//!
//! Pure apart from the CPU: no files, no network, no clock, so the same poster always gives
//! the same bytes.

mod fonts;
mod layout;
mod pdf;
mod qr;
mod raster;
mod text;

pub use qr::MAX_URL_BYTES;
pub use raster::{MAX_DPI, MIN_DPI};

/// A4 width in millimetres.
pub const PAGE_WIDTH_MM: f32 = 210.0;
/// A4 height in millimetres.
pub const PAGE_HEIGHT_MM: f32 = 297.0;

/// What a poster shows. All text is UTF-8 with Vietnamese diacritics.
///
/// Text fields may be of any length: each is shrunk, wrapped or cut with "…" to fit its place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Poster<'a> {
    /// The venue's name, in large bold type at the top, e.g. "Chợ Bắc Hà".
    pub venue_name: &'a str,
    /// The short code printed under the QR, for typing in by hand, e.g. "V-7K3QM2".
    pub venue_code: &'a str,
    /// The venue's category in Vietnamese, e.g. "Chợ".
    pub category_vi: &'a str,
    /// The venue's category in English, e.g. "Market".
    pub category_en: &'a str,
    /// The venue's address, e.g. "Thôn Bắc Hà, Xã Bắc Hà, Tỉnh Lào Cai".
    pub address: &'a str,
    /// The check-in URL the QR encodes (~100–160 ASCII characters; at most [`MAX_URL_BYTES`]).
    pub url: &'a str,
}

/// Why a poster could not be made.
///
/// [`PosterError::is_input_error`] tells the caller's fault (a bad URL or dpi) from ours.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PosterError {
    /// The check-in URL is empty.
    #[error("venue {venue_code}: the check-in URL is empty")]
    EmptyUrl { venue_code: String },
    /// The check-in URL is too long for a QR code that scans well from a poster.
    #[error("venue {venue_code}: the check-in URL is {len} bytes, a poster's QR code holds at most {max}")]
    UrlTooLong {
        venue_code: String,
        len: usize,
        max: usize,
    },
    /// The URL could not be encoded as a QR code at all.
    #[error("the check-in URL cannot be encoded as a QR code: {0}")]
    Qr(#[from] qrcode::types::QrError),
    /// The requested resolution is outside [`MIN_DPI`]`..=`[`MAX_DPI`].
    #[error("{dpi} dpi is outside the supported {min}..={max} dpi")]
    Dpi { dpi: u32, min: u32, max: u32 },
    /// A PDF was asked for with no posters in it.
    #[error("no posters to put in the PDF")]
    NoPosters,
    /// Drawing failed: a bug here, not a problem with the input.
    #[error("could not render the poster as {format}: {detail}")]
    Render {
        format: &'static str,
        detail: String,
    },
}

impl PosterError {
    /// Whether the input was at fault (a client error), as opposed to this crate.
    pub fn is_input_error(&self) -> bool {
        !matches!(self, PosterError::Render { .. })
    }
}

/// The poster as an SVG document: A4 portrait, in millimetres
/// (`width="210mm" height="297mm" viewBox="0 0 210 297"`).
pub fn svg(poster: &Poster) -> Result<String, PosterError> {
    layout::render(poster)
}

/// The poster as a PNG of the whole A4 page at `dpi` (150 is the server's default; the pixel
/// size is A4 at that resolution, and the PNG records the resolution so it prints at A4).
pub fn png(poster: &Poster, dpi: u32) -> Result<Vec<u8>, PosterError> {
    raster::png(&svg(poster)?, dpi)
}

/// Many posters as one PDF, one A4 page each, in order. `progress(i)` is called after page
/// `i` (1-based) is done, for a progress bar. The fonts are embedded once, subsetted, and the
/// text stays selectable and searchable.
pub fn pdf(posters: &[Poster], progress: &mut dyn FnMut(usize)) -> Result<Vec<u8>, PosterError> {
    if posters.is_empty() {
        return Err(PosterError::NoPosters);
    }
    // Check every URL first, so that a bad one fails the batch before any drawing.
    for poster in posters {
        qr::Matrix::encode(poster.url, poster.venue_code)?;
    }
    pdf::document(posters, progress)
}

/// Any document drawn as SVG pages (in millimetres, `size_mm` = width, height) as one PDF, with
/// the same compiled-in fonts as the posters: officials' printed reports use it.
pub fn pdf_from_svg_pages(
    pages: &[String],
    size_mm: (f32, f32),
    title: &str,
) -> Result<Vec<u8>, PosterError> {
    if pages.is_empty() {
        return Err(PosterError::NoPosters);
    }
    pdf::pages_document(pages, size_mm, title, &mut |_| {})
}

/// Reads our own SVG back as a usvg tree, with the compiled-in fonts.
fn parse(svg: &str, format: &'static str) -> Result<resvg::usvg::Tree, PosterError> {
    let options = resvg::usvg::Options {
        font_family: fonts::FAMILY.to_owned(),
        fontdb: fonts::database(),
        ..Default::default()
    };
    resvg::usvg::Tree::from_str(svg, &options).map_err(|e| PosterError::Render {
        format,
        detail: e.to_string(),
    })
}
