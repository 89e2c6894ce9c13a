//! CSV formula injection (OWASP "CSV Injection"): a spreadsheet opening a CSV file runs a cell
//! that begins with `=`, `+`, `-` or `@` as a formula, and a leading tab or carriage return can
//! hide such a sign. Every CSV suiji writes puts a `'` before such a cell, so Excel and WPS show
//! it as text; a cell that already begins with `'` gets one more, so that reading our own file
//! back ([`unguard`], in every CSV import) gives exactly what was written. `.xlsx` needs none of
//! this: its cells are written as strings.

fn needs_guard(cell: &str) -> bool {
    suiji_domain::text::starts_like_formula(cell) || cell.starts_with('\'')
}

/// The cell as it goes into a CSV file.
pub fn guard(cell: &str) -> std::borrow::Cow<'_, str> {
    if needs_guard(cell) { format!("'{cell}").into() } else { cell.into() }
}

/// The cell as it came out of [`guard`]: a `'` before a formula sign (or another `'`) is
/// dropped. A person's own CSV has no such `'`: a spreadsheet saves the text it shows.
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_signs_are_guarded_and_read_back_exactly() {
        for (cell, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("'quoted", "''quoted"),
            ("''", "'''"),
            ("'", "''"),
            ("洛阳市某公司", "洛阳市某公司"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(guard(cell), written, "{cell:?}");
            assert_eq!(unguard(&guard(cell)), cell, "{cell:?}");
        }
    }
}
