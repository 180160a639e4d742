//! Integration tests of the poster crate through its public API: the SVG layout, the PNG (it
//! must scan) and the PDF (pages, size, searchable text).

mod errors;
mod layout;
mod pdf;
mod png;

use phongdich_poster::Poster;

/// A realistic poster: a 150-character check-in URL, as the server makes them.
pub(crate) fn bac_ha() -> Poster<'static> {
    Poster {
        venue_name: "Chợ Bắc Hà",
        venue_code: "V-7K3QM2",
        category_vi: "Chợ",
        category_en: "Market",
        address: "Thôn Bắc Hà, Xã Bắc Hà, Tỉnh Lào Cai",
        url: URL_150,
    }
}

pub(crate) const URL_150: &str = "https://phongdich.gov.vn/c/V-7K3QM2?v=1&t=eyJ2IjoiVi03SzNRTTIiLCJrIjoiZTFkYTQ5YjAiLCJpIjoiMjAyMS0wNy0wMSJ9.Q2hvIEJhYyBIYSBMYW8gQ2FpIHZlbnVlIGNoZWNr";

/// Every text field far too long, and a short URL (the smallest QR version, so the widest
/// quiet zone): the worst case for fitting the page.
pub(crate) fn worst_case() -> Poster<'static> {
    Poster {
        venue_name: "Trung tâm Thương mại Dịch vụ Tổng hợp và Chợ Đầu mối Nông sản Thực phẩm Bắc Hà – Lào Cai (cơ sở 2, khu chợ phiên Chủ nhật)",
        venue_code: "V-7K3QM2-ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789-ABCDEFGHIJ",
        category_vi: "Cơ sở sản xuất, kinh doanh thực phẩm và chợ đầu mối nông sản liên huyện",
        category_en: "Food production, food business and wholesale agricultural market",
        address: "Số 123 đường Ngọc Uyển, Tổ dân phố Na Cồ, Thôn Bắc Hà, Xã Bắc Hà, Huyện Bắc Hà, Tỉnh Lào Cai, Việt Nam (cổng sau, cạnh bến xe khách liên tỉnh, đối diện Ủy ban nhân dân xã)",
        url: "https://pd.vn/c/1",
    }
}
