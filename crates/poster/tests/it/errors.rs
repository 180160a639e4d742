//! Bad input gives an error that says what is wrong, never a panic.

use phongdich_poster::{png, svg, Poster, PosterError, MAX_DPI, MAX_URL_BYTES, MIN_DPI};

use crate::bac_ha;

#[test]
fn a_too_long_url_is_an_input_error() {
    let url = format!("https://phongdich.gov.vn/c/{}", "A".repeat(3000));
    let poster = Poster {
        url: &url,
        ..bac_ha()
    };
    for result in [svg(&poster).map(|_| ()), png(&poster, 150).map(|_| ())] {
        let error = result.unwrap_err();
        match &error {
            PosterError::UrlTooLong {
                venue_code,
                len,
                max,
            } => {
                assert_eq!(venue_code, "V-7K3QM2");
                assert_eq!(*len, url.len());
                assert_eq!(*max, MAX_URL_BYTES);
            }
            other => panic!("{other:?}"),
        }
        assert!(error.is_input_error());
        let message = error.to_string();
        assert!(
            message.contains("V-7K3QM2") && message.contains(&url.len().to_string()),
            "{message}"
        );
    }
}

#[test]
fn an_empty_url_is_an_input_error() {
    let error = svg(&Poster {
        url: "",
        ..bac_ha()
    })
    .unwrap_err();
    assert!(matches!(error, PosterError::EmptyUrl { .. }), "{error}");
    assert!(error.is_input_error());
}

#[test]
fn dpi_out_of_range_is_an_input_error() {
    for dpi in [0, MIN_DPI - 1, MAX_DPI + 1, u32::MAX] {
        let error = png(&bac_ha(), dpi).unwrap_err();
        assert!(matches!(error, PosterError::Dpi { .. }), "{dpi}: {error}");
        assert!(error.is_input_error());
    }
}
