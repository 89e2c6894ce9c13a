//! Reading a file into rows numbered as a spreadsheet numbers them.

use crate::Kind;
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;
use suiji_domain::directory::RawRow;
use thiserror::Error;

/// The text encoding a CSV file turned out to have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Gb18030,
}

/// A file's rows, and how it was read.
#[derive(Debug, Clone)]
pub struct Rows {
    pub rows: Vec<RawRow>,
    /// For a CSV file; `None` for `.xlsx`.
    pub encoding: Option<Encoding>,
}

/// Why a file cannot be read at all (a problem with one cell is the import's business).
#[derive(Debug, Error)]
pub enum ReadError {
    #[error("只能导入 .csv 或 .xlsx 文件 (only .csv and .xlsx files can be imported): {0}")]
    Kind(String),
    #[error("文件既不是 UTF-8 也不是 GB18030/GBK 编码 (the file is neither UTF-8 nor GB18030/GBK text)")]
    Encoding,
    #[error("UTF-16 编码的文件请另存为 CSV UTF-8 (a UTF-16 file: save it as \"CSV UTF-8\" instead)")]
    Utf16,
    #[error("第{row}行 CSV 格式错误 (row {row}: malformed CSV): {reason}")]
    Csv { row: u64, reason: String },
    #[error("不是有效的 .xlsx 文件 (not a valid .xlsx file): {0}")]
    Xlsx(String),
    #[error("工作簿中没有名为“{0}”的工作表 (the workbook has no sheet named {0:?}); 现有 (it has): {1}")]
    NoSheet(String, String),
    #[error("工作簿中没有工作表 (the workbook has no sheet)")]
    Empty,
}

/// Reads a file by its name's extension.
pub fn read(name: &str, bytes: &[u8], sheet: Option<&str>) -> Result<Rows, ReadError> {
    match Kind::of(name) {
        Some(Kind::Csv) => read_csv(bytes),
        Some(Kind::Xlsx) => read_xlsx(bytes, sheet),
        None => Err(ReadError::Kind(name.to_owned())),
    }
}

/// Decodes CSV bytes: a UTF-8 BOM, else valid UTF-8, else GB18030 (a superset of GBK and
/// GB2312). GB18030 decodes almost any bytes, so it is tried last and only accepted whole.
fn decode(bytes: &[u8]) -> Result<(std::borrow::Cow<'_, str>, Encoding), ReadError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let text = std::str::from_utf8(rest).map_err(|_| ReadError::Encoding)?;
        return Ok((text.into(), Encoding::Utf8Bom));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(ReadError::Utf16);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.into(), Encoding::Utf8));
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(ReadError::Encoding);
    }
    Ok((text, Encoding::Gb18030))
}

/// Reads CSV. Row numbers count every line a spreadsheet would show, blank ones included,
/// and a quoted cell's line breaks do not start new rows.
pub fn read_csv(bytes: &[u8]) -> Result<Rows, ReadError> {
    let (text, encoding) = decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let bytes = text.as_bytes();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    // The row number of the last record, where its content starts, and the line breaks
    // inside its quoted cells: the rows between two records are the line breaks between
    // their starts, less those inside the first.
    let (mut number, mut start, mut inside) = (1u64, 0usize, 0u64);
    loop {
        let read = reader.read_record(&mut record).map_err(|e| {
            let at = e.position().map_or(bytes.len(), |p| p.byte() as usize);
            ReadError::Csv {
                row: number + line_breaks(&bytes[start..at.max(start)]).saturating_sub(inside),
                reason: e.to_string(),
            }
        })?;
        if !read {
            break;
        }
        // The reader's position for a record lies before the blank lines that precede it.
        let mut content = record.position().map_or(start, |p| p.byte() as usize);
        while content < bytes.len() && matches!(bytes[content], b'\r' | b'\n') {
            content += 1;
        }
        number = if rows.is_empty() {
            1 + line_breaks(&bytes[..content])
        } else {
            number + line_breaks(&bytes[start..content]) - inside
        };
        start = content;
        inside = record.iter().map(|c| line_breaks(c.as_bytes())).sum();
        // A cell guarded against formula injection by our own export is read as written.
        rows.push(RawRow::new(number, record.iter().map(crate::formula::unguard)));
    }
    Ok(Rows { rows, encoding: Some(encoding) })
}

fn line_breaks(text: &[u8]) -> u64 {
    text.iter().filter(|&&b| b == b'\n').count() as u64
}

/// Reads the named sheet of a workbook, or its first.
pub fn read_xlsx(bytes: &[u8], sheet: Option<&str>) -> Result<Rows, ReadError> {
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| ReadError::Xlsx(e.to_string()))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) if names.iter().any(|n| n == s) => s.to_owned(),
        Some(s) => return Err(ReadError::NoSheet(s.to_owned(), names.join("、"))),
        None => names.first().cloned().ok_or(ReadError::Empty)?,
    };
    let range = book.worksheet_range(&name).map_err(|e| ReadError::Xlsx(e.to_string()))?;
    let Some((first_row, first_col)) = range.start() else {
        return Ok(Rows { rows: Vec::new(), encoding: None });
    };
    // A sheet whose data starts at column C still has its cells under its header.
    let pad = first_col as usize;
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut out = vec![String::new(); pad];
            out.extend(cells.iter().map(cell_text));
            RawRow::new(u64::from(first_row) + i as u64 + 1, out)
        })
        .collect();
    Ok(Rows { rows, encoding: None })
}

/// A cell as the text a person sees: whole numbers without `.0`, dates as `YYYY-MM-DD`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(d) => match d.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.date().to_string(),
            Some(t) => t.to_string(),
            None => d.as_f64().to_string(),
        },
        Data::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(rows: &Rows) -> Vec<(u64, Vec<&str>)> {
        rows.rows.iter().map(|r| (r.number, r.cells().collect())).collect()
    }

    #[test]
    fn csv_rows_are_numbered_as_a_spreadsheet_shows_them() {
        let text = "a,b\r\n\r\n1,\"x\r\ny\"\r\n\n2,z\n";
        let rows = read_csv(text.as_bytes()).unwrap();
        assert_eq!(numbered(&rows), [(1, vec!["a", "b"]), (3, vec!["1", "x\r\ny"]), (5, vec!["2", "z"])]);
        assert_eq!(rows.encoding, Some(Encoding::Utf8));
    }

    #[test]
    fn encodings_are_told_apart() {
        let (gbk, _, _) = encoding_rs::GBK.encode("名称,区划代码\n洛阳市某公司,410307\n");
        let rows = read_csv(&gbk).unwrap();
        assert_eq!(rows.encoding, Some(Encoding::Gb18030));
        assert_eq!(rows.rows[1].cells().collect::<Vec<_>>(), ["洛阳市某公司", "410307"]);
        let bom = "\u{feff}名称\n甲\n".as_bytes();
        let rows = read_csv(bom).unwrap();
        assert_eq!((rows.encoding, rows.rows[0].cell(0).unwrap()), (Some(Encoding::Utf8Bom), "名称"));
        assert!(matches!(read_csv(b"\xFF\xFEa\x00"), Err(ReadError::Utf16)));
        assert!(matches!(read_csv(b"\x81\x20\xff\xff"), Err(ReadError::Encoding)));
    }

    #[test]
    fn a_broken_quote_names_its_row() {
        let err = read_csv(b"a,b\n1,\"x\"y\n").map(|r| r.rows.len());
        // The csv crate is lenient with stray quotes; either way nothing panics.
        assert!(err.is_ok() || matches!(err, Err(ReadError::Csv { .. })));
    }
}
