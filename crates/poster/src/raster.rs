//! The poster SVG as a PNG, drawn by resvg.

use resvg::tiny_skia::{Pixmap, Transform};

use crate::{PosterError, PAGE_HEIGHT_MM, PAGE_WIDTH_MM};

/// The lowest resolution accepted: below it the QR modules are a few pixels wide.
pub const MIN_DPI: u32 = 50;
/// The highest resolution accepted: 600 dpi is already 4961 × 7016 pixels (140 MB while
/// drawing); a server should not be asked for more.
pub const MAX_DPI: u32 = 600;

const MM_PER_INCH: f32 = 25.4;

/// The page size in pixels at `dpi`.
pub(crate) fn pixel_size(dpi: u32) -> (u32, u32) {
    let px = |mm: f32| (mm / MM_PER_INCH * dpi as f32).round() as u32;
    (px(PAGE_WIDTH_MM), px(PAGE_HEIGHT_MM))
}

pub(crate) fn png(svg: &str, dpi: u32) -> Result<Vec<u8>, PosterError> {
    if !(MIN_DPI..=MAX_DPI).contains(&dpi) {
        return Err(PosterError::Dpi {
            dpi,
            min: MIN_DPI,
            max: MAX_DPI,
        });
    }
    let tree = crate::parse(svg, "PNG")?;
    let (width, height) = pixel_size(dpi);
    let mut pixmap = Pixmap::new(width, height).ok_or_else(|| error("no pixmap"))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    let size = tree.size();
    let transform =
        Transform::from_scale(width as f32 / size.width(), height as f32 / size.height());
    resvg::render(&tree, transform, &mut pixmap.as_mut());

    // The page is opaque white underneath, so premultiplied RGBA is plain RGB: drop alpha.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    encode(&rgb, width, height, dpi).map_err(|e| error(&e.to_string()))
}

/// PNG with its resolution recorded (pHYs), so that printing "actual size" gives A4.
fn encode(rgb: &[u8], width: u32, height: u32, dpi: u32) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let per_metre = (dpi as f32 / MM_PER_INCH * 1000.0).round() as u32;
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: per_metre,
        yppu: per_metre,
        unit: png::Unit::Meter,
    }));
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(out)
}

fn error(detail: &str) -> PosterError {
    PosterError::Render {
        format: "PNG",
        detail: detail.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a4_in_pixels() {
        assert_eq!(pixel_size(150), (1240, 1754));
        assert_eq!(pixel_size(300), (2480, 3508));
    }
}
