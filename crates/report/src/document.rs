//! A report as content: a title, what it was made from, and sections of text and tables. The
//! same content is written as `.docx` ([crate::docx]), as `.xlsx` ([crate::xlsx]) and as HTML
//! to print (the web crate's template), so the three never say different things.

use chrono::NaiveDate;
use serde::Serialize;
use suiji_domain::stats::Share;

/// A report, ready to be written in any format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// 任务总结报告 / 年度“双随机、一公开”工作总结.
    pub title: String,
    /// What it is about: the task's code and title, or the year.
    pub subject: String,
    /// The bureau (主办单位).
    pub bureau: String,
    /// The day it was made (China's date).
    pub made_on: NaiveDate,
    /// The audit log it was made from.
    pub basis: Basis,
    pub sections: Vec<Section>,
}

/// The audit log as it stood when the report was made: its last entry, and the newest signed
/// checkpoint. The same figures made again from a log with the same head are the same figures;
/// a later head says what changed since (the audit page lists it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Basis {
    pub seq: i64,
    pub hash: String,
    /// The newest signed checkpoint: how many entries it covers and when it was signed.
    pub checkpoint: Option<(u64, String)>,
}

impl Basis {
    /// The sentence every report ends its front matter with.
    pub fn sentence(&self) -> String {
        let short = &self.hash[..self.hash.len().min(16)];
        let checkpoint = match &self.checkpoint {
            Some((size, time)) => format!("最近一次签名检查点覆盖第 1 至 {size} 条（签署于 {time}）"),
            None => "尚无签名检查点".to_owned(),
        };
        format!(
            "本报告依据审计日志截至第 {} 条记录（链头哈希 {short}…）时的数据生成；{checkpoint}。在同一链头下重新生成，数字相同。",
            self.seq
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub heading: String,
    pub blocks: Vec<Block>,
}

impl Section {
    pub fn new(heading: impl Into<String>) -> Section {
        Section { heading: heading.into(), blocks: Vec::new() }
    }

    pub fn text(mut self, text: impl Into<String>) -> Section {
        self.blocks.push(Block::Text(text.into()));
        self
    }

    /// A place for the staff to write in (the narrative the figures cannot give).
    pub fn blank(mut self, what: impl Into<String>) -> Section {
        self.blocks.push(Block::Blank(what.into()));
        self
    }

    pub fn table(mut self, table: Table) -> Section {
        self.blocks.push(Block::Table(table));
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Block {
    Text(String),
    /// 【请填写：…】 — left for the staff.
    Blank(String),
    Table(Table),
}

/// A table with a caption; a share column may be drawn as bars beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    pub caption: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// The column whose shares are drawn as bars (a chart beside the numbers), if any.
    pub chart: Option<usize>,
    /// Said under the table (rows left out, what a figure means).
    pub note: Option<String>,
}

impl Table {
    pub fn new(caption: impl Into<String>, head: &[&str]) -> Table {
        Table {
            caption: caption.into(),
            head: head.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
            chart: None,
            note: None,
        }
    }

    pub fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }

    /// Draws column `column`'s shares as bars.
    pub fn charted(mut self, column: usize) -> Table {
        self.chart = Some(column);
        self
    }

    pub fn noted(mut self, note: impl Into<String>) -> Table {
        self.note = Some(note.into());
        self
    }

    /// The share drawn for `row`, if the table has a chart.
    pub fn bar(&self, row: &[Cell]) -> Option<Share> {
        match row.get(self.chart?) {
            Some(Cell::Share(s)) => Some(*s),
            _ => None,
        }
    }
}

/// One cell: text, a count, a share ("3 / 5（60%）" in print, its parts in a spreadsheet), or
/// a number of days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Cell {
    Text(String),
    /// A code people copy (a USCC, a certificate number): kept on one line.
    Code(String),
    Count(u64),
    Share(Share),
    /// A rate alone (the part and whole are in other columns).
    Rate(Share),
    Days(Option<i64>),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// How the cell reads on paper.
    pub fn written(&self) -> String {
        match self {
            Cell::Text(s) | Cell::Code(s) => s.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Share(s) => format!("{} / {}（{}）", s.part, s.whole, s.percent()),
            Cell::Rate(s) => s.percent(),
            Cell::Days(d) => d.map_or_else(|| "—".to_owned(), |d| d.to_string()),
        }
    }

    /// Whether the cell holds a number (right-aligned in print).
    pub fn numeric(&self) -> bool {
        !matches!(self, Cell::Text(_) | Cell::Code(_))
    }

    /// Whether the cell is kept on one line in print: a number, a code, a word or two.
    pub fn unbroken(&self) -> bool {
        match self {
            Cell::Text(s) => s.chars().count() <= 6,
            _ => true,
        }
    }
}

/// A bar of `share` as text, for a document without drawings: ten cells, filled to the rate.
pub fn text_bar(share: &Share) -> String {
    let tenths = share.rate_bp.map_or(0, |bp| ((bp + 500) / 1000).min(10)) as usize;
    format!("{}{}", "■".repeat(tenths), "□".repeat(10 - tenths))
}

/// A day as written in Chinese documents: 2026年12月7日.
pub fn written_day(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_as_on_paper() {
        assert_eq!(Cell::Share(Share::new(3, 5)).written(), "3 / 5（60%）");
        assert_eq!(Cell::Rate(Share::new(1, 8)).written(), "12.5%");
        assert_eq!(Cell::Days(None).written(), "—");
        assert_eq!(text_bar(&Share::new(3, 5)), "■■■■■■□□□□");
        assert_eq!(text_bar(&Share::new(0, 0)), "□□□□□□□□□□");
        assert_eq!(text_bar(&Share::new(1, 1)), "■■■■■■■■■■");
    }

    #[test]
    fn the_basis_is_stated() {
        let b = Basis { seq: 42, hash: "ab".repeat(32), checkpoint: None };
        assert!(b.sentence().contains("第 42 条") && b.sentence().contains("abababababababab…"));
    }
}
