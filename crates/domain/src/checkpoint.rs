//! Checkpoints (检查点): signed heads of the audit log's Merkle tree.
//!
//! A hash chain shows an edit only to someone who kept a hash from before it: whoever holds the
//! database can rewrite the whole chain and every hash in it. A checkpoint is that kept hash, made
//! hard to forge: the tree's size and root at a moment, signed with an Ed25519 key that the
//! server keeps outside the database. Checkpoints are published on the portal and in its feed;
//! anyone who saved one can later ask for a consistency proof (RFC 6962 §2.1.2) that today's log
//! still begins with the log it signed, so a truncated, re-hashed or renumbered log is caught by
//! any copy taken before the rewrite.

use crate::merkle::{Hash, from_hex, to_hex};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

pub use ed25519_dalek::SigningKey as Key;

/// The version tag that begins every signed message.
pub const VERSION: &str = "suiji-checkpoint/1";

/// A signed tree head, as published and as saved by anyone who follows the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Checkpoint {
    /// How many audit entries the tree holds (entries 1..=size).
    pub size: u64,
    /// The tree's root, lower-case hex.
    pub root: String,
    /// When it was signed: UTC, RFC 3339 with seconds and `Z`.
    pub time: String,
    /// The signer's Ed25519 public key, lower-case hex.
    pub key: String,
    /// The Ed25519 signature of [`message`], lower-case hex.
    pub signature: String,
}

/// What a checkpoint's signature covers: the version, the size, the root and the time, a line
/// each. Text, so that anyone can check it with any Ed25519 tool.
pub fn message(size: u64, root: &str, time: &str) -> String {
    format!("{VERSION}\n{size}\n{root}\n{time}\n")
}

/// Why a checkpoint cannot be believed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    #[error("the checkpoint's {0} is not well formed")]
    Malformed(&'static str),
    #[error("the checkpoint's signature does not match its contents (it was altered or forged)")]
    Signature,
    #[error("the checkpoint is signed by key {found}, not by the log's key {expected}")]
    UnknownKey { found: String, expected: String },
}

impl Checkpoint {
    /// Signs the tree head (`size`, `root`) at `time` (as [`time_text`] gives it).
    pub fn sign(key: &SigningKey, size: u64, root: &Hash, time: &str) -> Checkpoint {
        let root = to_hex(root);
        let signature = key.sign(message(size, &root, time).as_bytes());
        Checkpoint {
            size,
            root,
            time: time.to_owned(),
            key: public_key(key),
            signature: hex::encode(signature.to_bytes()),
        }
    }

    /// The root as bytes.
    pub fn root_hash(&self) -> Result<Hash, CheckpointError> {
        from_hex(&self.root).ok_or(CheckpointError::Malformed("root"))
    }

    /// Checks the signature against the key the checkpoint names, and that key against
    /// `expected` (the log's published key) when one is known.
    pub fn verify(&self, expected: Option<&str>) -> Result<(), CheckpointError> {
        if let Some(expected) = expected
            && !self.key.eq_ignore_ascii_case(expected)
        {
            return Err(CheckpointError::UnknownKey {
                found: self.key.clone(),
                expected: expected.to_owned(),
            });
        }
        let key: [u8; 32] = decode(&self.key).ok_or(CheckpointError::Malformed("key"))?;
        let key = VerifyingKey::from_bytes(&key).map_err(|_| CheckpointError::Malformed("key"))?;
        let signature: [u8; 64] = decode(&self.signature).ok_or(CheckpointError::Malformed("signature"))?;
        self.root_hash()?;
        key.verify(message(self.size, &self.root, &self.time).as_bytes(), &Signature::from_bytes(&signature))
            .map_err(|_| CheckpointError::Signature)
    }
}

fn decode<const N: usize>(text: &str) -> Option<[u8; N]> {
    hex::decode(text.trim()).ok()?.try_into().ok()
}

/// A key's public half, lower-case hex: what the portal shows and checkpoints name.
pub fn public_key(key: &SigningKey) -> String {
    hex::encode(key.verifying_key().to_bytes())
}

/// A signing key from its 32-byte seed.
pub fn key_from_seed(seed: [u8; 32]) -> SigningKey {
    SigningKey::from_bytes(&seed)
}

/// The key file's text: a comment saying what it is, then the seed in hex.
pub fn key_file_text(key: &SigningKey) -> String {
    format!(
        "# suiji: the Ed25519 key that signs the audit log's checkpoints. Keep it secret and back it\n\
         # up apart from the database; public key {}\n{}\n",
        public_key(key),
        hex::encode(key.to_bytes())
    )
}

/// Reads a key file written by [`key_file_text`] (comment lines and blank lines are skipped).
pub fn key_from_file_text(text: &str) -> Option<SigningKey> {
    let seed = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#'))?;
    decode::<32>(seed).map(key_from_seed)
}

/// The time as checkpoints carry it: UTC, whole seconds, `Z`.
pub fn time_text(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SigningKey {
        key_from_seed([7; 32])
    }

    #[test]
    fn a_signed_checkpoint_verifies_and_any_change_breaks_it() {
        let c = Checkpoint::sign(&key(), 12, &[3; 32], "2026-12-02T08:00:00Z");
        assert_eq!(c.verify(None), Ok(()));
        assert_eq!(c.verify(Some(&public_key(&key()))), Ok(()));
        for changed in [
            Checkpoint { size: 11, ..c.clone() },
            Checkpoint { root: to_hex(&[4; 32]), ..c.clone() },
            Checkpoint { time: "2026-12-03T08:00:00Z".into(), ..c.clone() },
        ] {
            assert_eq!(changed.verify(None), Err(CheckpointError::Signature));
        }
        let other = key_from_seed([8; 32]);
        assert!(matches!(c.verify(Some(&public_key(&other))), Err(CheckpointError::UnknownKey { .. })));
        // Re-signed by another key: the signature holds, but the key is not the log's.
        let forged = Checkpoint::sign(&other, 11, &[4; 32], &c.time);
        assert_eq!(forged.verify(None), Ok(()));
        assert!(forged.verify(Some(&c.key)).is_err());
        let broken = Checkpoint { signature: "zz".into(), ..c };
        assert_eq!(broken.verify(None), Err(CheckpointError::Malformed("signature")));
    }

    #[test]
    fn the_key_file_reads_back() {
        let text = key_file_text(&key());
        assert!(text.starts_with("# suiji"));
        assert_eq!(key_from_file_text(&text).map(|k| k.to_bytes()), Some(key().to_bytes()));
        assert!(key_from_file_text("# only a comment\n").is_none());
        assert!(key_from_file_text("abcd\n").is_none());
    }

    #[test]
    fn the_message_is_plain_lines() {
        assert_eq!(message(3, "ab", "t"), "suiji-checkpoint/1\n3\nab\nt\n");
    }
}
