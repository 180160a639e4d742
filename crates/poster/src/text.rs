//! Measuring, fitting and escaping text.
//!
//! SVG has no line wrapping, so names and addresses of any length are measured here, with the
//! same fonts the renderer uses, and either shrunk to fit one line or wrapped into a few.

use crate::fonts::{face, Weight};

/// No field on a poster shows more than about 200 characters; the rest of a longer input is
/// dropped before measuring (the field is cut with an ellipsis anyway), so measuring stays cheap.
const MAX_CHARS: usize = 400;

/// Collapses runs of whitespace into one space and drops characters XML cannot carry.
///
/// The renderer collapses whitespace anyway; doing it first makes measuring agree with it.
/// Control characters (other than whitespace) are not allowed in XML 1.0 at all, and a venue
/// name pasted from a spreadsheet may hold one.
pub(crate) fn clean(text: &str) -> String {
    let mut out = String::new();
    let mut count = 0;
    for word in text.split_whitespace() {
        for c in word.chars().filter(|c| is_xml_char(*c)) {
            if count >= MAX_CHARS {
                return out.trim_end().to_owned();
            }
            out.push(c);
            count += 1;
        }
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
            count += 1;
        }
    }
    out.trim_end().to_owned()
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes text for use in XML content or a double- or single-quoted attribute.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// The advance width of `text` set at `size` (in mm, like everything else).
///
/// Kerning is ignored, so this slightly overestimates, which is the safe side for fitting.
/// Characters the font lacks are counted as 0.6 em, about a letter.
pub(crate) fn width(text: &str, size: f32, weight: Weight) -> f32 {
    let face = face(weight);
    let units_per_em = f32::from(face.units_per_em());
    let units: f32 = text
        .chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|glyph| face.glyph_hor_advance(glyph))
                .map_or(0.6 * units_per_em, f32::from)
        })
        .sum();
    units / units_per_em * size
}

/// How a piece of text is to be fitted into a column.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fit {
    pub(crate) weight: Weight,
    pub(crate) max_width: f32,
    /// The preferred size, used when the text fits on one line at it.
    pub(crate) size: f32,
    /// The smallest size a single line may shrink to before the text is wrapped instead.
    pub(crate) min_size: f32,
    /// The size of wrapped lines.
    pub(crate) wrap_size: f32,
    pub(crate) max_lines: usize,
}

/// Text fitted into a column: its size and its lines (at least one, possibly empty).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Block {
    pub(crate) size: f32,
    pub(crate) lines: Vec<String>,
}

impl Fit {
    /// Fits `text` (already [`clean`]ed): one line if it can be shrunk to fit, else wrapped
    /// at word boundaries, the last allowed line ending in an ellipsis if text is left over.
    pub(crate) fn apply(&self, text: &str) -> Block {
        let natural = width(text, self.size, self.weight);
        if natural <= self.max_width {
            return Block {
                size: self.size,
                lines: vec![text.to_owned()],
            };
        }
        // Width is proportional to size, so the size that fits is computed, not searched;
        // rounded down to the 0.01 mm the SVG is written with, so that it still fits there.
        let shrunk = (self.size * self.max_width / natural * 100.0 - 1e-3).floor() / 100.0;
        if shrunk >= self.min_size || self.max_lines <= 1 {
            let size = shrunk.max(self.min_size);
            let lines = vec![truncate(text, size, self.weight, self.max_width)];
            return Block { size, lines };
        }
        let size = self.wrap_size;
        let mut lines = wrap(text, size, self.weight, self.max_width);
        if lines.len() > self.max_lines {
            let rest = lines.split_off(self.max_lines - 1).join(" ");
            lines.push(truncate(
                &format!("{rest}…"),
                size,
                self.weight,
                self.max_width,
            ));
        }
        Block { size, lines }
    }
}

/// Greedy word wrap; a word wider than the column is broken between characters.
fn wrap(text: &str, size: f32, weight: Weight, max_width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate, size, weight) <= max_width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            line.push(c);
            if width(&line, size, weight) > max_width && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::replace(&mut line, c.to_string()));
            }
        }
    }
    lines.push(line);
    lines
}

