//! A report's tables as a workbook (`.xlsx`): the cover sheet says what the report is and what
//! it was made from, then one sheet per table. A share becomes three numeric columns (the part,
//! the whole, the rate as a percentage) so the figures can be summed and charted again.

use crate::document::{Block, Cell, Report, written_day};
use rust_xlsxwriter::{Format, Workbook};
use std::collections::HashSet;

/// A sheet's name from a caption: at most 31 characters, none of `[]:*?/\`, and unique.
fn sheet_name(caption: &str, n: usize, taken: &mut HashSet<String>) -> String {
    let clean: String = caption.chars().filter(|c| !"[]:*?/\\'".contains(*c)).collect();
    let prefix = format!("{n}.");
    let mut name: String = format!("{prefix}{clean}").chars().take(31).collect();
    while !taken.insert(name.clone()) {
        name = format!("{prefix}{}", taken.len());
    }
    name
}

/// The report's tables as `.xlsx` bytes.
pub fn write(report: &Report) -> Result<Vec<u8>, crate::ReportError> {
    let err = |e: rust_xlsxwriter::XlsxError| crate::ReportError::Write(e.to_string());
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0%");
    let cover = book.add_worksheet();
    cover.set_name("说明").map_err(err)?;
    cover.set_column_width(0, 100).map_err(err)?;
    let lines = [
        report.title.clone(),
        report.subject.clone(),
        format!("{}　{}", report.bureau, written_day(report.made_on)),
        report.basis.sentence(),
    ];
    for (r, line) in lines.iter().enumerate() {
        cover.write_string(r as u32, 0, line).map_err(err)?;
    }
    let mut taken = HashSet::from(["说明".to_owned()]);
    let mut n = 0;
    for section in &report.sections {
        for block in &section.blocks {
            let Block::Table(t) = block else { continue };
            n += 1;
            let sheet = book.add_worksheet();
            sheet.set_name(sheet_name(&t.caption, n, &mut taken)).map_err(err)?;
            sheet
                .write_string_with_format(0, 0, format!("{}　{}", section.heading, t.caption), &bold)
                .map_err(err)?;
            // The head: a share's column becomes its part, its whole and its rate.
            let shares: Vec<bool> = (0..t.head.len())
                .map(|c| t.rows.iter().any(|r| matches!(r.get(c), Some(Cell::Share(_)))))
                .collect();
            let mut col = 0u16;
            for (c, h) in t.head.iter().enumerate() {
                if shares[c] {
                    for suffix in ["（数）", "（基数）", "（比例）"] {
                        sheet.write_string_with_format(1, col, format!("{h}{suffix}"), &bold).map_err(err)?;
                        col += 1;
                    }
                } else {
                    sheet.write_string_with_format(1, col, h, &bold).map_err(err)?;
                    col += 1;
                }
            }
            sheet.set_column_width(0, 28).map_err(err)?;
            for (r, row) in t.rows.iter().enumerate() {
                let r = r as u32 + 2;
                let mut col = 0u16;
                for (c, cell) in row.iter().enumerate() {
                    match cell {
                        Cell::Text(s) | Cell::Code(s) => {
                            sheet.write_string(r, col, s).map(|_| ()).map_err(err)?
                        }
                        Cell::Count(v) => sheet.write_number(r, col, *v as f64).map(|_| ()).map_err(err)?,
                        Cell::Days(d) => {
                            if let Some(d) = d {
                                sheet.write_number(r, col, *d as f64).map_err(err)?;
                            }
                        }
                        Cell::Rate(s) => {
                            if let Some(bp) = s.rate_bp {
                                sheet
                                    .write_number_with_format(r, col, f64::from(bp) / 10_000.0, &percent)
                                    .map_err(err)?;
                            }
                        }
                        Cell::Share(s) => {
                            sheet.write_number(r, col, s.part as f64).map_err(err)?;
                            sheet.write_number(r, col + 1, s.whole as f64).map_err(err)?;
                            if let Some(bp) = s.rate_bp {
                                sheet
                                    .write_number_with_format(r, col + 2, f64::from(bp) / 10_000.0, &percent)
                                    .map_err(err)?;
                            }
                        }
                    }
                    col += if shares.get(c).copied().unwrap_or(false) { 3 } else { 1 };
                }
            }
            if let Some(note) = &t.note {
                sheet.write_string(t.rows.len() as u32 + 3, 0, note).map_err(err)?;
            }
        }
    }
    book.save_to_buffer().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_fit_and_differ() {
        let mut taken = HashSet::new();
        let a = sheet_name("问题发现率（按检查事项：不符合规定 / 已检查）", 1, &mut taken);
        assert!(a.chars().count() <= 31 && !a.contains('/') && !a.contains(':'), "{a}");
        let b = sheet_name("问题发现率（按检查事项：不符合规定 / 已检查）", 1, &mut taken);
        assert_ne!(a, b);
    }
}
