//! The audit log made tamper-evident to outsiders: signed checkpoints of its Merkle tree, and
//! the content hashes of the records each entry changed.

use super::m20261123_000001_directories::{id, index, int, table, text, time};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000008_checkpoints"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table(
            "audit_checkpoints",
            vec![
                id(),
                // A checkpoint a day is signed even when the log has not grown, so sizes repeat.
                int("size"),
                text("root"),
                // As signed: RFC 3339, whole seconds, UTC.
                text("time"),
                time("at"),
                text("public_key"),
                text("signature"),
                // The roots of the tree's perfect subtrees at this size (JSON array of hex), so
                // the next checkpoint reads only the entries made since.
                text("frontier"),
            ],
        ))
        .await?;
        // The records each entry changed: one line `kind<TAB>key<TAB>sha256` per record (the
        // SHA-256 of its content after the change), sorted, in parts of at most a few MB. The
        // entry's change carries their count and the SHA-256 of all its lines.
        m.create_table(table("audit_records", vec![int("seq"), int("part"), text("lines")])).await?;
        m.create_index(index("audit_records", "audit_records_seq", &["seq"])).await?;
        Ok(())
    }
}
