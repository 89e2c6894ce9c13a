//! `suiji assign`: draw document + inspector pool + recusals → assignment document.

use crate::cli::AssignArgs;
use crate::files::{TextFile, documents, pool};
use crate::{Failure, output};
use std::io::Write;
use suiji_draw::{DRAW_PROTOCOL, DrawDocument, TeamRule, assign};

pub fn run(args: &AssignArgs, stdout: &mut dyn Write) -> Result<(), Failure> {
    let rule = match args.team_size {
        Some(g) => TeamRule::Size(g),
        None => TeamRule::Require(super::pairs_to_map("--require", &args.require)?),
    };
    let draw: DrawDocument = documents::parse(&TextFile::read(&args.draw)?, DRAW_PROTOCOL)?;
    let inspectors = pool::parse_inspectors(&TextFile::read(&args.inspectors)?)?;
    let recusals = match &args.recusals {
        Some(path) => pool::parse_recusals(&TextFile::read(path)?)?,
        None => Vec::new(),
    };
    let document = assign(&draw, &inspectors, &recusals, &rule, args.max_load)
        .map_err(|e| Failure::Input(format!("cannot assign: {e}")))?;
    output::write_document(&document, args.out.as_deref(), stdout)
}
