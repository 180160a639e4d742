//! The SVG: its page size, the size of the QR and that nothing crowds anything else.

use std::sync::Arc;

use phongdich_poster::{svg, Poster};
use resvg::usvg::{self, fontdb, roxmltree, Node, Rect, Tree};

use crate::{bac_ha, worst_case};

/// Parses with the same fonts the crate compiles in, so text has real extents.
fn parse(svg: &str) -> Tree {
    let mut db = fontdb::Database::new();
    db.load_font_data(include_bytes!("../../../../data/fonts/DejaVuSans.ttf").to_vec());
    db.load_font_data(include_bytes!("../../../../data/fonts/DejaVuSans-Bold.ttf").to_vec());
    let options = usvg::Options {
        fontdb: Arc::new(db),
        ..Default::default()
    };
    Tree::from_str(svg, &options).expect("the poster SVG parses")
}

/// usvg works in CSS pixels (96 per inch); the poster is laid out in mm.
fn px_per_mm(tree: &Tree) -> f32 {
    tree.size().width() / 210.0
}

fn to_mm(rect: Rect, scale: f32) -> Rect {
    Rect::from_ltrb(
        rect.left() / scale,
        rect.top() / scale,
        rect.right() / scale,
        rect.bottom() / scale,
    )
    .unwrap()
}

/// The QR's bounds in mm, and its module size in mm (read from the path's scale).
fn qr(svg: &str, tree: &Tree) -> (Rect, f32) {
    let Some(Node::Path(path)) = tree.node_by_id("qr") else {
        panic!("no QR path")
    };
    let doc = roxmltree::Document::parse(svg).unwrap();
    let element = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("qr"))
        .unwrap();
    let transform = element.attribute("transform").unwrap();
    let scale = transform
        .split("scale(")
        .nth(1)
        .unwrap()
        .trim_end_matches(')');
    (
        to_mm(path.abs_bounding_box(), px_per_mm(tree)),
        scale.parse().unwrap(),
    )
}

fn texts(tree: &Tree) -> Vec<(String, Rect)> {
    let scale = px_per_mm(tree);
    let mut out = Vec::new();
    collect(tree.root(), scale, &mut out);
    out
}

fn collect(group: &usvg::Group, scale: f32, out: &mut Vec<(String, Rect)>) {
    for node in group.children() {
        match node {
            Node::Group(g) => collect(g, scale, out),
            Node::Text(text) => {
                let s = text.chunks().iter().map(|c| c.text()).collect::<String>();
                out.push((s, to_mm(text.abs_bounding_box(), scale)));
            }
            _ => {}
        }
    }
}

fn overlaps(a: Rect, b: Rect) -> bool {
    const SLACK: f32 = 0.05;
    a.left() < b.right() - SLACK
        && b.left() < a.right() - SLACK
        && a.top() < b.bottom() - SLACK
        && b.top() < a.bottom() - SLACK
}

#[test]
fn the_page_is_a4_in_millimetres() {
    let svg = svg(&bac_ha()).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let root = doc.root_element();
    assert_eq!(root.attribute("width"), Some("210mm"));
    assert_eq!(root.attribute("height"), Some("297mm"));
    assert_eq!(root.attribute("viewBox"), Some("0 0 210 297"));
    let tree = parse(&svg);
    // 210 mm and 297 mm at 96 px per inch.
    assert!(
        (tree.size().width() - 793.70).abs() < 0.01,
        "{:?}",
        tree.size()
    );
    assert!(
        (tree.size().height() - 1122.52).abs() < 0.01,
        "{:?}",
        tree.size()
    );
}

#[test]
fn the_qr_is_at_least_150_mm_and_centred() {
    for poster in [bac_ha(), worst_case()] {
        let svg = svg(&poster).unwrap();
        let tree = parse(&svg);
        let (bounds, module) = qr(&svg, &tree);
        assert!(
            bounds.width() >= 150.0 && bounds.height() >= 150.0,
            "{bounds:?}"
        );
        assert!(
            (bounds.width() - bounds.height()).abs() < 0.01,
            "{bounds:?}"
        );
        assert!(
            ((bounds.left() + bounds.right()) / 2.0 - 105.0).abs() < 0.01,
            "{bounds:?}"
        );
        // With its quiet zone, the code is still on the page.
        let quiet = 4.0 * module;
        assert!(bounds.left() - quiet >= 0.0 && bounds.right() + quiet <= 210.0);
        assert!(bounds.top() - quiet >= 0.0 && bounds.bottom() + quiet <= 297.0);
    }
}