/// Cuts `text` to fit `max_width`, ending in "…" if anything was cut.
fn truncate(text: &str, size: f32, weight: Weight, max_width: f32) -> String {
    if width(text, size, weight) <= max_width {
        return text.to_owned();
    }
    let room = max_width - width("…", size, weight);
    let mut used = 0.0;
    let mut kept = String::new();
    for c in text.trim_end_matches('…').chars() {
        used += width(c.encode_utf8(&mut [0; 4]), size, weight);
        if used > room {
            break;
        }
        kept.push(c);
    }
    format!("{}…", kept.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIT: Fit = Fit {
        weight: Weight::Bold,
        max_width: 100.0,
        size: 10.0,
        min_size: 8.0,
        wrap_size: 8.0,
        max_lines: 2,
    };

    #[test]
    fn clean_collapses_whitespace_and_drops_control_characters() {
        assert_eq!(clean("  Chợ\tBắc \u{0}Hà \n"), "Chợ Bắc Hà");
        assert_eq!(clean("\u{1}\u{2}"), "");
        assert_eq!(clean(" a \u{1} b "), "a b");
        assert_eq!(clean(&"x".repeat(10_000)).len(), MAX_CHARS);
    }

    #[test]
    fn escape_handles_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
    }

    #[test]
    fn width_grows_with_text_and_size() {
        let one = width("Chợ", 10.0, Weight::Regular);
        assert!(one > 0.0);
        assert!((width("Chợ", 20.0, Weight::Regular) - 2.0 * one).abs() < 1e-3);
        assert!(width("Chợ", 10.0, Weight::Bold) > one);
        assert!(width("Chợ Bắc Hà", 10.0, Weight::Regular) > one);
    }

    #[test]
    fn short_text_keeps_its_size() {
        assert_eq!(
            FIT.apply("Chợ"),
            Block {
                size: 10.0,
                lines: vec!["Chợ".into()]
            }
        );
    }

    #[test]
    fn shrinking_never_cuts_a_text_that_fits_at_the_smaller_size() {
        let fit = Fit {
            max_width: 182.0,
            size: 13.0,
            min_size: 9.0,
            ..FIT
        };
        let mut shrunk = 0;
        for n in 1..300 {
            let text = format!("Điểm kiểm tra số {n}, Chợ Bắc Hà");
            let block = fit.apply(&text);
            if block.size < fit.size && block.lines.len() == 1 {
                shrunk += 1;
                assert_eq!(block.lines, vec![text.clone()], "at {}", block.size);
            }
        }
        assert!(shrunk >= 100, "only {shrunk} texts were shrunk");
    }

    #[test]
    fn a_little_too_long_shrinks() {
        let text = "Bệnh viện Đa khoa"; // a bit wider than 100 mm at 10 mm
        let natural = width(text, 10.0, Weight::Bold);
        assert!(
            natural > 100.0 && natural * 0.8 < 100.0,
            "test text out of range: {natural}"
        );
        let block = FIT.apply(text);
        assert_eq!(block.lines, vec![text.to_owned()]);
        assert!(block.size < 10.0 && block.size >= 8.0);
        assert!(width(text, block.size, Weight::Bold) <= 100.0 + 1e-3);
    }

    #[test]
    fn long_text_wraps_then_truncates_within_the_column() {
        let text =
            "Trung tâm Thương mại Dịch vụ Tổng hợp Chợ Bắc Hà và các vùng lân cận huyện Bắc Hà";
        let block = FIT.apply(text);
        assert_eq!(block.size, 8.0);
        assert_eq!(block.lines.len(), 2);
        assert!(block.lines[1].ends_with('…'));
        for line in &block.lines {
            assert!(width(line, 8.0, Weight::Bold) <= 100.0, "{line}");
        }
    }

    #[test]
    fn an_unbroken_word_is_split() {
        let word = "X".repeat(80);
        let block = FIT.apply(&word);
        assert_eq!(block.lines.len(), 2);
        for line in &block.lines {
            assert!(width(line, block.size, Weight::Bold) <= 100.0);
        }
    }
}
