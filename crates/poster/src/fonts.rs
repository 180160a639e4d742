//! The two fonts every poster uses, compiled in.
//!
//! Compiled in rather than looked up on the machine so that a poster looks the same (and fits
//! its boxes the same) on a developer's laptop, the server and CI, and so that the PDF can embed
//! them. DejaVu Sans has every Vietnamese letter; see `data/fonts/README.md`.

use std::sync::{Arc, LazyLock};

use resvg::usvg::fontdb;
use ttf_parser::Face;

/// The family name the SVG asks for; both files below belong to it.
pub(crate) const FAMILY: &str = "DejaVu Sans";

static REGULAR: &[u8] = include_bytes!("../../../data/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../../data/fonts/DejaVuSans-Bold.ttf");

/// Built once: parsing the font tables for every poster would cost more than drawing it.
static DATABASE: LazyLock<Arc<fontdb::Database>> = LazyLock::new(|| {
    let mut db = fontdb::Database::new();
    for data in [REGULAR, BOLD] {
        // A `'static` slice: the database borrows the compiled-in bytes instead of copying them.
        db.load_font_source(fontdb::Source::Binary(Arc::new(data)));
    }
    db.set_sans_serif_family(FAMILY);
    Arc::new(db)
});

/// The font database for usvg; it holds only the compiled-in fonts, never the system's.
pub(crate) fn database() -> Arc<fontdb::Database> {
    Arc::clone(&DATABASE)
}

/// Regular or bold, the only two styles a poster uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

static REGULAR_FACE: LazyLock<Face<'static>> =
    LazyLock::new(|| Face::parse(REGULAR, 0).expect("the compiled-in DejaVu Sans parses"));
static BOLD_FACE: LazyLock<Face<'static>> =
    LazyLock::new(|| Face::parse(BOLD, 0).expect("the compiled-in DejaVu Sans Bold parses"));

/// The font face of a weight, for measuring text before it is laid out.
pub(crate) fn face(weight: Weight) -> &'static Face<'static> {
    match weight {
        Weight::Regular => &REGULAR_FACE,
        Weight::Bold => &BOLD_FACE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_faces_load_and_cover_vietnamese() {
        assert_eq!(database().faces().count(), 2);
        for weight in [Weight::Regular, Weight::Bold] {
            let face = face(weight);
            for ch in "ĐđƠơƯưẮằẳẵặỆệỒồỢợỰựỸỹ".chars() {
                assert!(face.glyph_index(ch).is_some(), "{weight:?} lacks {ch}");
            }
        }
    }
}
