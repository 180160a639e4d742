//! Posters as one PDF, each page the poster SVG converted by krilla-svg.
//!
//! krilla writes the fonts once for the whole document (subsetted to the glyphs used), with
//! ToUnicode maps, so a 100-page batch stays small and its text can be searched and copied.

use krilla::geom::Size;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::Document;
use krilla_svg::{SurfaceExt, SvgSettings};

use crate::{layout, Poster, PosterError, PAGE_HEIGHT_MM, PAGE_WIDTH_MM};

/// PDF units (points) per millimetre.
const PT_PER_MM: f32 = 72.0 / 25.4;

pub(crate) fn document(
    posters: &[Poster],
    progress: &mut dyn FnMut(usize),
) -> Result<Vec<u8>, PosterError> {
    let title = match posters {
        [one] => one.venue_name.to_owned(),
        _ => format!("Áp phích mã QR · QR posters ({})", posters.len()),
    };
    let pages = posters
        .iter()
        .map(layout::render)
        .collect::<Result<Vec<_>, _>>()?;
    pages_document(&pages, (PAGE_WIDTH_MM, PAGE_HEIGHT_MM), &title, progress)
}

/// SVG pages of `size_mm` (width, height) as one PDF with the compiled-in fonts.
pub(crate) fn pages_document(
    pages: &[String],
    size_mm: (f32, f32),
    title: &str,
    progress: &mut dyn FnMut(usize),
) -> Result<Vec<u8>, PosterError> {
    let size = Size::from_wh(size_mm.0 * PT_PER_MM, size_mm.1 * PT_PER_MM)
        .ok_or_else(|| error("bad page size".to_owned()))?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .creator("Phòng Dịch".to_owned())
            .language("vi".to_owned()),
    );
    for (i, svg) in pages.iter().enumerate() {
        let tree = crate::parse(svg, "PDF")?;
        let mut page = document.start_page_with(PageSettings::new(size));
        let mut surface = page.surface();
        surface
            .draw_svg(&tree, size, SvgSettings::default())
            .ok_or_else(|| error(format!("page {} could not be drawn", i + 1)))?;
        surface.finish();
        page.finish();
        progress(i + 1);
    }
    document.finish().map_err(|e| error(format!("{e:?}")))
}

fn error(detail: String) -> PosterError {
    PosterError::Render {
        format: "PDF",
        detail,
    }
}
