//! Files kept with records — an inspection's evidence, a lead's letters — checked the same way
//! before they are kept.

use super::WorkflowError;

pub const MAX_EVIDENCE_BYTES: usize = 20 * 1024 * 1024;

/// An uploaded file's name (its base name only, without anything a file system would read as a
/// path), its content type (a client's word, kept to show the file back: short and plain) and
/// its SHA-256 — or why it is refused (empty, over [`MAX_EVIDENCE_BYTES`]).
pub(crate) fn checked_upload(
    file_name: &str,
    content_type: &str,
    data: &[u8],
) -> Result<(String, String, String), WorkflowError> {
    let file_name: String = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let content_type = if content_type.len() <= 100 && !content_type.chars().any(char::is_control) {
        content_type
    } else {
        "application/octet-stream"
    };
    if file_name.trim().is_empty() || data.is_empty() {
        return Err(WorkflowError::invalid("file", "请选择非空的文件", "choose a file that is not empty"));
    }
    if data.len() > MAX_EVIDENCE_BYTES {
        return Err(WorkflowError::invalid("file", "文件不能超过 20 MB", "a file is at most 20 MB"));
    }
    let sha256 = {
        use sha2::Digest as _;
        hex::encode(sha2::Sha256::digest(data))
    };
    Ok((file_name, content_type.to_owned(), sha256))
}
