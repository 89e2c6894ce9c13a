//! Reading a file into rows numbered as a spreadsheet numbers them.

use crate::Kind;
use calamine::{Data, Reader, Xlsx};
use std::io::{Cursor, Read};
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
    #[error(
        "文件超过 {max} 行，请分批导入或用 suiji import 导入 (the file has more than {max} rows: split it, or use suiji import)"
    )]
    TooManyRows { max: usize },
    #[error("工作簿解压后超过 {max_mib} MiB，不予读取 (the workbook unpacks to more than {max_mib} MiB)")]
    Unpacked { max_mib: u64 },
}

impl ReadError {
    /// The reason in Chinese alone, for a page in Chinese.
    pub fn zh(&self) -> String {
        match self {
            ReadError::Kind(name) => format!("只能导入 .csv 或 .xlsx 文件：{name}"),
            ReadError::Encoding => "文件既不是 UTF-8 也不是 GB18030/GBK 编码".into(),
            ReadError::Utf16 => "UTF-16 编码的文件请另存为 CSV UTF-8".into(),
            ReadError::Csv { row, reason } => format!("第{row}行 CSV 格式错误：{reason}"),
            ReadError::Xlsx(reason) => format!("不是有效的 .xlsx 文件：{reason}"),
            ReadError::NoSheet(name, have) => format!("工作簿中没有名为“{name}”的工作表；现有：{have}"),
            ReadError::Empty => "工作簿中没有工作表".into(),
            ReadError::TooManyRows { max } => format!("文件超过 {max} 行，请分批导入或用 suiji import 导入"),
            ReadError::Unpacked { max_mib } => format!("工作簿解压后超过 {max_mib} MiB，不予读取"),
        }
    }

    /// The reason in English alone.
    pub fn en(&self) -> String {
        match self {
            ReadError::Kind(name) => format!("only .csv and .xlsx files can be imported: {name}"),
            ReadError::Encoding => "the file is neither UTF-8 nor GB18030/GBK text".into(),
            ReadError::Utf16 => "a UTF-16 file: save it as \"CSV UTF-8\" instead".into(),
            ReadError::Csv { row, reason } => format!("row {row}: malformed CSV: {reason}"),
            ReadError::Xlsx(reason) => format!("not a valid .xlsx file: {reason}"),
            ReadError::NoSheet(name, have) => {
                format!("the workbook has no sheet named {name:?}; it has: {have}")
            }
            ReadError::Empty => "the workbook has no sheet".into(),
            ReadError::TooManyRows { max } => {
                format!("the file has more than {max} rows: split it, or use suiji import")
            }
            ReadError::Unpacked { max_mib } => format!("the workbook unpacks to more than {max_mib} MiB"),
        }
    }
}

/// How much of a file is read: a server reading an upload sets both, so that a small file that
/// unpacks into gigabytes (an `.xlsx` is a zip) or a million rows cannot take its memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most rows (blank ones included) a file may have.
    pub max_rows: usize,
    /// The most bytes an `.xlsx` may unpack into, all its parts together.
    pub max_unpacked: u64,
}

impl Limits {
    /// No limit: the command line, run by whoever runs the server, on a file it chose.
    pub const NONE: Limits = Limits { max_rows: usize::MAX, max_unpacked: u64::MAX };
    /// An upload to the web service unless `suiji serve` says otherwise: a county's directory
    /// many times over; a province's million targets go through `suiji import`.
    pub const UPLOAD: Limits = Limits { max_rows: 200_000, max_unpacked: 256 << 20 };
}

/// Reads a file by its name's extension, without limits.
pub fn read(name: &str, bytes: &[u8], sheet: Option<&str>) -> Result<Rows, ReadError> {
    read_limited(name, bytes, sheet, Limits::NONE)
}

/// Reads a file by its name's extension, refusing one over `limits` as soon as it is found to
/// be: an `.xlsx`'s parts are unpacked and counted (not taken at their declared sizes) before
/// anything is parsed, and its rows are read one at a time.
pub fn read_limited(
    name: &str,
    bytes: &[u8],
    sheet: Option<&str>,
    limits: Limits,
) -> Result<Rows, ReadError> {
    let rows = match Kind::of(name) {
        Some(Kind::Csv) => read_csv_limited(bytes, limits.max_rows)?,
        Some(Kind::Xlsx) => {
            check_unpacked(bytes, limits.max_unpacked)?;
            read_xlsx_limited(bytes, sheet, limits.max_rows)?
        }
        None => return Err(ReadError::Kind(name.to_owned())),
    };
    Ok(rows)
}

/// The most parts a workbook may have (a real one has a few dozen).
const MAX_PARTS: usize = 10_000;

/// Unpacks every part of a zip into nothing, counting: more than `max` bytes in all is refused.
fn check_unpacked(bytes: &[u8], max: u64) -> Result<(), ReadError> {
    if max == u64::MAX {
        return Ok(());
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::Xlsx(e.to_string()))?;
    if zip.len() > MAX_PARTS {
        return Err(ReadError::Xlsx(format!("{} parts", zip.len())));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| ReadError::Xlsx(e.to_string()))?;
        let left = max - total;
        let n = std::io::copy(&mut (&mut part).take(left + 1), &mut std::io::sink())
            .map_err(|e| ReadError::Xlsx(e.to_string()))?;
        total += n;
        if total > max {
            return Err(ReadError::Unpacked { max_mib: max >> 20 });
        }
    }
    Ok(())
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
    read_csv_limited(bytes, usize::MAX)
}

