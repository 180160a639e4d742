//! The poster as SVG: the one place the layout is decided. PNG and PDF are drawn from it.
//!
//! Units are millimetres throughout (the viewBox is the A4 sheet in mm). The page is laid out
//! top to bottom with a cursor: band, venue name, category, instructions, QR, venue code,
//! address; the footer is pinned to the bottom. Every text field is fitted to the column
//! (shrunk, wrapped or cut), so no input pushes anything off the page or into the QR's quiet
//! zone.

use std::fmt::Write as _;

use crate::fonts::{Weight, FAMILY};
use crate::qr::Matrix;
use crate::text::{clean, escape, Fit};
use crate::{Poster, PosterError, PAGE_HEIGHT_MM, PAGE_WIDTH_MM};

/// Width of the QR symbol itself (modules, without the quiet zone): above the 150 mm the
/// specification asks for, with a little room for printers that shrink to fit.
pub(crate) const QR_SIZE_MM: f32 = 152.0;

/// The one accent colour: the band at the top.
const ACCENT: &str = "#b71c1c";
const MARGIN: f32 = 14.0;
const COLUMN: f32 = PAGE_WIDTH_MM - 2.0 * MARGIN;
const CENTRE: f32 = PAGE_WIDTH_MM / 2.0;
const BAND_HEIGHT: f32 = 11.0;
/// Line advance as a multiple of the font size.
const LEADING: f32 = 1.18;
/// From the top of a line box to the baseline, as a multiple of the font size: room for
/// Vietnamese capitals with two stacked marks (Ấ, Ổ) above the cap height.
const ASCENT: f32 = 0.95;
/// Top of the footer rule; nothing else may reach below it.
pub(crate) const FOOTER_TOP: f32 = PAGE_HEIGHT_MM - 13.0;

const BAND_TEXT: &str = "QUÉT MÃ ĐỂ KHAI BÁO · SCAN TO CHECK IN";
const INSTRUCTION_VI: &str = "Quét mã QR bằng camera điện thoại để khai báo khi đến và khi rời đi.";
const INSTRUCTION_EN: &str =
    "Scan the QR code with your phone camera when you arrive and when you leave.";
const CODE_LABEL: &str = "Mã địa điểm · Venue code";
const FOOTER: &str = "Phòng Dịch";

const NAME: Fit = Fit {
    weight: Weight::Bold,
    max_width: COLUMN,
    size: 13.0,
    min_size: 9.0,
    wrap_size: 9.5,
    max_lines: 2,
};
const CATEGORY: Fit = Fit {
    weight: Weight::Regular,
    max_width: COLUMN,
    size: 6.0,
    min_size: 4.0,
    wrap_size: 4.0,
    max_lines: 1,
};
const INSTRUCTION_VI_FIT: Fit = Fit {
    weight: Weight::Bold,
    max_width: COLUMN,
    size: 4.6,
    min_size: 3.9,
    wrap_size: 4.4,
    max_lines: 2,
};
const INSTRUCTION_EN_FIT: Fit = Fit {
    weight: Weight::Regular,
    max_width: COLUMN,
    size: 4.2,
    min_size: 3.6,
    wrap_size: 4.0,
    max_lines: 2,
};
const CODE: Fit = Fit {
    weight: Weight::Bold,
    max_width: COLUMN,
    size: 12.0,
    min_size: 6.0,
    wrap_size: 6.0,
    max_lines: 1,
};
const ADDRESS: Fit = Fit {
    weight: Weight::Regular,
    max_width: COLUMN,
    size: 4.6,
    min_size: 4.0,
    wrap_size: 4.2,
    max_lines: 2,
};

/// Lays out one poster as a complete SVG document.
pub(crate) fn render(poster: &Poster) -> Result<String, PosterError> {
    let qr = Matrix::encode(poster.url, poster.venue_code)?;
    let mut page = Page::new(&clean(poster.venue_name));

    page.line(
        BAND_TEXT,
        (BAND_HEIGHT - 4.0) / 2.0,
        4.0,
        Weight::Bold,
        "#fff",
    );
    page.y = BAND_HEIGHT + 7.0;

    page.block(&clean(poster.venue_name), NAME, "#000");
    page.y += 1.5;
    page.category(&clean(poster.category_vi), &clean(poster.category_en));
    page.y += 4.0;
    page.block(INSTRUCTION_VI, INSTRUCTION_VI_FIT, "#000");
    page.y += 0.8;
    page.block(INSTRUCTION_EN, INSTRUCTION_EN_FIT, "#444");

    let module = QR_SIZE_MM / qr.width() as f32;
    let quiet = 4.0 * module;
    page.y += quiet;
    page.qr(&qr, module);
    page.y += QR_SIZE_MM + quiet;

    page.line(CODE_LABEL, page.y, 3.4, Weight::Regular, "#444");
    page.y += 3.4 * LEADING;
    page.block(&clean(poster.venue_code), CODE, "#000");
    page.y += 1.0;
    page.block(&clean(poster.address), ADDRESS, "#222");
    debug_assert!(page.y <= FOOTER_TOP, "layout overflow: {}", page.y);

    page.footer();
    Ok(page.finish())
}

