//! A CSV table with named columns: the header is matched to the columns a file kind takes, and
//! each data row is handed over with its row number.

use super::{InputError, TextFile};
use csv::{ByteRecord, ReaderBuilder};

/// The columns of a kind of file. Names are matched case-insensitively, ignoring outer spaces.
pub struct Columns {
    pub required: &'static [&'static str],
    pub optional: &'static [&'static str],
}

impl Columns {
    fn all(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.required.iter().chain(self.optional).copied()
    }

    /// How a header should read, for messages.
    pub fn expected_header(&self) -> String {
        self.all().collect::<Vec<_>>().join(",")
    }
}

/// One data row: its row number and its fields in [`Columns`] order (`None`: column absent).
pub struct Row<'a> {
    pub number: u64,
    pub fields: Vec<Option<&'a str>>,
}

/// Where each of the [`Columns`] is in the file, from its header line.
pub struct Header {
    positions: Vec<Option<usize>>,
    width: usize,
}

impl Header {
    /// Matches the header's cells to `columns`.
    pub fn parse<'c>(
        file: &TextFile,
        cells: impl Iterator<Item = &'c [u8]>,
        columns: &Columns,
    ) -> Result<Header, InputError> {
        let names: Vec<String> = cells.map(|f| String::from_utf8_lossy(f).trim().to_lowercase()).collect();
        let expected = columns.expected_header();
        for (i, name) in names.iter().enumerate() {
            if !columns.all().any(|c| c == name) {
                let shown = if name.is_empty() { "(empty)".to_owned() } else { format!("{name:?}") };
                return Err(InputError::row(
                    &file.name,
                    1,
                    None,
                    format!("unknown column {shown} (column {}); the header is {expected}", i + 1),
                ));
            }
            if names[..i].contains(name) {
                return Err(InputError::row(&file.name, 1, None, format!("column {name:?} appears twice")));
            }
        }
        let positions: Vec<Option<usize>> =
            columns.all().map(|c| names.iter().position(|n| n == c)).collect();
        if let Some(missing) = columns.required.iter().zip(&positions).find(|(_, p)| p.is_none()) {
            return Err(InputError::row(
                &file.name,
                1,
                None,
                format!("the header has no {:?} column; it is {expected}", missing.0),
            ));
        }
        Ok(Header { positions, width: names.len() })
    }

    /// How many cells each row must have.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Which cell of a row holds the `i`-th of the [`Columns`], when the file has it.
    pub fn position(&self, i: usize) -> Option<usize> {
        self.positions[i]
    }

    /// The message for a row with the wrong number of cells.
    pub fn width_error(&self, file: &TextFile, line: u64, found: usize) -> InputError {
        InputError::row(&file.name, line, None, format!("has {found} fields, the header has {}", self.width))
    }

    /// The fields of `record` in column order; `line` is its row number.
    pub fn fields<'r>(
        &self,
        file: &TextFile,
        record: &'r ByteRecord,
        line: u64,
    ) -> Result<Row<'r>, InputError> {
        if record.len() != self.width {
            return Err(self.width_error(file, line, record.len()));
        }
        let fields = self
            .positions
            .iter()
            .map(|p| p.map(|i| std::str::from_utf8(&record[i]).expect("the file was checked to be UTF-8")))
            .collect();
        Ok(Row { number: line, fields })
    }
}

/// Counts rows as a spreadsheet does. The csv crate's own line numbers are not that: a record
/// after a CRLF or a blank line is placed where reading it began, rows earlier.
struct RowCounter<'t> {
    text: &'t [u8],
    counted_to: usize,
    row: u64,
}

impl RowCounter<'_> {
    /// The row of the record whose reading began at byte `at`: its first byte is the first one
    /// after any line ends there.
    fn row_at(&mut self, at: u64) -> u64 {
        let mut start = (at as usize).min(self.text.len());
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.counted_to {
            self.row += memchr::memchr_iter(b'\n', &self.text[self.counted_to..start]).count() as u64;
            self.counted_to = start;
        }
        self.row
    }
}

/// Reads every data row of `file` into `each`. An empty file or one without the header is an
/// error; blank lines are skipped.
pub fn read_rows(
    file: &TextFile,
    columns: &Columns,
    mut each: impl FnMut(Row<'_>) -> Result<(), InputError>,
) -> Result<(), InputError> {
    let text = file.text().as_bytes();
    let mut reader = ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text);
    let mut rows = RowCounter { text, counted_to: 0, row: 1 };
    let mut record = ByteRecord::new();
    let mut read =
        |reader: &mut csv::Reader<&[u8]>, record: &mut ByteRecord| match reader.read_byte_record(record) {
            Ok(more) => Ok(more.then(|| rows.row_at(record.position().map_or(0, |p| p.byte())))),
            Err(e) => {
                let row = rows.row_at(e.position().map_or(0, |p| p.byte()));
                Err(InputError::row(&file.name, row, None, format!("not readable as CSV: {e}")))
            }
        };
    if read(&mut reader, &mut record)?.is_none() {
        return Err(InputError::file(
            &file.name,
            format!("is empty; it needs the header {}", columns.expected_header()),
        ));
    }
    let header = Header::parse(file, record.iter(), columns)?;
    while let Some(row) = read(&mut reader, &mut record)? {
        each(header.fields(file, &record, row)?)?;
    }
    Ok(())
}
