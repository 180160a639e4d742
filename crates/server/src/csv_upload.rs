//! Officials' CSV uploads (a district's venues, a campaign's units): the body must be sent as
//! `text/csv`, the header row must be exactly the expected columns, and each record comes back
//! with its line number so every later error can name the line. Reading stops with an error at
//! a broken line or past the row limit; nothing is stored by the caller unless every row is good.

use axum::http::{header, HeaderMap};
use phongdich_domain::FieldError;

use crate::error::{ApiError, ApiResult};

/// A problem with the file itself, on `field` (`line N`).
pub(crate) fn csv_error(field: String, vi: String, en: String) -> ApiError {
    ApiError::field(FieldError::new(field, "csv_invalid", vi, en))
}

/// The CSV text of a request, without a byte-order mark; 415 unless it was sent as `text/csv`,
/// and a field error `csv_not_utf8` (naming the line) unless it is UTF-8 — spreadsheet
/// programs often save Windows-1258 or UTF-16, and the official should be told how to fix it.
pub(crate) fn csv_text<'a>(headers: &HeaderMap, body: &'a [u8]) -> ApiResult<&'a str> {
    let is_csv = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/csv"));
    if !is_csv {
        return Err(ApiError::UnsupportedMediaType);
    }
    let text = std::str::from_utf8(body).map_err(|e| {
        let line = 1 + body[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        ApiError::field(FieldError::new(
            format!("line {line}"),
            "csv_not_utf8",
            "Tệp không ở mã UTF-8; hãy lưu lại dưới dạng \"CSV UTF-8\"",
            "The file is not UTF-8; save it again as \"CSV UTF-8\"",
        ))
    })?;
    Ok(text.trim_start_matches('\u{feff}'))
}

/// The records after a header row equal to `columns` (case and spaces ignored), each with its
/// line number (the first record is line 2), at most `max_rows`.
pub(crate) fn records(
    text: &str,
    columns: &[&str],
    max_rows: usize,
) -> ApiResult<Vec<(usize, csv::StringRecord)>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| {
            csv_error(
                "line 1".into(),
                format!("Không đọc được CSV: {e}"),
                format!("Unreadable CSV: {e}"),
            )
        })?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    if header != columns {
        return Err(csv_error(
            "line 1".into(),
            format!("Dòng tiêu đề phải là: {}", columns.join(",")),
            format!("The header row must be: {}", columns.join(",")),
        ));
    }
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| {
            csv_error(
                format!("line {line}"),
                format!("Dòng lỗi: {e}"),
                format!("Broken line: {e}"),
            )
        })?;
        if out.len() >= max_rows {
            return Err(csv_error(
                format!("line {line}"),
                format!("Tối đa {max_rows} dòng mỗi lần"),
                format!("At most {max_rows} rows per import"),
            ));
        }
        out.push((line, record));
    }
    Ok(out)
}
