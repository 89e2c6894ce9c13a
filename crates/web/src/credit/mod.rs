//! 结果运用, pages and API side by side: a firm's dossier (诚信档案), the yearly grades
//! (守法诚信等级评价) and the public lists (重大违法社会公布, 拖欠农民工工资失信名单).

pub mod dossier;
pub mod grades;
pub mod lists;
