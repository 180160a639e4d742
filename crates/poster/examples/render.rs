//! Renders sample posters and times it: `cargo run --release -p phongdich-poster --example
//! render -- OUT_DIR [PAGES]` writes poster.svg, poster.png and
//! poster-long.png (150 dpi) and posters.pdf (PAGES
//! pages, 100 by default) into OUT_DIR.

use std::time::Instant;

use phongdich_poster::{pdf, png, svg, Poster};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = std::path::PathBuf::from(args.next().ok_or("usage: render OUT_DIR [PAGES]")?);
    let pages: usize = args.next().map_or(Ok(100), |n| n.parse())?;
    std::fs::create_dir_all(&out)?;

    let url = "https://phongdich.gov.vn/c/V-7K3QM2?v=1&t=eyJ2IjoiVi03SzNRTTIiLCJrIjoiZTFkYTQ5YjAiLCJpIjoiMjAyMS0wNy0wMSJ9.Q2hvIEJhYyBIYSBMYW8gQ2FpIHZlbnVlIGNoZWNr";
    let poster = Poster {
        venue_name: "Chợ Bắc Hà",
        venue_code: "V-7K3QM2",
        category_vi: "Chợ",
        category_en: "Market",
        address: "Thôn Bắc Hà, Xã Bắc Hà, Tỉnh Lào Cai",
        url,
    };
    std::fs::write(out.join("poster.svg"), svg(&poster)?)?;

    png(&poster, 150)?; // warm up: the fonts are parsed once, on first use
    let start = Instant::now();
    let image = png(&poster, 150)?;
    println!(
        "PNG 150 dpi: {:?}, {} KiB",
        start.elapsed(),
        image.len() / 1024
    );
    std::fs::write(out.join("poster.png"), image)?;

    // The worst case for the layout: every field far too long, and a short URL (widest quiet zone).
    let long = Poster {
        venue_name: "Trung tâm Thương mại Dịch vụ Tổng hợp và Chợ Đầu mối Nông sản Thực phẩm Bắc Hà – Lào Cai (cơ sở 2)",
        venue_code: "V-7K3QM2-ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789",
        category_vi: "Cơ sở sản xuất, kinh doanh thực phẩm và chợ đầu mối nông sản liên huyện",
        category_en: "Food production, food business and wholesale agricultural market",
        address: "Số 123 đường Ngọc Uyển, Tổ dân phố Na Cồ, Thôn Bắc Hà, Xã Bắc Hà, Huyện Bắc Hà, Tỉnh Lào Cai, Việt Nam (cổng sau, cạnh bến xe khách liên tỉnh)",
        url: "https://pd.vn/c/1",
    };
    std::fs::write(out.join("poster-long.png"), png(&long, 150)?)?;

    let names: Vec<String> = (1..=pages)
        .map(|i| format!("Điểm kiểm tra số {i}, Chợ Bắc Hà"))
        .collect();
    let codes: Vec<String> = (1..=pages).map(|i| format!("V-{i:06}")).collect();
    let posters: Vec<Poster> = names
        .iter()
        .zip(&codes)
        .map(|(name, code)| Poster {
            venue_name: name,
            venue_code: code,
            ..poster
        })
        .collect();
    let start = Instant::now();
    let document = pdf(&posters, &mut |_| {})?;
    println!(
        "PDF {pages} pages: {:?}, {} KiB",
        start.elapsed(),
        document.len() / 1024
    );
    std::fs::write(out.join("posters.pdf"), document)?;
    Ok(())
}
