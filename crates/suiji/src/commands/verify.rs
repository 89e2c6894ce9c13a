//! `suiji verify`: recompute a draw (and its assignment) from the published inputs.

use crate::cli::VerifyArgs;
use crate::files::{TextFile, documents, pool, population};
use crate::{Failure, output_line};
use std::io::Write;
use suiji_draw::{
    ASSIGN_PROTOCOL, AssignmentDocument, DRAW_PROTOCOL, DrawDocument, MemberReplacement, verify_assignment,
    verify_draw, verify_replacement,
};

pub fn run(args: &VerifyArgs, stdout: &mut dyn Write) -> Result<(), Failure> {
    let draw: DrawDocument = documents::parse(&TextFile::read(&args.draw)?, DRAW_PROTOCOL)?;
    let population = population::parse(TextFile::read(&args.population)?)?;
    // Read every input before comparing, so a bad file is reported as such (exit 2).
    let assignment = match (&args.assignment, &args.inspectors) {
        (Some(a), Some(i)) => {
            let document: AssignmentDocument = documents::parse(&TextFile::read(a)?, ASSIGN_PROTOCOL)?;
            let inspectors = pool::parse_inspectors(&TextFile::read(i)?)?;
            let recusals = match &args.recusals {
                Some(path) => pool::parse_recusals(&TextFile::read(path)?)?,
                None => Vec::new(),
            };
            Some((a, document, inspectors, recusals))
        }
        _ => None,
    };
    let replacements = args
        .replacement
        .iter()
        .map(|path| {
            let document: MemberReplacement = documents::parse(&TextFile::read(path)?, ASSIGN_PROTOCOL)?;
            Ok((path, document))
        })
        .collect::<Result<Vec<_>, Failure>>()?;

    let out = &mut *stdout;
    output_line(out, format!("draw {}: {} seed {:?}", args.draw.display(), draw.protocol, draw.seed))?;
    verify_draw(&draw, &population).map_err(|d| Failure::Difference(d.to_string()))?;
    output_line(
        out,
        format!(
            "  population {}: {} entities, population_sha256 {} matches",
            args.population.display(),
            draw.population_size,
            draw.population_sha256
        ),
    )?;
    output_line(
        out,
        format!(
            "  rule {}: {} selected and {} reserve recomputed; every rank, id, ticket and stratum matches",
            draw.rule,
            draw.selected.len(),
            draw.reserve.len()
        ),
    )?;
    if let Some((path, document, inspectors, recusals)) = assignment {
        output_line(out, format!("assignment {}: {}", path.display(), document.protocol))?;
        verify_assignment(&document, &draw, &inspectors, &recusals)
            .map_err(|d| Failure::Difference(d.to_string()))?;
        let max_load = document.max_load.map_or(String::new(), |m| format!(", max load {m}"));
        output_line(
            out,
            format!(
                "  {} inspectors, {} recusals, team size {}{max_load}: {} teams recomputed; every member matches",
                inspectors.len(),
                recusals.len(),
                document.team_size,
                document.teams.len()
            ),
        )?;
        // A replacement is checked against the same pool (`--replacement` needs `--inspectors`,
        // which needs `--assignment`).
        for (path, r) in &replacements {
            output_line(out, format!("replacement {}: {} seed {:?}", path.display(), r.protocol, r.seed))?;
            verify_replacement(r, Some(&draw.seed), &inspectors)
                .map_err(|d| Failure::Difference(d.to_string()))?;
            output_line(
                out,
                format!(
                    "  on {}'s team {} gives way to {}: the lowest ticket of the pool less the team, {} recused and {} unavailable",
                    r.target,
                    r.gone,
                    r.chosen,
                    r.recused.len(),
                    r.unavailable.len()
                ),
            )?;
        }
    }
    output_line(out, "OK: the documents are exactly what the protocol gives for these inputs".to_owned())
}
