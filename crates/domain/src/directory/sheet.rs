//! A list as people hand it in: rows of cells with a header row, read from CSV or Excel.
//!
//! The header may be in Chinese or English; blank rows are skipped; a notes row right under
//! the header (the one our templates carry, its first cell starting with “说明”) is skipped.
//! Rows keep the number a spreadsheet shows, so that a report points at the right line.

use super::{Cells, Column, ListKind, Record};
use crate::codes::Codes;
use crate::text;
use std::fmt;

/// One row of a file, numbered as a spreadsheet numbers it (the first row is 1).
///
/// The cells' text is held end to end in one string: a million-row file is then two
/// allocations a row, not one a cell (twelve million for a targets file, a third of the time
/// it took to read one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    pub number: u64,
    text: String,
    /// Where each cell ends in `text` (and the next begins).
    ends: Vec<u32>,
}

impl RawRow {
    pub fn new<S: AsRef<str>>(number: u64, cells: impl IntoIterator<Item = S>) -> RawRow {
        let mut row = RawRow { number, text: String::new(), ends: Vec::new() };
        for cell in cells {
            row.text.push_str(cell.as_ref());
            row.ends.push(u32::try_from(row.text.len()).expect("a row under 4 GiB"));
        }
        row
    }

    /// Cell `i`, when the row has that many.
    pub fn cell(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        Some(&self.text[start..end])
    }

    /// The cells in order.
    pub fn cells(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.ends.len()).map(|i| self.cell(i).expect("within the row"))
    }

    fn is_blank(&self) -> bool {
        self.cells().all(|c| text::trim(c).is_empty())
    }
}

/// A reason a file, or one of its cells, cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The spreadsheet row number; `None` for the file as a whole.
    pub row: Option<u64>,
    /// The column's header as the file writes it (or its Chinese name when the file lacks it).
    pub column: String,
    pub value: String,
    pub zh: String,
    pub en: String,
}

