//! Writing a list: a header row, an optional notes row, then records.

use rust_xlsxwriter::{Format as CellFormat, Workbook, XlsxError};
use thiserror::Error;

/// The format of a written file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

#[derive(Debug, Error)]
pub enum WriteError {
    #[error(
        "{0} 条记录超出 .xlsx 工作表的行数上限，请导出为 CSV ({0} records do not fit in an .xlsx sheet; export CSV instead)"
    )]
    TooManyRows(usize),
    #[error("cannot write the .xlsx file: {0}")]
    Xlsx(#[from] XlsxError),
    #[error("cannot write the CSV file: {0}")]
    Csv(#[from] csv::Error),
}

/// The most rows an `.xlsx` sheet holds.
const XLSX_ROWS: usize = 1_048_576;

/// Writes `headers`, then `notes` (a row explaining each column, for templates), then `rows`.
/// `required` marks the headers that must be filled in (bold red in `.xlsx`).
pub fn write(
    format: Format,
    headers: &[&str],
    required: &[bool],
    notes: Option<&[String]>,
    rows: &[Vec<String>],
) -> Result<Vec<u8>, WriteError> {
    match format {
        Format::Csv => csv(headers, notes, rows),
        Format::Xlsx => xlsx(headers, required, notes, rows),
    }
}

fn csv(headers: &[&str], notes: Option<&[String]>, rows: &[Vec<String>]) -> Result<Vec<u8>, WriteError> {
    // A BOM, so that Excel on Chinese Windows reads the file as UTF-8.
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        // Every cell guarded against formula injection (see `formula`), headers too.
        w.write_record(headers.iter().map(|h| crate::formula::guard(h).into_owned()))?;
        if let Some(notes) = notes {
            w.write_record(notes.iter().map(|n| crate::formula::guard(n).into_owned()))?;
        }
        for row in rows {
            w.write_record(row.iter().map(|c| crate::formula::guard(c).into_owned()))?;
        }
        w.flush().map_err(csv::Error::from)?;
    }
    Ok(out)
}

fn xlsx(
    headers: &[&str],
    required: &[bool],
    notes: Option<&[String]>,
    rows: &[Vec<String>],
) -> Result<Vec<u8>, WriteError> {
    let lines = 1 + usize::from(notes.is_some()) + rows.len();
    if lines > XLSX_ROWS {
        return Err(WriteError::TooManyRows(rows.len()));
    }
    let mut book = Workbook::new();
    // Constant memory: rows go to disk as they are written, so a big export stays small.
    let sheet = book.add_worksheet_with_constant_memory()?;
    let header = CellFormat::new().set_bold();
    let must = CellFormat::new().set_bold().set_font_color("#C00000");
    let note = CellFormat::new().set_italic().set_font_color("#595959").set_text_wrap();
    let text = CellFormat::new().set_num_format("@");
    for (c, h) in headers.iter().enumerate() {
        let format = if required.get(c).copied().unwrap_or(false) { &must } else { &header };
        sheet.write_string_with_format(0, c as u16, *h, format)?;
        sheet.set_column_width(c as u16, (h.chars().count() as f64 * 2.2).max(12.0))?;
        sheet.set_column_format(c as u16, &text)?;
    }
    let mut r = 1u32;
    if let Some(notes) = notes {
        for (c, n) in notes.iter().enumerate() {
            sheet.write_string_with_format(r, c as u16, n, &note)?;
        }
        r += 1;
    }
    for row in rows {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(r, c as u16, v)?;
            }
        }
        r += 1;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{read_csv, read_xlsx};

    #[test]
    fn both_formats_read_back_what_was_written() {
        let rows = vec![vec!["410307".to_owned(), "洛阳，\"甲\"公司".to_owned(), String::new()]];
        let notes = vec!["说明：六位".to_owned(), String::new(), String::new()];
        for format in [Format::Csv, Format::Xlsx] {
            let bytes =
                write(format, &["区划代码", "名称", "地址"], &[true, true, false], Some(&notes), &rows)
                    .unwrap();
            let back = match format {
                Format::Csv => read_csv(&bytes).unwrap(),
                Format::Xlsx => read_xlsx(&bytes, None).unwrap(),
            };
            let cells: Vec<Vec<String>> =
                back.rows.iter().map(|r| r.cells().map(str::to_owned).collect()).collect();
            assert_eq!(cells[0], ["区划代码", "名称", "地址"], "{format:?}");
            assert_eq!(cells[1][0], "说明：六位", "{format:?}");
            assert_eq!(cells[2][..2], rows[0][..2], "{format:?}");
            assert_eq!(back.rows[2].number, 3);
        }
    }
}
