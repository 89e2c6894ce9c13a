//! The domain of 双随机、一公开 supervision: identifiers, validation and the rules the source
//! documents set. Pure code, no I/O: every other crate builds on it.

#![forbid(unsafe_code)]

pub mod access;
pub mod audit;
pub mod calendar;
pub mod checkpoint;
pub mod codes;
pub mod credit;
pub mod directory;
pub mod lists;
pub mod merkle;
pub mod org;
pub mod rules;
pub mod settings;
pub mod stats;
pub mod text;
pub mod training;
pub mod uscc;
pub mod workflow;
