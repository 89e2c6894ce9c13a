//! The tables, as sea-orm entities. Times are UTC; directory codes are stored as codes
//! (`large`, `A`), shown in Chinese by whoever displays them.

pub mod calendar_day;
pub mod department;
pub mod import_batch;
pub mod inspector;
pub mod item;
pub mod record_change;
pub mod recusal;
pub mod target;
pub mod user;