#[test]
fn the_qr_is_one_path_not_a_rect_per_module() {
    let svg = svg(&bac_ha()).unwrap();
    assert_eq!(
        svg.matches("<path").count(),
        2,
        "the QR and the footer rule"
    );
    assert!(!svg.contains("<rect x="));
}

#[test]
fn the_poster_says_what_it_should() {
    let svg = svg(&bac_ha()).unwrap();
    let tree = parse(&svg);
    let all: Vec<String> = texts(&tree).into_iter().map(|(s, _)| s).collect();
    for expected in [
        "Chợ Bắc Hà",
        "Chợ · Market",
        "V-7K3QM2",
        "Thôn Bắc Hà, Xã Bắc Hà, Tỉnh Lào Cai",
        "Quét mã QR bằng camera điện thoại để khai báo khi đến và khi rời đi.",
        "Scan the QR code with your phone camera when you arrive and when you leave.",
        "Phòng Dịch",
    ] {
        assert!(
            all.iter().any(|s| s == expected),
            "{expected:?} not among {all:#?}"
        );
    }
    // The name is the largest text on the page, the venue code the next.
    let size = |needle: &str| {
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let node = doc
            .descendants()
            .find(|n| n.has_tag_name("text") && n.text() == Some(needle))
            .unwrap();
        node.attribute("font-size").unwrap().parse::<f32>().unwrap()
    };
    assert!(size("Chợ Bắc Hà") > size("V-7K3QM2"));
    assert!(size("V-7K3QM2") > size("Thôn Bắc Hà, Xã Bắc Hà, Tỉnh Lào Cai"));
}

#[test]
fn text_is_escaped() {
    let poster = Poster {
        venue_name: "Quán <Bà Ba> & \"Con\" 'gái'",
        ..bac_ha()
    };
    let svg = svg(&poster).unwrap();
    assert!(svg.contains("Quán &lt;Bà Ba&gt; &amp; &quot;Con&quot; &apos;gái&apos;"));
    let tree = parse(&svg);
    assert!(texts(&tree)
        .iter()
        .any(|(s, _)| s == "Quán <Bà Ba> & \"Con\" 'gái'"));
}

#[test]
fn hostile_text_still_makes_a_valid_poster() {
    let name = format!("A\u{0}B\u{1b}[31m {} \u{FFFF}", "🦠".repeat(50));
    let poster = Poster {
        venue_name: &name,
        address: "",
        category_en: "",
        ..bac_ha()
    };
    let tree = parse(&svg(&poster).unwrap());
    assert!(tree.node_by_id("qr").is_some());
}

/// However long the fields, all text stays on the page, inside the margins, clear of the QR's
/// quiet zone and of every other text.
#[test]
fn nothing_overflows_or_overlaps() {
    for poster in [bac_ha(), worst_case()] {
        let svg = svg(&poster).unwrap();
        let tree = parse(&svg);
        let (bounds, module) = qr(&svg, &tree);
        let quiet = 4.0 * module;
        let zone = Rect::from_ltrb(
            bounds.left() - quiet,
            bounds.top() - quiet,
            bounds.right() + quiet,
            bounds.bottom() + quiet,
        )
        .unwrap();
        let texts = texts(&tree);
        assert!(texts.len() >= 8, "{texts:#?}");
        for (i, (text, rect)) in texts.iter().enumerate() {
            assert!(
                rect.left() >= 10.0 && rect.right() <= 200.0,
                "{text:?} {rect:?}"
            );
            assert!(
                rect.top() >= 0.0 && rect.bottom() <= 297.0,
                "{text:?} {rect:?}"
            );
            assert!(
                !overlaps(*rect, zone),
                "{text:?} {rect:?} in the quiet zone {zone:?}"
            );
            for (other, other_rect) in &texts[i + 1..] {
                assert!(
                    !overlaps(*rect, *other_rect),
                    "{text:?} {rect:?} / {other:?} {other_rect:?}"
                );
            }
        }
    }
}