/// An SVG document being written, with the cursor: the top of the next line, in mm.
struct Page {
    svg: String,
    y: f32,
}

impl Page {
    fn new(title: &str) -> Page {
        let mut svg = String::with_capacity(16 * 1024);
        let _ = write!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}" font-family="{FAMILY}">"#,
            w = PAGE_WIDTH_MM,
            h = PAGE_HEIGHT_MM,
        );
        let _ = write!(svg, "<title>{}</title>", escape(title));
        let _ = write!(
            svg,
            r##"<rect width="{PAGE_WIDTH_MM}" height="{PAGE_HEIGHT_MM}" fill="#fff"/><rect width="{PAGE_WIDTH_MM}" height="{BAND_HEIGHT}" fill="{ACCENT}"/>"##
        );
        Page { svg, y: 0.0 }
    }

    /// One centred line whose line box starts at `top`.
    fn line(&mut self, text: &str, top: f32, size: f32, weight: Weight, fill: &str) {
        if text.is_empty() {
            return;
        }
        let weight = match weight {
            Weight::Regular => "",
            Weight::Bold => r#" font-weight="bold""#,
        };
        let _ = write!(
            self.svg,
            r#"<text x="{CENTRE}" y="{}" font-size="{}"{weight} fill="{fill}" text-anchor="middle">{}</text>"#,
            num(top + ASCENT * size),
            num(size),
            escape(text),
        );
    }

    /// Text fitted to the column, one `<text>` per line, moving the cursor past it.
    fn block(&mut self, text: &str, fit: Fit, fill: &str) {
        let block = fit.apply(text);
        for line in &block.lines {
            self.line(line, self.y, block.size, fit.weight, fill);
            self.y += block.size * LEADING;
        }
    }

    /// "vi · en" on one line if it fits, else Vietnamese and English on a line each, so that
    /// neither language is the one cut short.
    fn category(&mut self, vi: &str, en: &str) {
        if en.is_empty() || vi == en || vi.is_empty() {
            let one = if vi.is_empty() { en } else { vi };
            return self.block(one, CATEGORY, "#333");
        }
        let both = format!("{vi} · {en}");
        if CATEGORY.apply(&both).lines == [both.as_str()] {
            self.block(&both, CATEGORY, "#333");
        } else {
            self.block(vi, CATEGORY, "#333");
            self.block(en, CATEGORY, "#333");
        }
    }

    /// The QR symbol, `QR_SIZE_MM` wide, centred, its top at the cursor.
    fn qr(&mut self, qr: &Matrix, module: f32) {
        let _ = write!(
            self.svg,
            r##"<path id="qr" fill="#000" shape-rendering="crispEdges" transform="translate({} {}) scale({})" d="{}"/>"##,
            num(CENTRE - QR_SIZE_MM / 2.0),
            num(self.y),
            module,
            qr.path_data(),
        );
    }

    fn footer(&mut self) {
        let _ = write!(
            self.svg,
            r##"<path d="M{MARGIN} {FOOTER_TOP}H{}" stroke="#bbb" stroke-width="0.3"/>"##,
            num(PAGE_WIDTH_MM - MARGIN),
        );
        self.line(FOOTER, FOOTER_TOP + 3.5, 3.6, Weight::Bold, "#666");
    }

    fn finish(mut self) -> String {
        self.svg.push_str("</svg>");
        self.svg
    }
}

/// A length in mm for an attribute, to a hundredth of a millimetre (finer than any printer).
fn num(value: f32) -> String {
    let s = format!("{value:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn num_is_short() {
        assert_eq!(num(105.0), "105");
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(1.0 / 3.0), "0.33");
    }
}
