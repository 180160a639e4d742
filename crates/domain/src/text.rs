//! Text folding for search: "Bac Ha" must find "Bắc Hà".

use unicode_normalization::UnicodeNormalization;

/// Lower-cases and strips Vietnamese diacritics (tones and vowel marks, and đ → d), collapsing
/// whitespace, so that text typed without accents matches the official names.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = true;
    for c in text.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            c => c,
        };
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
            continue;
        }
        out.extend(c.to_lowercase());
        last_space = false;
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn strips_vietnamese_marks() {
        assert_eq!(fold("Xã Bắc Hà"), "xa bac ha");
        assert_eq!(fold("  Đồng   Tháp "), "dong thap");
        assert_eq!(fold("Phường Nghĩa Lộ"), "phuong nghia lo");
        assert_eq!(fold("bac ha"), fold("BẮC HÀ"));
    }
}
