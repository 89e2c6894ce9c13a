//! The key that signs the audit log's checkpoints: a file beside the database, never in it, so
//! that whoever can rewrite the database still cannot sign a rewritten log.

use crate::Failure;
use std::path::Path;
use suiji_domain::checkpoint::{Key, key_file_text, key_from_file_text, key_from_seed};

/// The key in `path`, made (with a fresh random seed, readable by its owner only) when the file
/// does not exist yet. Returns the key and whether it was made now.
pub fn load_or_create(path: &Path) -> Result<(Key, bool), Failure> {
    match std::fs::read_to_string(path) {
        Ok(text) => load_text(path, &text).map(|k| (k, false)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut seed = [0u8; 32];
            getrandom::fill(&mut seed)
                .map_err(|e| Failure::Input(format!("no randomness for a key: {e}")))?;
            let key = key_from_seed(seed);
            write_new(path, &key_file_text(&key)).map_err(|e| {
                Failure::Input(format!("{}: cannot create the signing key: {e}", path.display()))
            })?;
            Ok((key, true))
        }
        Err(e) => Err(Failure::Input(format!("{}: cannot read the signing key: {e}", path.display()))),
    }
}

/// The key in `path`, which must exist.
pub fn load(path: &Path) -> Result<Key, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Input(format!("{}: cannot read the signing key: {e}", path.display())))?;
    load_text(path, &text)
}

fn load_text(path: &Path, text: &str) -> Result<Key, Failure> {
    key_from_file_text(text).ok_or_else(|| {
        Failure::Input(format!(
            "{}: not a suiji signing key (64 hex digits after the comment lines)",
            path.display()
        ))
    })
}

/// Creates the file (never overwriting one: two servers starting at once keep the first key).
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_once_and_read_back() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("suiji-signing.key");
        let (made, new) = load_or_create(&path).expect("made");
        assert!(new);
        let (again, new) = load_or_create(&path).expect("read");
        assert!(!new);
        assert_eq!(made.to_bytes(), again.to_bytes());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("metadata").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "not a key\n").expect("overwrite");
        assert!(load(&path).is_err());
    }
}
