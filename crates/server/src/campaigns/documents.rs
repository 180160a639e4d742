//! A campaign's status for a date as officials print and send it up: XLSX and PDF in the
//! Vietnamese administrative style (the issuing unit and the national motto at the top, the
//! title, the date, a table by unit, the totals line). Both are drawn from one [`Table`], which
//! is drawn from the same status as the dashboard.

use phongdich_domain::campaigns::TargetProgress;
use phongdich_domain::time::day_month_year;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

use super::status::CampaignStatus;
use crate::error::{ApiError, ApiResult};
use crate::exports::safe_cell;

const NATION: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";

/// The report as rows of text, shared by both formats.
pub(crate) struct Table {
    pub(crate) issuer: String,
    pub(crate) title: String,
    pub(crate) subtitle: String,
    pub(crate) headers: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
    pub(crate) totals: Vec<String>,
}

fn number(n: Option<u64>) -> String {
    n.map_or_else(|| "–".to_owned(), |n| n.to_string())
}

fn pct(p: Option<f64>) -> String {
    p.map_or_else(|| "–".to_owned(), |p| format!("{p:.1}"))
}

fn target_cells(t: &TargetProgress) -> [String; 5] {
    [
        t.head_count.to_string(),
        number(t.reported),
        pct(t.reported_percent),
        number(t.measured),
        pct(t.measured_percent),
    ]
}

/// The printed table of a status.
pub(crate) fn table(s: &CampaignStatus, issuer: &str) -> Table {
    let c = &s.campaign.campaign;
    let mut headers = vec!["STT".to_owned(), "Đơn vị".to_owned()];
    for t in &c.targets {
        let who = t.population.label().vi;
        headers.push(format!("{who}: tổng số"));
        headers.push(format!("Báo cáo (chỉ tiêu {}%)", t.percent));
        headers.push("Tỷ lệ báo cáo (%)".to_owned());
        headers.push("Hệ thống ghi nhận".to_owned());
        headers.push("Tỷ lệ ghi nhận (%)".to_owned());
    }
    headers.push("Báo cáo gần nhất".to_owned());
    headers.push("Tình trạng".to_owned());
    let rows = s
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let mut row = vec![(i + 1).to_string(), u.org.unit.name.clone()];
            for t in &u.progress.targets {
                row.extend(target_cells(t));
            }
            row.push(
                u.progress
                    .last_report
                    .map(day_month_year)
                    .unwrap_or_else(|| "Chưa báo cáo".into()),
            );
            row.push(
                match (u.progress.late, u.progress.behind) {
                    (true, _) => "Trễ hạn báo cáo",
                    (false, true) => "Chậm tiến độ",
                    _ => "Đúng tiến độ",
                }
                .to_owned(),
            );
            row
        })
        .collect();
    let mut totals = vec![String::new(), "Tổng cộng".to_owned()];
    for t in &s.totals {
        totals.extend(target_cells(t));
    }
    totals.push(String::new());
    totals.push(String::new());
    Table {
        issuer: issuer.to_uppercase(),
        title: format!("BÁO CÁO TIẾN ĐỘ: {}", c.name.to_uppercase()),
        subtitle: format!(
            "Mục tiêu: {} · Từ {} đến {} · Số liệu đến ngày {}",
            c.goal.label().vi,
            day_month_year(c.start),
            day_month_year(c.deadline),
            day_month_year(s.date)
        ),
        headers,
        rows,
        totals,
    }
}

