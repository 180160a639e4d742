//! Officials' exports of declarations: CSV and XLSX with Vietnamese headers.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use phongdich_domain::declarations::Kind;
use phongdich_store::StoredDeclaration;
use rust_xlsxwriter::{Format, Workbook};

use crate::error::{ApiError, ApiResult};
use crate::routes::views::UnitViews;
use crate::state::AppState;

/// One exported line.
#[derive(Debug, Clone)]
pub(crate) struct DeclarationRow {
    id: i64,
    kind: String,
    full_name: String,
    unit: String,
    day: String,
    colour: String,
    flags: String,
    declared_at: String,
}

const HEADERS: [&str; 8] = [
    "Mã tờ khai",
    "Loại tờ khai",
    "Họ và tên",
    "Địa bàn",
    "Ngày khai",
    "Mức nguy cơ",
    "Cảnh báo",
    "Thời điểm khai",
];

fn colour_vi(c: &str) -> &'static str {
    match c {
        "red" => "Đỏ",
        "yellow" => "Vàng",
        _ => "Xanh",
    }
}

/// Resolves unit names (once per unit) and turns declarations into export lines.
pub(crate) async fn rows(
    state: &AppState,
    found: Vec<StoredDeclaration>,
) -> ApiResult<Vec<DeclarationRow>> {
    let mut units = UnitViews::default();
    let mut out = Vec::with_capacity(found.len());
    for d in found {
        let unit = units
            .by_code(state, Some(&d.unit_code))
            .await?
            .map_or_else(|| d.unit_code.clone(), |u| u.path);
        out.push(DeclarationRow {
            id: d.id,
            kind: Kind::parse("kind", &d.kind)
                .map(|k| k.label().0.to_owned())
                .unwrap_or(d.kind),
            full_name: d.full_name,
            unit,
            day: d.day,
            colour: colour_vi(&d.colour).to_owned(),
            flags: d.flags.join(", "),
            declared_at: d
                .declared_at
                .to_zoned(phongdich_domain::time::vietnam())
                .strftime("%Y-%m-%d %H:%M")
                .to_string(),
        });
    }
    Ok(out)
}

fn cells(r: &DeclarationRow) -> [String; 8] {
    [
        r.id.to_string(),
        r.kind.clone(),
        r.full_name.clone(),
        r.unit.clone(),
        r.day.clone(),
        r.colour.clone(),
        r.flags.clone(),
        r.declared_at.clone(),
    ]
}

/// CSV in UTF-8 with a byte-order mark, which spreadsheet programs need to show Vietnamese.
pub(crate) fn csv(rows: &[DeclarationRow]) -> ApiResult<Vec<u8>> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(HEADERS)
            .map_err(|e| ApiError::Internal(e.into()))?;
        for r in rows {
            w.write_record(cells(r).iter().map(|c| safe_cell(c).into_owned()))
                .map_err(|e| ApiError::Internal(e.into()))?;
        }
        w.flush().map_err(|e| ApiError::Internal(e.into()))?;
    }
    Ok(out)
}

/// A workbook with a title line, a bold header row that stays in view, and one row per
/// declaration.
pub(crate) fn xlsx(title: &str, rows: &[DeclarationRow]) -> ApiResult<Vec<u8>> {
    let internal = |e: rust_xlsxwriter::XlsxError| ApiError::Internal(e.into());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Tờ khai").map_err(internal)?;
    let bold = Format::new().set_bold();
    sheet
        .write_string_with_format(0, 0, title, &Format::new().set_bold().set_font_size(14))
        .map_err(internal)?;
    for (col, h) in HEADERS.iter().enumerate() {
        sheet
            .write_string_with_format(2, col as u16, *h, &bold)
            .map_err(internal)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = 3 + i as u32;
        sheet.write_number(row, 0, r.id as f64).map_err(internal)?;
        for (col, value) in cells(r).iter().enumerate().skip(1) {
            sheet
                .write_string(row, col as u16, value)
                .map_err(internal)?;
        }
    }
    for (col, width) in [10, 28, 26, 40, 12, 12, 36, 18].into_iter().enumerate() {
        sheet
            .set_column_width(col as u16, width)
            .map_err(internal)?;
    }
    sheet.set_freeze_panes(3, 0).map_err(internal)?;
    book.save_to_buffer().map_err(internal)
}

/// A cell as spreadsheet programs may safely read it: text that starts like a formula
/// (`=`, `+`, `-`, `@`, tab, return) gets a leading apostrophe, so a name typed by a citizen
/// can never run as a formula on an official's computer.
pub(crate) fn safe_cell(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// A file for an official's browser to save: personal data, so never cached.
pub(crate) fn download(body: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// Any table as CSV (UTF-8 with a byte-order mark).
pub(crate) fn table_csv(headers: &[&str], rows: &[Vec<String>]) -> ApiResult<Vec<u8>> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(headers)
            .map_err(|e| ApiError::Internal(e.into()))?;
        for r in rows {
            w.write_record(r.iter().map(|c| safe_cell(c).into_owned()))
                .map_err(|e| ApiError::Internal(e.into()))?;
        }
        w.flush().map_err(|e| ApiError::Internal(e.into()))?;
    }
    Ok(out)
}

/// Any table as a workbook: a title line, a bold header row that stays in view, one row each.
pub(crate) fn table_xlsx(
    title: &str,
    sheet_name: &str,
    headers: &[&str],
    rows: &[Vec<String>],
) -> ApiResult<Vec<u8>> {
    let internal = |e: rust_xlsxwriter::XlsxError| ApiError::Internal(e.into());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name).map_err(internal)?;
    let bold = Format::new().set_bold();
    sheet
        .write_string_with_format(0, 0, title, &Format::new().set_bold().set_font_size(14))
        .map_err(internal)?;
    for (col, h) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(2, col as u16, *h, &bold)
            .map_err(internal)?;
        sheet.set_column_width(col as u16, 22).map_err(internal)?;
    }
    for (i, r) in rows.iter().enumerate() {
        for (col, value) in r.iter().enumerate() {
            sheet
                .write_string(3 + i as u32, col as u16, value)
                .map_err(internal)?;
        }
    }
    sheet.set_freeze_panes(3, 0).map_err(internal)?;
    book.save_to_buffer().map_err(internal)
}

#[cfg(test)]
mod formula_tests {
    use super::safe_cell;

    #[test]
    fn formula_like_cells_are_quoted() {
        assert_eq!(safe_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_cell("+84912345678"), "'+84912345678");
        assert_eq!(safe_cell("Lò Văn Sử"), "Lò Văn Sử");
    }
}
