//! One-time form tokens. Every staff form carries a fresh random token; its first submit
//! claims it, and any later submit of the same token (a double click, a reload of the answer,
//! a retry after a slow network) is sent where the first went instead of doing the work twice.
//! A submit refused with errors gives its token back, so the corrected form can go again.
//! Tokens are kept a day: a form left open longer is simply sent again as new.

use crate::Store;
use crate::entity::form_token;
use chrono::Duration;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, Set};

/// How long a claimed token is remembered.
pub const KEEP_HOURS: i64 = 24;

/// Whether `token` has the shape the pages give (32 lower-case hex digits): anything else is
/// not a token of ours and is not stored.
pub fn well_formed(token: &str) -> bool {
    token.len() == 32 && token.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A fresh token for a form.
pub fn fresh() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system gives random bytes");
    hex::encode(bytes)
}

/// What claiming a token found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The first submit: do the work.
    First,
    /// Submitted before and done; its answer sent the browser here (or nowhere).
    Done(Option<String>),
    /// Submitted before and still being done.
    Running,
}

/// Claims `token` for `username`'s submit.
pub async fn claim(store: &Store, token: &str, username: &str) -> Result<Claim, DbErr> {
    let db = store.connection();
    let stale = crate::clock::now() - Duration::hours(KEEP_HOURS);
    form_token::Entity::delete_many().filter(form_token::Column::ClaimedAt.lt(stale)).exec(db).await?;
    let row = form_token::ActiveModel {
        token: Set(token.to_owned()),
        username: Set(username.to_owned()),
        claimed_at: Set(crate::clock::now()),
        location: Set(None),
        done: Set(false),
    };
    let inserted = form_token::Entity::insert(row)
        .on_conflict(OnConflict::column(form_token::Column::Token).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    if inserted == 1 {
        return Ok(Claim::First);
    }
    Ok(match form_token::Entity::find_by_id(token.to_owned()).one(db).await? {
        Some(t) if t.done => Claim::Done(t.location),
        Some(_) => Claim::Running,
        // Given back between the insert and the read: the first submit failed.
        None => Claim::Done(None),
    })
}

/// Records that the submit holding `token` is done, and where its answer sent the browser.
pub async fn finish(store: &Store, token: &str, location: Option<&str>) -> Result<(), DbErr> {
    form_token::Entity::update_many()
        .col_expr(form_token::Column::Done, true.into())
        .col_expr(form_token::Column::Location, location.map(str::to_owned).into())
        .filter(form_token::Column::Token.eq(token))
        .exec(store.connection())
        .await?;
    Ok(())
}

/// Gives `token` back: its submit was refused and changed nothing.
pub async fn give_back(store: &Store, token: &str) -> Result<(), DbErr> {
    form_token::Entity::delete_by_id(token.to_owned()).exec(store.connection()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_shape_is_a_token() {
        assert!(well_formed(&fresh()));
        assert_ne!(fresh(), fresh());
        assert!(!well_formed("x"));
        assert!(!well_formed(&"A".repeat(32)));
        assert!(!well_formed(&"a".repeat(33)));
    }
}