/// The table as an XLSX workbook.
pub(crate) fn xlsx(t: &Table) -> ApiResult<Vec<u8>> {
    let err = |e: rust_xlsxwriter::XlsxError| ApiError::Internal(e.into());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Bao cao").map_err(err)?;
    let last = (t.headers.len().max(2) - 1) as u16;
    let bold = Format::new().set_bold().set_align(FormatAlign::Center);
    let title = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center);
    let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let head = cell.clone().set_bold().set_background_color("#DDE7F0");
    sheet
        .write_string_with_format(0, 0, &t.issuer, &Format::new().set_bold())
        .map_err(err)?;
    sheet
        .merge_range(0, 4.min(last), 0, last, NATION, &bold)
        .map_err(err)?;
    sheet
        .merge_range(1, 4.min(last), 1, last, MOTTO, &bold)
        .map_err(err)?;
    sheet
        .merge_range(3, 0, 3, last, &t.title, &title)
        .map_err(err)?;
    sheet
        .merge_range(
            4,
            0,
            4,
            last,
            &t.subtitle,
            &Format::new().set_italic().set_align(FormatAlign::Center),
        )
        .map_err(err)?;
    for (col, h) in t.headers.iter().enumerate() {
        sheet
            .write_string_with_format(6, col as u16, h, &head)
            .map_err(err)?;
    }
    let numeric = |s: &str| s.parse::<f64>().ok();
    for (r, row) in (7..).zip(t.rows.iter().chain(std::iter::once(&t.totals))) {
        let format = if std::ptr::eq(row, &t.totals) {
            head.clone()
        } else {
            cell.clone()
        };
        for (col, v) in row.iter().enumerate() {
            match (col >= 2, numeric(v)) {
                (true, Some(n)) => sheet.write_number_with_format(r, col as u16, n, &format),
                _ => sheet.write_string_with_format(r, col as u16, safe_cell(v).as_ref(), &format),
            }
            .map_err(err)?;
        }
    }
    sheet.set_column_width(1, 36).map_err(err)?;
    for col in 2..=last {
        sheet.set_column_width(col, 14).map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A4 landscape in millimetres.
const PAGE: (f32, f32) = (297.0, 210.0);
const ROWS_PER_PAGE: usize = 18;

fn text(x: f32, y: f32, size: f32, weight: &str, anchor: &str, s: &str) -> String {
    format!(
        r#"<text x="{x:.1}" y="{y:.1}" font-family="DejaVu Sans" font-size="{size}" font-weight="{weight}" text-anchor="{anchor}">{}</text>"#,
        escape(s)
    )
}

/// Cuts a cell's text to what fits its column.
fn fit(s: &str, width_mm: f32, size: f32) -> String {
    let max = ((width_mm - 1.5) / (size * 0.55)).max(1.0) as usize;
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut cut: String = s.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// Words of `s` on at most `max_lines` lines that fit `width_mm` (the last one cut).
fn wrap(s: &str, width_mm: f32, size: f32, max_lines: usize) -> Vec<String> {
    let per_line = ((width_mm - 1.5) / (size * 0.55)).max(1.0) as usize;
    let mut lines: Vec<String> = Vec::new();
    for word in s.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= per_line => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    if lines.len() > max_lines {
        let rest = lines.split_off(max_lines - 1).join(" ");
        lines.push(rest);
    }
    lines.into_iter().map(|l| fit(&l, width_mm, size)).collect()
}

/// The table as PDF pages (the header and the table's head repeat on every page).
pub(crate) fn pdf(t: &Table) -> ApiResult<Vec<u8>> {
    let cols = t.headers.len();
    let margin = 10.0;
    let usable = PAGE.0 - 2.0 * margin;
    let name_w = 50.0_f32.min(usable / 2.0);
    let (date_w, state_w) = (18.0, 24.0);
    let other_w =
        (usable - 10.0 - name_w - date_w - state_w) / (cols.saturating_sub(4).max(1)) as f32;
    let width = |c: usize| match c {
        0 => 10.0,
        1 => name_w,
        c if c + 2 == cols => date_w,
        c if c + 1 == cols => state_w,
        _ => other_w,
    };
    let size = if cols > 14 { 2.1 } else { 2.6 };
    let mut body: Vec<&Vec<String>> = t.rows.iter().collect();
    body.push(&t.totals);
    let pages: Vec<String> = body
        .chunks(ROWS_PER_PAGE)
        .enumerate()
        .map(|(p, chunk)| {
            let mut svg = format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}"><rect width="{w}" height="{h}" fill="white"/>"#,
                w = PAGE.0,
                h = PAGE.1
            );
            svg += &text(margin + 40.0, 14.0, 3.4, "bold", "middle", &t.issuer);
            svg += &text(PAGE.0 - margin - 55.0, 14.0, 3.4, "bold", "middle", NATION);
            svg += &text(PAGE.0 - margin - 55.0, 19.0, 3.4, "bold", "middle", MOTTO);
            svg += &text(PAGE.0 / 2.0, 31.0, 4.6, "bold", "middle", &fit(&t.title, usable, 4.6));
            svg += &text(PAGE.0 / 2.0, 37.0, 3.0, "normal", "middle", &fit(&t.subtitle, usable, 3.0));
            let mut y = 44.0;
            for (i, row) in std::iter::once(&t.headers).chain(chunk.iter().copied()).enumerate() {
                let head = i == 0 || std::ptr::eq(row, &t.totals);
                // The head row wraps its titles on up to three lines; data rows have one.
                let s = if i == 0 { size * 0.85 } else { size };
                let row_h = if i == 0 { 13.0 } else { 8.0 };
                let mut x = margin;
                for (c, v) in row.iter().enumerate() {
                    let w = width(c);
                    svg += &format!(
                        r##"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{row_h}" fill="{}" stroke="#555" stroke-width="0.2"/>"##,
                        if head { "#DDE7F0" } else { "white" }
                    );
                    let lines = if i == 0 { wrap(v, w, s, 3) } else { vec![fit(v, w, s)] };
                    let top = y + row_h / 2.0 - (lines.len() as f32 - 1.0) * s * 0.6 + s * 0.35;
                    for (k, line) in lines.iter().enumerate() {
                        let weight = if head { "bold" } else { "normal" };
                        svg += &text(x + 0.8, top + k as f32 * s * 1.2, s, weight, "start", line);
                    }
                    x += w;
                }
                y += row_h;
            }
            svg += &text(PAGE.0 - margin, PAGE.1 - 8.0, 2.6, "normal", "end", &format!("Trang {}", p + 1));
            svg += "</svg>";
            svg
        })
        .collect();
    phongdich_poster::pdf_from_svg_pages(&pages, PAGE, &t.title)
        .map_err(|e| ApiError::Internal(e.into()))
}
