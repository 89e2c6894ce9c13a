//! 结果运用, pages and API side by side: a firm's dossier (诚信档案).

pub mod dossier;
