//! sea-orm entities for the tables queried as rows of their own. The directories' tables are
//! read and written through [`crate::directory::Stored`], which maps them to the domain's
//! records; the audit log through [`crate::audit`]; the schema of every table is in
//! `migration/`. Times are UTC.

pub mod api_token;
pub mod assignment;
pub mod calendar_day;
pub mod credit_evaluation;
pub mod credit_grade;
pub mod credit_proposal;
pub mod department;
pub mod draw;
pub mod draw_entry;
pub mod draw_replacement;
pub mod evidence;
pub mod form_token;
pub mod import_batch;
pub mod inspection;
pub mod inspection_member;
pub mod job;
pub mod joint_visit;
pub mod lead;
pub mod lead_file;
pub mod lead_target;
pub mod list_entry;
pub mod login_throttle;
pub mod member_change;
pub mod merge;
pub mod penalty;
pub mod penalty_notice;
pub mod plan;
pub mod plan_line;
pub mod publication;
pub mod push_delivery;
pub mod push_event;
pub mod push_receiver;
pub mod record_change;
pub mod rectification;
pub mod session;
pub mod setting;
pub mod task;
pub mod task_population;
pub mod training;
pub mod user;
pub mod withholding;
