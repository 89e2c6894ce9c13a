//! 结果运用, pages and API side by side: a firm's dossier (诚信档案) and the yearly grades
//! (守法诚信等级评价).

pub mod dossier;
pub mod grades;