fn read_csv_limited(bytes: &[u8], max_rows: usize) -> Result<Rows, ReadError> {
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
        if number > max_rows as u64 {
            return Err(ReadError::TooManyRows { max: max_rows });
        }
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
    read_xlsx_limited(bytes, sheet, usize::MAX)
}

/// Reads a sheet a cell at a time (never the whole sheet as a grid), each row as it ends.
/// A cell sits in the column the sheet gives it: one whose data starts at column C still has
/// its cells under its header.
fn read_xlsx_limited(bytes: &[u8], sheet: Option<&str>, max_rows: usize) -> Result<Rows, ReadError> {
    let xlsx = |e: calamine::XlsxError| ReadError::Xlsx(e.to_string());
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(xlsx)?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) if names.iter().any(|n| n == s) => s.to_owned(),
        Some(s) => return Err(ReadError::NoSheet(s.to_owned(), names.join("、"))),
        None => names.first().cloned().ok_or(ReadError::Empty)?,
    };
    let mut cells = book.worksheet_cells_reader(&name).map_err(xlsx)?;
    let mut rows = Vec::new();
    let mut current: Option<(u32, Vec<String>)> = None;
    while let Some(cell) = cells.next_cell().map_err(xlsx)? {
        let (row, col) = cell.get_position();
        if row as usize >= max_rows {
            return Err(ReadError::TooManyRows { max: max_rows });
        }
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if current.as_ref().is_some_and(|(r, _)| *r != row) {
            let (r, out) = current.take().expect("checked");
            rows.push(RawRow::new(u64::from(r) + 1, out));
        }
        let (_, out) = current.get_or_insert_with(|| (row, Vec::new()));
        if text.is_empty() {
            continue;
        }
        let col = col as usize;
        if out.len() <= col {
            out.resize(col + 1, String::new());
        }
        out[col] = text;
    }
    if let Some((r, out)) = current {
        rows.push(RawRow::new(u64::from(r) + 1, out));
    }
    // A sheet's XML lists rows in order; a hand-made one need not.
    rows.sort_by_key(|r| r.number);
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

#[cfg(test)]
mod limit_tests {
    use super::*;

    /// A workbook written by rust_xlsxwriter: `rows` rows of the same few cells, which a zip
    /// packs to almost nothing (a "decompression bomb" in small).
    fn workbook(rows: u32) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "统一社会信用代码").unwrap();
        sheet.write_string(0, 1, "名称").unwrap();
        for r in 1..rows {
            sheet.write_string(r, 0, "91410307MA0000001X").unwrap();
            sheet.write_string(r, 1, "洛阳某某有限公司洛阳某某有限公司洛阳某某有限公司").unwrap();
        }
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn an_xlsx_over_the_row_limit_is_refused() {
        let bytes = workbook(5_000);
        let limits = Limits { max_rows: 1_000, max_unpacked: 256 << 20 };
        assert!(matches!(
            read_limited("a.xlsx", &bytes, None, limits),
            Err(ReadError::TooManyRows { max: 1_000 })
        ));
        let rows = read_limited("a.xlsx", &bytes, None, Limits { max_rows: 5_000, ..limits }).unwrap();
        assert_eq!(rows.rows.len(), 5_000);
        assert_eq!(rows.rows[4_999].number, 5_000);
    }

    #[test]
    fn an_xlsx_that_unpacks_past_the_limit_is_refused_before_parsing() {
        let bytes = workbook(50_000);
        // Small packed, large unpacked: the limit is on what it unpacks into.
        assert!(bytes.len() < 1 << 20, "{} bytes", bytes.len());
        let limits = Limits { max_rows: usize::MAX, max_unpacked: 1 << 20 };
        assert!(matches!(
            read_limited("a.xlsx", &bytes, None, limits),
            Err(ReadError::Unpacked { max_mib: 1 })
        ));
        assert!(read_limited("a.xlsx", &bytes, None, Limits::UPLOAD).is_ok());
    }

    #[test]
    fn a_csv_over_the_row_limit_is_refused() {
        let text = "a\n".repeat(101);
        let limits = Limits { max_rows: 100, max_unpacked: 0 };
        assert!(matches!(
            read_limited("a.csv", text.as_bytes(), None, limits),
            Err(ReadError::TooManyRows { max: 100 })
        ));
        assert!(read_limited("a.csv", "a\n".repeat(100).as_bytes(), None, limits).is_ok());
    }

    #[test]
    fn cells_stay_in_their_columns_and_rows_keep_their_numbers() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(1, 2, "名称").unwrap();
        sheet.write_string(1, 4, "区划代码").unwrap();
        sheet.write_string(4, 2, "甲").unwrap();
        sheet.write_number(4, 4, 410307).unwrap();
        let rows = read_xlsx(&book.save_to_buffer().unwrap(), None).unwrap();
        let got: Vec<(u64, Vec<&str>)> = rows.rows.iter().map(|r| (r.number, r.cells().collect())).collect();
        assert_eq!(got, [(2, vec!["", "", "名称", "", "区划代码"]), (5, vec!["", "", "甲", "", "410307"])]);
    }
}
