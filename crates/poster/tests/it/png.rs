//! The PNG: A4 at the requested resolution, and the QR in it scans back to the URL.

use phongdich_poster::{png, Poster, MAX_URL_BYTES};

use crate::{bac_ha, worst_case};

struct Decoded {
    width: u32,
    height: u32,
    grey: Vec<u8>,
    pixels_per_metre: Option<u32>,
}

fn decode(bytes: &[u8]) -> Decoded {
    let mut reader = ::png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    let pixels_per_metre = reader.info().pixel_dims.map(|d| {
        assert_eq!(d.unit, ::png::Unit::Meter);
        assert_eq!(d.xppu, d.yppu);
        d.xppu
    });
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut buf).unwrap();
    let channels = frame.color_type.samples();
    assert!(channels >= 3, "{:?}", frame.color_type);
    let grey = buf[..frame.buffer_size()]
        .chunks_exact(channels)
        .map(|p| {
            ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000) as u8
        })
        .collect();
    Decoded {
        width: frame.width,
        height: frame.height,
        grey,
        pixels_per_metre,
    }
}

/// Every QR code rqrr finds in the picture, decoded.
fn scan(image: &Decoded) -> Vec<String> {
    let width = image.width as usize;
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(width, image.height as usize, |x, y| {
            image.grey[y * width + x]
        });
    prepared
        .detect_grids()
        .iter()
        .map(|grid| grid.decode().expect("the QR decodes").1)
        .collect()
}

#[test]
fn the_page_is_a4_at_the_requested_dpi() {
    for (dpi, expected) in [(150, (1240, 1754)), (72, (595, 842)), (300, (2480, 3508))] {
        let image = decode(&png(&bac_ha(), dpi).unwrap());
        assert_eq!((image.width, image.height), expected, "{dpi} dpi");
        // The resolution is recorded, so printing at actual size gives A4.
        let ppm = image.pixels_per_metre.expect("a pHYs chunk");
        assert!(
            (f64::from(ppm) * 0.0254 - f64::from(dpi)).abs() < 0.05,
            "{ppm} px/m for {dpi} dpi"
        );
    }
}

/// The key test: the printed poster scans, and gives back exactly the check-in URL.
#[test]
fn the_qr_in_the_png_scans_to_the_url() {
    let poster = bac_ha();
    let image = decode(&png(&poster, 150).unwrap());
    assert_eq!(scan(&image), vec![poster.url.to_owned()]);
}

#[test]
fn short_and_longest_urls_scan_too() {
    let longest = format!(
        "https://phongdich.gov.vn/c/V-7K3QM2?t={}",
        "x".repeat(MAX_URL_BYTES - 38)
    );
    assert_eq!(longest.len(), MAX_URL_BYTES);
    for (poster, dpi) in [
        (worst_case(), 100),
        (
            Poster {
                url: &longest,
                ..bac_ha()
            },
            150,
        ),
    ] {
        let image = decode(&png(&poster, dpi).unwrap());
        assert_eq!(
            scan(&image),
            vec![poster.url.to_owned()],
            "{} bytes",
            poster.url.len()
        );
    }
}

#[test]
fn the_page_is_mostly_white_with_an_accent_band() {
    let image = decode(&png(&bac_ha(), 72).unwrap());
    let white = image.grey.iter().filter(|g| **g > 250).count();
    let dark = image.grey.iter().filter(|g| **g < 60).count();
    let total = image.grey.len();
    // White paper with a large QR (about half its area dark) and text.
    assert!(white > total / 2, "{white} of {total} white");
    assert!(dark > total / 10, "{dark} of {total} dark");
    // The band at the very top is coloured, neither white nor black.
    let band = image.grey[image.width as usize * 3 + 5];
    assert!((40..200).contains(&band), "band grey {band}");
}
