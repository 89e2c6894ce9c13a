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
    pub fn parse(file: &TextFile, record: &ByteRecord, columns: &Columns) -> Result<Header, InputError> {
        let names: Vec<String> =
            record.iter().map(|f| String::from_utf8_lossy(f).trim().to_lowercase()).collect();
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

    /// The fields of `record` in column order; `line` is its row number.
    pub fn fields<'r>(
        &self,
        file: &TextFile,
        record: &'r ByteRecord,
        line: u64,
    ) -> Result<Row<'r>, InputError> {
        if record.len() != self.width {
            return Err(InputError::row(
                &file.name,
                line,
                None,
                format!("has {} fields, the header has {}", record.len(), self.width),
            ));
        }
        let fields = self
            .positions
            .iter()
            .map(|p| p.map(|i| std::str::from_utf8(&record[i]).expect("the file was checked to be UTF-8")))
            .collect();
        Ok(Row { number: line, fields })
    }
}

/// Reads every data row of `file` into `each`. An empty file or one without the header is an
/// error; blank lines are skipped.
pub fn read_rows(
    file: &TextFile,
    columns: &Columns,
    mut each: impl FnMut(Row<'_>) -> Result<(), InputError>,
) -> Result<(), InputError> {
    let mut reader = ReaderBuilder::new().has_headers(false).flexible(true).from_reader(file.text.as_bytes());
    let mut record = ByteRecord::new();
    let read = |reader: &mut csv::Reader<&[u8]>, record: &mut ByteRecord| {
        reader.read_byte_record(record).map_err(|e| {
            let row = e.position().map_or(0, |p| p.line());
            InputError::row(&file.name, row, None, format!("not readable as CSV: {e}"))
        })
    };
    if !read(&mut reader, &mut record)? {
        return Err(InputError::file(
            &file.name,
            format!("is empty; it needs the header {}", columns.expected_header()),
        ));
    }
    let header = Header::parse(file, &record, columns)?;
    while read(&mut reader, &mut record)? {
        let line = record.position().map_or(0, |p| p.line());
        each(header.fields(file, &record, line)?)?;
    }
    Ok(())
}
