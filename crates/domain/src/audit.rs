//! The audit log's chain (全程留痕、责任可追溯): how an entry's digest and hash are computed.
//! Each entry's hash covers its own fields and the previous entry's hash, so changing,
//! removing or reordering any entry breaks every hash after it. The store appends and
//! re-checks; this is the one definition both use.

use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The version tag hashed into every entry, so the definition can change without ambiguity.
pub const VERSION: &str = "suiji-audit/1";

/// The lower-case hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: impl AsRef<[u8]>) -> String {
    hex::encode(Sha256::digest(bytes.as_ref()))
}

/// The fields of an entry that its hash covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryFields<'a> {
    pub seq: i64,
    /// UTC, RFC 3339 with microseconds and `Z` (what [`timestamp`] gives).
    pub at: &'a str,
    pub actor: &'a str,
    pub role: &'a str,
    pub action: &'a str,
    pub object: &'a str,
    /// [`sha256_hex`] of the change's JSON text.
    pub digest: &'a str,
    pub prev_hash: &'a str,
}

impl EntryFields<'_> {
    /// The entry's hash: SHA-256 of the JSON array of the version tag and the fields in this
    /// order. A JSON array keeps the fields apart whatever characters they hold.
    pub fn hash(&self) -> String {
        let fields = serde_json::json!([
            VERSION,
            self.seq,
            self.at,
            self.actor,
            self.role,
            self.action,
            self.object,
            self.digest,
            self.prev_hash
        ]);
        sha256_hex(fields.to_string())
    }
}

/// The time as the chain hashes it: UTC, microseconds, `Z`. Both databases keep microseconds,
/// so the time read back hashes the same.
pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry<'a>(prev: &'a str, digest: &'a str) -> EntryFields<'a> {
        EntryFields {
            seq: 1,
            at: "2026-11-23T01:02:03.000004Z",
            actor: "admin",
            role: "admin",
            action: "user.add",
            object: "users/ann",
            digest,
            prev_hash: prev,
        }
    }

    #[test]
    fn the_hash_covers_every_field() {
        let d = sha256_hex("{}");
        let base = entry(GENESIS, &d).hash();
        assert_eq!(base.len(), 64);
        assert_eq!(base, entry(GENESIS, &d).hash());
        let other = sha256_hex("{\"a\":1}");
        assert_ne!(base, entry(GENESIS, &other).hash());
        assert_ne!(base, entry(&base, &d).hash());
        let mut e = entry(GENESIS, &d);
        e.actor = "admin\"";
        assert_ne!(base, e.hash());
        let mut e = entry(GENESIS, &d);
        e.seq = 2;
        assert_ne!(base, e.hash());
    }

    #[test]
    fn sha256_is_hex() {
        assert_eq!(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
