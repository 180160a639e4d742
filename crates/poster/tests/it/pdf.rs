//! The PDF: a page per poster, A4, fonts embedded and text searchable.

use lopdf::{Document, Object};
use phongdich_poster::{pdf, Poster, PosterError};

use crate::bac_ha;

fn posters() -> Vec<Poster<'static>> {
    vec![
        bac_ha(),
        Poster {
            venue_name: "Bệnh viện Đa khoa tỉnh Lào Cai",
            venue_code: "V-2B9XW4",
            category_vi: "Bệnh viện",
            category_en: "Hospital",
            address: "Đường Hoàng Liên, Phường Kim Tân, Tỉnh Lào Cai",
            url: "https://phongdich.gov.vn/c/V-2B9XW4?v=1&t=abcdefghijklmnopqrstuvwxyz0123456789",
        },
        Poster {
            venue_name: "Trường THCS Nguyễn Du",
            venue_code: "V-Q8RT5N",
            category_vi: "Trường học",
            category_en: "School",
            address: "Số 5 Nguyễn Du, Phường Hàng Bài, Thành phố Hà Nội",
            url: "https://phongdich.gov.vn/c/V-Q8RT5N?v=1&t=ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210",
        },
    ]
}

fn number(object: &Object) -> f32 {
    match object {
        Object::Integer(i) => *i as f32,
        Object::Real(r) => *r,
        other => panic!("not a number: {other:?}"),
    }
}

#[test]
fn a_page_per_poster_each_a4_with_progress() {
    let posters = posters();
    let mut calls = Vec::new();
    let bytes = pdf(&posters, &mut |i| calls.push(i)).unwrap();
    assert_eq!(calls, vec![1, 2, 3]);

    let doc = Document::load_mem(&bytes).unwrap();
    let pages = doc.get_pages();
    assert_eq!(pages.len(), posters.len());
    for (number_, id) in pages {
        let page = doc.get_dictionary(id).unwrap();
        let media_box = page.get(b"MediaBox").unwrap().as_array().unwrap();
        let media_box: Vec<f32> = media_box.iter().map(number).collect();
        let expected = [0.0, 0.0, 595.28, 841.89];
        for (got, want) in media_box.iter().zip(expected) {
            assert!(
                (got - want).abs() < 0.05,
                "page {number_}: MediaBox {media_box:?}"
            );
        }
    }
}

#[test]
fn the_text_is_real_text_in_an_embedded_font() {
    let posters = posters();
    let bytes = pdf(&posters, &mut |_| {}).unwrap();
    let doc = Document::load_mem(&bytes).unwrap();

    for (page, poster) in (1..).zip(&posters) {
        let text = doc.extract_text(&[page]).unwrap();
        let squeezed: String = text.split_whitespace().collect();
        for field in [poster.venue_code, poster.venue_name, "PhòngDịch"] {
            let field: String = field.split_whitespace().collect();
            assert!(
                squeezed.contains(&field),
                "page {page}: {field:?} not in {text:?}"
            );
        }
    }

    // The glyphs come from a font file inside the PDF, not from the reader's machine.
    let embedded = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.has(b"FontFile2") || d.has(b"FontFile3"))
        .count();
    assert!(
        embedded >= 2,
        "{embedded} embedded fonts (regular and bold expected)"
    );
}

#[test]
fn a_bad_poster_fails_the_batch_before_any_page() {
    let long = "x".repeat(10_000);
    let mut posters = posters();
    posters[2].url = &long;
    let mut calls = 0;
    let error = pdf(&posters, &mut |_| calls += 1).unwrap_err();
    assert!(matches!(error, PosterError::UrlTooLong { .. }), "{error}");
    assert!(error.to_string().contains("V-Q8RT5N"), "{error}");
    assert_eq!(calls, 0);
}

#[test]
fn no_posters_is_an_error() {
    assert!(matches!(pdf(&[], &mut |_| {}), Err(PosterError::NoPosters)));
}
