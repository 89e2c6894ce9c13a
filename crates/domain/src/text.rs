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

/// Whether a spreadsheet opening a CSV file would run this cell as a formula (OWASP "CSV
/// injection"): it begins with `=`, `+`, `-`, `@`, or a tab or carriage return hiding one.
pub fn starts_like_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// What a text field may hold. Every text that reaches the store passes one of these: a
/// PostgreSQL text cannot hold U+0000 at all, and nothing a person types needs a million
/// characters. The limits are in characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A code, a number, a user name, a certificate number: one line, [`MAX_CODE`].
    Code,
    /// A name, a title, a department: one line, [`MAX_NAME`].
    Name,
    /// A reason, a legal basis, a comment, a spreadsheet cell: one line, [`MAX_LINE`].
    Line,
    /// Findings, a summary, a description: tabs and line breaks allowed, [`MAX_TEXT`].
    Text,
}

/// The longest code.
pub const MAX_CODE: usize = 64;
/// The longest name or title.
pub const MAX_NAME: usize = 200;
/// The longest one-line text (and spreadsheet cell).
pub const MAX_LINE: usize = 1_000;
/// The longest text of several lines.
pub const MAX_TEXT: usize = 20_000;

impl Shape {
    pub fn max_chars(self) -> usize {
        match self {
            Shape::Code => MAX_CODE,
            Shape::Name => MAX_NAME,
            Shape::Line => MAX_LINE,
            Shape::Text => MAX_TEXT,
        }
    }

    /// Why `value` cannot be taken as this shape (Chinese, English), if it cannot.
    pub fn problem(self, value: &str) -> Option<(String, String)> {
        let max = self.max_chars();
        // Counting stops past the limit: a 60 MB value costs no more than a long one.
        if value.chars().nth(max).is_some() {
            return Some((format!("不能超过 {max} 个字符"), format!("at most {max} characters")));
        }
        let allowed = |c: char| self == Shape::Text && matches!(c, '\t' | '\n' | '\r');
        if value.chars().any(|c| c.is_control() && !allowed(c)) {
            return Some(if self == Shape::Text {
                ("含有不可见的控制字符".to_owned(), "contains a control character".to_owned())
            } else {
                (
                    "含有换行、制表符等控制字符".to_owned(),
                    "contains a control character (line break, tab…)".to_owned(),
                )
            });
        }
        None
    }
}

/// At most `max` characters of `value`, with `…` if it was longer: a refused value echoed back
/// in a message stays short.
pub fn shorten(value: &str, max: usize) -> String {
    match value.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &value[..at]),
        None => value.to_owned(),
    }
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

    #[test]
    fn shapes_limit_length_and_control_characters() {
        assert_eq!(Shape::Name.problem("洛阳市某某有限公司"), None);
        assert!(Shape::Name.problem(&"名".repeat(MAX_NAME)).is_none());
        assert!(Shape::Name.problem(&"名".repeat(MAX_NAME + 1)).is_some());
        assert!(Shape::Line.problem("a\u{0}b").is_some());
        assert!(Shape::Line.problem("a\nb").is_some());
        assert!(Shape::Text.problem("第一行\r\n第二行\t完").is_none());
        assert!(Shape::Text.problem("a\u{0}b").is_some());
        assert!(Shape::Text.problem("a\u{1b}[31m").is_some());
        assert_eq!(shorten("一二三四", 2), "一二…");
        assert_eq!(shorten("一二", 2), "一二");
    }
}
