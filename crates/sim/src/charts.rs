//! Charts as SVG (plotters) and PNG (the SVG drawn by resvg with the DejaVu fonts compiled in,
//! so the picture does not depend on the machine's fonts).

use std::sync::Arc;

use plotters::prelude::*;
use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{fontdb, Options, Tree};

use crate::metrics::DailyRow;
use crate::sweep::Sweep;
use crate::SimError;

const WIDTH: u32 = 960;
const HEIGHT: u32 = 540;
const PALETTE: [RGBColor; 6] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0x8c, 0x56, 0x4b),
];

fn chart_error(e: impl std::fmt::Display) -> SimError {
    SimError::Chart(e.to_string())
}

/// Daily new infections, infectious people and people in quarantine, one line each; several
/// runs (labelled) are drawn on the same axes.
pub fn epidemic_svg(title: &str, runs: &[(String, &[DailyRow])]) -> Result<String, SimError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        let days = runs.iter().map(|(_, r)| r.len()).max().unwrap_or(1).max(1) as u32;
        let top = runs
            .iter()
            .flat_map(|(_, rows)| rows.iter().map(|r| r.new_infections))
            .max()
            .unwrap_or(1)
            .max(1);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 22))
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(64)
            .build_cartesian_2d(0u32..days, 0u32..top + top / 10 + 1)
            .map_err(chart_error)?;
        chart
            .configure_mesh()
            .x_desc("day")
            .y_desc("new infections per day")
            .draw()
            .map_err(chart_error)?;
        for (k, (label, rows)) in runs.iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            chart
                .draw_series(LineSeries::new(
                    rows.iter().map(|r| (r.day, r.new_infections)),
                    color.stroke_width(2),
                ))
                .map_err(chart_error)?
                .label(label.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(chart_error)?;
        root.present().map_err(chart_error)?;
    }
    Ok(svg)
}

/// Infections averted and tracing recall against adoption.
pub fn sweep_svg(sweep: &Sweep) -> Result<String, SimError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("{}: app adoption vs outcome", sweep.province),
                ("sans-serif", 22),
            )
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(64)
            .build_cartesian_2d(0f64..100f64, -10f64..100f64)
            .map_err(chart_error)?;
        chart
            .configure_mesh()
            .x_desc("adoption among smartphone owners (%)")
            .y_desc("%")
            .draw()
            .map_err(chart_error)?;
        let series: [(&str, RowValue); 4] = [
            ("infections averted", Box::new(|r| Some(r.averted_share))),
            ("F1 recall, Bluetooth", Box::new(|r| r.recall[0])),
            ("F1 recall, all sources", Box::new(|r| r.recall_any)),
            ("F1 precision, Bluetooth", Box::new(|r| r.precision[0])),
        ];
        for (k, (label, f)) in series.iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            let points: Vec<(f64, f64)> = sweep
                .rows
                .iter()
                .filter_map(|r| f(r).map(|y| (r.adoption * 100.0, y * 100.0)))
                .collect();
            chart
                .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))
                .map_err(chart_error)?
                .label(*label)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
            chart
                .draw_series(
                    points
                        .into_iter()
                        .map(|p| Circle::new(p, 4, color.filled())),
                )
                .map_err(chart_error)?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(chart_error)?;
        root.present().map_err(chart_error)?;
    }
    Ok(svg)
}

/// One figure of a sweep row, as a share.
type RowValue = Box<dyn Fn(&crate::sweep::SweepRow) -> Option<f64>>;

static REGULAR: &[u8] = include_bytes!("../../../data/fonts/DejaVuSans.ttf");

/// The SVG drawn as a PNG of the same pixel size.
pub fn png(svg: &str) -> Result<Vec<u8>, SimError> {
    let mut db = fontdb::Database::new();
    db.load_font_source(fontdb::Source::Binary(Arc::new(REGULAR)));
    db.set_sans_serif_family("DejaVu Sans");
    let options = Options {
        font_family: "DejaVu Sans".to_owned(),
        fontdb: Arc::new(db),
        ..Default::default()
    };
    let tree = Tree::from_str(svg, &options).map_err(chart_error)?;
    let size = tree.size().to_int_size();
    let mut pixmap =
        Pixmap::new(size.width(), size.height()).ok_or_else(|| chart_error("empty picture"))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(&tree, Transform::identity(), &mut pixmap.as_mut());
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, size.width(), size.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(chart_error)?;
    writer.write_image_data(&rgb).map_err(chart_error)?;
    writer.finish().map_err(chart_error)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curves_draw_as_svg_and_png() {
        let rows: Vec<DailyRow> = (0..30)
            .map(|d| DailyRow {
                day: d,
                new_infections: d * (30 - d),
                ..DailyRow::default()
            })
            .collect();
        let svg = epidemic_svg("test", &[("run".into(), &rows)]).unwrap();
        assert!(
            svg.starts_with("<svg") && svg.contains("polyline"),
            "{}",
            &svg[..200]
        );
        let png = png(&svg).unwrap();
        assert_eq!(&png[1..4], b"PNG");
    }
}
