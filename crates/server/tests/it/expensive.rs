//! Issue 15, class 5: expensive input is bounded and kept off the async runtime. A photo past
//! the pixel budget is refused from its header; photo decodes take a slot and a full server
//! answers 503 at once (wait 0 here, so no timing is involved) while photo-less requests go
//! on; a citizen over the daily limit is refused before any slot or decode; the map's event
//! streams are capped per address and overall, and a closed stream frees its place.

use std::io::Cursor;
use std::net::{IpAddr, Ipv4Addr};

use base64::Engine;
use phongdich_server::heavy::Work;
use phongdich_server::ServerConfig;
use serde_json::json;

use crate::helpers::{each_backend, relaxed, TestApp};

const SA_PA: &str = "03006";

fn data_url(png: &[u8]) -> String {
    format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    )
}

fn small_png() -> String {
    let img = image::RgbImage::from_fn(32, 24, |x, y| image::Rgb([x as u8 * 7, y as u8 * 9, 80]));
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    data_url(&out)
}

/// A PNG whose header claims `w`×`h` pixels and whose image data is garbage: decoding it would
/// fail with `photo_not_image`, so `photo_too_many_pixels` proves only the header was read.
fn png_header_only(w: u32, h: u32) -> String {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", b"not zlib data at all");
    chunk(&mut out, b"IEND", b"");
    data_url(&out)
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

fn report(photo: Option<String>) -> serde_json::Value {
    let mut r = json!({"category": "gathering", "unit_code": SA_PA,
        "address": "Chợ Sa Pa", "text": "Tụ tập đông người trước chợ"});
    if let Some(p) = photo {
        r["photo"] = json!(p);
    }
    r
}

#[tokio::test]
async fn a_maximal_photo_is_refused_from_its_header() {
    each_backend(relaxed(), |app| async move {
        let citizen = app.citizen_token("0912000301").await;
        // The measured example: 7700×7700 px, 59 MP.
        for (w, h) in [(7700, 7700), (65_535, 65_535), (4_001, 4_001)] {
            let r = app
                .post(
                    "/api/v1/risk-reports",
                    Some(&citizen),
                    report(Some(png_header_only(w, h))),
                )
                .await;
            assert_eq!(r.status, 422, "{w}×{h}: {}", r.body);
            assert_eq!(
                r.field_code("photo"),
                Some("photo_too_many_pixels"),
                "{w}×{h}"
            );
            let msg = &r.body["errors"][0]["message"];
            assert!(msg["vi"].is_string() && msg["en"].is_string());
        }
        // Within the budget the header passes and the missing pixel data is what fails.
        let r = app
            .post(
                "/api/v1/risk-reports",
                Some(&citizen),
                report(Some(png_header_only(4000, 3000))),
            )
            .await;
        assert_eq!(r.field_code("photo"), Some("photo_not_image"), "{}", r.body);
    })
    .await;
}

#[tokio::test]
async fn photo_decodes_beyond_the_slots_are_refused_and_the_daily_limit_comes_first() {
    let config = ServerConfig {
        photo_decodes_at_once: 1,
        heavy_work_wait_ms: 0,
        risk_reports_per_citizen_per_day: 2,
        ..relaxed()
    };
    each_backend(config, |app| async move {
        let citizen = app.citizen_token("0912000302").await;
        // A burst of decodes holds every slot (the server's own slot API, as a request would).
        let held = app.state.heavy_work().slot(Work::Photo).await.unwrap();
        let r = app
            .post(
                "/api/v1/risk-reports",
                Some(&citizen),
                report(Some(small_png())),
            )
            .await;
        assert_eq!(r.status, 503, "{}", r.body);
        assert_eq!(r.body["code"], "server_busy");
        assert_eq!(r.headers["content-type"], "application/problem+json");
        assert!(r.headers.contains_key("retry-after"));
        assert!(r.body["message"]["vi"].is_string());
        // Requests without a photo do not wait for photo slots.
        let r = app
            .post("/api/v1/risk-reports", Some(&citizen), report(None))
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        // A slot free again: the photo is decoded and stored.
        drop(held);
        let r = app
            .post(
                "/api/v1/risk-reports",
                Some(&citizen),
                report(Some(small_png())),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert!(r.body["photo_url"].is_string());
        // Over the daily limit: refused before a slot is even asked for (429, not 503).
        let held = app.state.heavy_work().slot(Work::Photo).await.unwrap();
        let r = app
            .post(
                "/api/v1/risk-reports",
                Some(&citizen),
                report(Some(small_png())),
            )
            .await;
        assert_eq!(r.status, 429, "{}", r.body);
        drop(held);
    })
    .await;
}

fn client_from(last_octet: u8) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last_octet)))
        .build()
        .unwrap()
}

async fn open_stream(app: &TestApp, client: &reqwest::Client) -> reqwest::Response {
    client
        .get(format!("{}/api/v1/map/events", app.base))
        .send()
        .await
        .unwrap()
}

/// Opens a stream, retrying while the server has not yet noticed an earlier one closed
/// (bounded: no timing is asserted, only that the place comes back).
async fn open_once_freed(app: &TestApp, client: &reqwest::Client) -> reqwest::Response {
    for _ in 0..200 {
        let r = open_stream(app, client).await;
        if r.status() == 200 {
            return r;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the closed stream's place never came back");
}

#[tokio::test]
async fn map_streams_are_capped_per_address_and_overall() {
    let config = ServerConfig {
        map_streams_per_address: 2,
        map_streams_total: 3,
        ..relaxed()
    };
    each_backend(config, |app| async move {
        let (a, b, c) = (client_from(1), client_from(2), client_from(3));
        let a1 = open_stream(&app, &a).await;
        let a2 = open_stream(&app, &a).await;
        assert_eq!((a1.status().as_u16(), a2.status().as_u16()), (200, 200));
        assert_eq!(
            a1.headers()["content-type"],
            "text/event-stream",
            "a real stream"
        );
        let refused = open_stream(&app, &a).await;
        assert_eq!(refused.status(), 429);
        assert_eq!(
            refused.headers()["content-type"],
            "application/problem+json"
        );
        let body: serde_json::Value = refused.json().await.unwrap();
        assert_eq!(body["code"], "too_many_streams");
        assert!(body["message"]["en"].is_string());

        let b1 = open_stream(&app, &b).await;
        assert_eq!(b1.status(), 200, "another address has its own places");
        let full = open_stream(&app, &c).await;
        assert_eq!(full.status(), 503, "three open in all");
        let body: serde_json::Value = full.json().await.unwrap();
        assert_eq!(body["code"], "streams_full");

        // A stream that ends gives its place back, for its address and overall.
        drop(a1);
        let c1 = open_once_freed(&app, &c).await;
        assert_eq!(open_stream(&app, &a).await.status(), 503);
        drop(a2);
        let a3 = open_once_freed(&app, &a).await;
        drop((a3, b1, c1));
    })
    .await;
}