impl Problem {
    /// The headers of a problem report (`--report`, the web's report download).
    pub const REPORT_HEADERS: [&'static str; 5] = ["行号", "列", "值", "原因", "reason"];

    /// The problem as a report row, under [`Problem::REPORT_HEADERS`].
    pub fn report_row(&self) -> Vec<String> {
        vec![
            self.row.map_or(String::new(), |r| r.to_string()),
            self.column.clone(),
            self.value.clone(),
            self.zh.clone(),
            self.en.clone(),
        ]
    }

    pub fn file(zh: impl Into<String>, en: impl Into<String>) -> Problem {
        Problem { row: None, column: String::new(), value: String::new(), zh: zh.into(), en: en.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(row) = self.row {
            write!(f, "第{row}行 row {row}: ")?;
        }
        if !self.column.is_empty() {
            write!(f, "{} ", self.column)?;
        }
        if !self.value.is_empty() {
            write!(f, "“{}” ", self.value)?;
        }
        write!(f, "{} ({})", self.zh, self.en)
    }
}

/// Header cells that are not data and are passed over: a row number column.
const IGNORED_HEADERS: &[&str] = &["序号", "no", "no.", "#"];

/// A file's rows under a recognised header.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub list: ListKind,
    /// The header cells as the file writes them.
    pub headers: Vec<String>,
    /// The column of each header cell; `None` for a column that is passed over.
    pub columns: Vec<Option<&'static Column>>,
    /// The data rows, blank ones and the notes row left out.
    pub rows: Vec<RawRow>,
}

impl Sheet {
    /// Finds the header (the first row that is not blank) and checks it: every header known,
    /// none twice, the key columns present.
    pub fn new(list: ListKind, rows: impl IntoIterator<Item = RawRow>) -> Result<Sheet, Vec<Problem>> {
        let mut rows = rows.into_iter().filter(|r| !r.is_blank());
        let Some(header) = rows.next() else {
            return Err(vec![Problem::file("文件为空，没有表头", "the file is empty: no header row")]);
        };
        let mut problems = Vec::new();
        let mut columns: Vec<Option<&'static Column>> = Vec::new();
        for cell in header.cells() {
            let name = text::trim(cell);
            let column = list.column(name);
            let ignored = name.is_empty() || IGNORED_HEADERS.contains(&name.to_lowercase().as_str());
            if column.is_none() && !ignored {
                let known: Vec<&str> = list.columns().iter().map(|c| c.zh).collect();
                let english: Vec<&str> = list.columns().iter().map(|c| c.name).collect();
                problems.push(Problem {
                    row: Some(header.number),
                    column: name.to_owned(),
                    value: String::new(),
                    zh: format!("不认识的表头；{}的表头为：{}", list.zh(), known.join("、")),
                    en: format!("unknown header; the {} headers are: {}", list.name(), english.join(", ")),
                });
            }
            if let Some(c) = column.filter(|c| columns.contains(&Some(*c))) {
                problems.push(Problem {
                    row: Some(header.number),
                    column: name.to_owned(),
                    value: String::new(),
                    zh: format!("表头重复（“{}”出现两次）", c.zh),
                    en: format!("the column {} appears twice", c.name),
                });
            }
            columns.push(column);
        }
        for key in list.key_columns() {
            if !columns.iter().any(|c| c.is_some_and(|c| c.name == *key)) {
                let c = list.columns().iter().find(|c| c.name == *key).expect("key columns are columns");
                problems.push(Problem {
                    row: Some(header.number),
                    column: c.zh.to_owned(),
                    value: String::new(),
                    zh: format!("缺少必需的列“{}”", c.zh),
                    en: format!("the required column {} is missing", c.name),
                });
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut rows: Vec<RawRow> = rows.collect();
        if rows.first().is_some_and(|r| r.cell(0).is_some_and(|c| text::trim(c).starts_with("说明"))) {
            rows.remove(0);
        }
        let headers = header.cells().map(|c| text::trim(c).to_owned()).collect();
        Ok(Sheet { list, headers, columns, rows })
    }

    /// Where the file has a column (by code name).
    fn position(&self, column: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.is_some_and(|c| c.name == column))
    }

    /// The file's header for a column, or its Chinese name when the file lacks it.
    pub fn header_of(&self, column: &str) -> String {
        match self.position(column) {
            Some(i) => self.headers[i].clone(),
            None => self.list.columns().iter().find(|c| c.name == column).map_or(column, |c| c.zh).to_owned(),
        }
    }

    /// Cells beyond the header that hold something: a row longer than its header.
    pub fn overflow(&self, row: &RawRow) -> Option<Problem> {
        let extra = row.cells().skip(self.headers.len()).position(|c| !text::trim(c).is_empty())?;
        let value = text::trim(row.cell(self.headers.len() + extra)?).to_owned();
        Some(Problem {
            row: Some(row.number),
            column: format!("第{}列", self.headers.len() + extra + 1),
            value,
            zh: "该行的内容超出表头的列".into(),
            en: "the row has more cells than the header".into(),
        })
    }

    /// Where each of the list's columns is in the file.
    pub fn positions(&self) -> Vec<Option<usize>> {
        self.list.columns().iter().map(|col| self.position(col.name)).collect()
    }

    /// The row's key as records write it (codes upper-cased, half-width, trimmed), joined by `|`.
    pub fn key(&self, positions: &[Option<usize>], row: &RawRow) -> String {
        let columns = self.list.columns();
        let mut key = String::new();
        for (n, name) in self.list.key_columns().iter().enumerate() {
            let i = columns.iter().position(|c| c.name == *name).expect("key columns are columns");
            let cell = positions[i].and_then(|p| row.cell(p)).unwrap_or("");
            if n > 0 {
                key.push('|');
            }
            key.push_str(&text::code(cell));
        }
        key
    }

    /// Parses a row into a record. For a record already stored, a column the file does not
    /// have keeps the stored value; for a new one it takes its default.
    pub fn parse<R: Record>(
        &self,
        positions: &[Option<usize>],
        row: &RawRow,
        stored: Option<&R>,
        codes: &Codes,
    ) -> Result<R, Vec<Problem>> {
        let stored_cells = stored.map(Record::cells);
        let cells = positions
            .iter()
            .enumerate()
            .map(|(i, p)| match (p, &stored_cells) {
                (Some(p), _) => Some(row.cell(*p).unwrap_or("")),
                (None, Some(s)) => Some(s[i].as_str()),
                (None, None) => None,
            })
            .collect();
        R::parse(&Merged { list: self.list, cells }, codes).map_err(|errors| {
            errors
                .into_iter()
                .map(|e| Problem {
                    row: Some(row.number),
                    column: self.header_of(e.column),
                    value: e.value,
                    zh: e.zh,
                    en: e.en,
                })
                .collect()
        })
    }
}

/// A row's cells in list column order; `None` where neither the file nor the stored record
/// gives the column.
struct Merged<'a> {
    list: ListKind,
    cells: Vec<Option<&'a str>>,
}

impl Cells for Merged<'_> {
    fn get(&self, column: &str) -> Option<&str> {
        let i = self.list.columns().iter().position(|c| c.name == column)?;
        self.cells[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(rows: &[&[&str]]) -> Vec<RawRow> {
        rows.iter().enumerate().map(|(i, r)| RawRow::new(i as u64 + 1, r.iter())).collect()
    }

    #[test]
    fn headers_in_either_language_notes_and_blank_rows_skipped() {
        let sheet = Sheet::new(
            ListKind::Targets,
            rows(&[
                &["", ""],
                &["序号", "统一社会信用代码", " Name "],
                &["说明：18位", "", ""],
                &["1", "91350100M000100Y43", "甲"],
                &["", " ", ""],
                &["2", "91110000600037341L", "乙"],
            ]),
        )
        .unwrap();
        assert_eq!(sheet.rows.iter().map(|r| r.number).collect::<Vec<_>>(), [4, 6]);
        assert_eq!(
            sheet.columns.iter().map(|c| c.map(|c| c.name)).collect::<Vec<_>>(),
            [None, Some("uscc"), Some("name")]
        );
        assert_eq!(sheet.header_of("name"), "Name");
        assert_eq!(sheet.header_of("region"), "区划代码");
    }

    #[test]
    fn header_problems_are_all_reported() {
        let problems = Sheet::new(ListKind::Inspectors, rows(&[&["姓名", "单位名", "姓名"]])).unwrap_err();
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(problems.len(), 3, "{text:#?}");
        assert!(text[0].starts_with("第1行 row 1: 单位名 不认识的表头"), "{}", text[0]);
        assert!(text[1].contains("表头重复"), "{}", text[1]);
        assert!(text[2].contains("缺少必需的列“执法证号”"), "{}", text[2]);
        assert!(Sheet::new(ListKind::Items, Vec::new()).is_err());
    }

    /// Issue 13: what goes into a draw's published files cannot begin with a formula sign,
    /// and no cell is longer than a line's limit (a refused value is echoed shortened).
    #[test]
    fn codes_and_published_labels_refuse_formula_signs_and_long_text() {
        let long = "名".repeat(crate::text::MAX_LINE + 1);
        let sheet = Sheet::new(
            ListKind::Inspectors,
            rows(&[
                &["执法证号", "姓名", "单位"],
                &["=1+1", "张三", "劳动保障监察大队"],
                &["豫0001", "李四", "@SUM(A1)"],
                &["豫0002", &long, "社会保险科"],
                &["-0003", "王五", "社会保险科"],
                &["豫0004", "赵六", "社会保险科"],
            ]),
        )
        .unwrap();
        let positions = sheet.positions();
        let parsed: Vec<_> = sheet
            .rows
            .iter()
            .map(|row| {
                sheet.parse::<crate::directory::Inspector>(
                    &positions,
                    row,
                    None,
                    crate::codes::Codes::builtin(),
                )
            })
            .collect();
        assert!(parsed[..4].iter().all(Result::is_err), "{parsed:?}");
        assert!(parsed[4].is_ok());
        let echoed = &parsed[2].as_ref().unwrap_err()[0].value;
        assert!(echoed.chars().count() <= 101, "{}", echoed.chars().count());
    }
}
