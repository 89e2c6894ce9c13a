//! Writing documents: to standard output, or to a file that appears only when complete.

use crate::{Failure, layout};
use serde::Serialize;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Writes `document` as JSON (see [`crate::layout`]) to `out`, or to `stdout` when there is no
/// `out`.
pub fn write_document(
    document: &impl Serialize,
    out: Option<&Path>,
    stdout: &mut dyn Write,
) -> Result<(), Failure> {
    write_with(out, stdout, |w| layout::write(w, document).map_err(io::Error::from))
}

/// Writes bytes (a spreadsheet, a report) to `out`, or to `stdout` when there is no `out`.
pub fn write_bytes(bytes: &[u8], out: Option<&Path>, stdout: &mut dyn Write) -> Result<(), Failure> {
    write_with(out, stdout, |w| w.write_all(bytes))
}

/// Runs `write` on a buffered `out`, or on `stdout` when there is no `out`.
///
/// A file is written beside its final place and renamed into it, so a failure never leaves a
/// partial or stale file under that name.
fn write_with(
    out: Option<&Path>,
    stdout: &mut dyn Write,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Failure> {
    let Some(path) = out else {
        let mut w = BufWriter::with_capacity(1 << 20, stdout);
        write(&mut w).map_err(|e| Failure::output("standard output", e))?;
        return w.flush().map_err(|e| Failure::output("standard output", e));
    };
    let name = path.display().to_string();
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    // A document is for sharing: the usual permissions (0666 less the umask), not 0600.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let temp = builder.tempfile_in(dir).map_err(|e| Failure::output(&name, e))?;
    let mut w = BufWriter::with_capacity(1 << 20, temp);
    write(&mut w).map_err(|e| Failure::output(&name, e))?;
    let temp = w.into_inner().map_err(|e| Failure::output(&name, e.into_error()))?;
    temp.persist(path).map_err(|e| Failure::output(&name, e.error))?;
    Ok(())
}
