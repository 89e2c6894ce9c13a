//! Cleaning what people type into spreadsheets: outer spaces (ASCII or the ideographic space
//! U+3000), and, in codes and numbers, full-width forms (`９１４１…`, `Ａ`) that Chinese input
//! methods produce. Names keep their full-width punctuation: `某某有限公司（分公司）` is right.

/// Trims spaces of both widths and other whitespace from both ends.
pub fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
}

/// Full-width ASCII forms (U+FF01–U+FF5E) to ASCII, the ideographic space to a space.
pub fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .collect()
}

/// A code as it should be stored: half-width, trimmed, upper case.
pub fn code(s: &str) -> String {
    trim(&half_width(s)).to_uppercase()
}

/// Whether the text holds a control character (tab, line break…): never valid in a field.
pub fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_codes_become_ascii() {
        assert_eq!(code("　９１４１０３０７ｍａ９ＸＸＸＸＸＸＸ "), "91410307MA9XXXXXXX");
        assert_eq!(half_width("（分公司）"), "(分公司)");
        assert_eq!(trim("\u{3000} 洛阳市某某有限公司（分公司） "), "洛阳市某某有限公司（分公司）");
    }
}
