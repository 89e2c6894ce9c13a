//! `suiji verify`: recompute a draw (and its assignment) from the published inputs.

use crate::cli::VerifyArgs;
use crate::files::{TextFile, documents, pool, population};
use crate::{Failure, output_line};
use std::io::Write;
use std::path::Path;
use suiji_draw::{
    ASSIGN_PROTOCOL, AssignmentDocument, DRAW_PROTOCOL, DrawDocument, MemberReplacement, check_targets,
    verify_assignment, verify_control, verify_draw, verify_merge, verify_replacement,
};

pub fn run(args: &VerifyArgs, stdout: &mut dyn Write) -> Result<(), Failure> {
    if let Some(merge) = &args.merge {
        return run_merge(args, merge, stdout);
    }
    let (Some(draw_path), Some(population_path)) = (&args.draw, &args.population) else {
        return Err(Failure::Input("--draw and --population are needed (or --merge)".into()));
    };
    let read_draw = |path: &Path| -> Result<DrawDocument, Failure> {
        Ok(documents::parse(&TextFile::read(path)?, DRAW_PROTOCOL)?)
    };
    let draw = read_draw(draw_path)?;
    let population = population::parse(TextFile::read(population_path)?)?;
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
    let control = args.control.as_deref().map(read_draw).transpose()?;
    let targets = args.targets.as_deref().map(read_draw).transpose()?;
    let replacements = args
        .replacement
        .iter()
        .map(|path| {
            let document: MemberReplacement = documents::parse(&TextFile::read(path)?, ASSIGN_PROTOCOL)?;
            Ok((path, document))
        })
        .collect::<Result<Vec<_>, Failure>>()?;

    let out = &mut *stdout;
    output_line(out, format!("draw {}: {} seed {:?}", draw_path.display(), draw.protocol, draw.seed))?;
    verify_draw(&draw, &population).map_err(|d| Failure::Difference(d.to_string()))?;
    output_line(
        out,
        format!(
            "  population {}: {} entities, population_sha256 {} matches",
            population_path.display(),
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
    if let (Some(path), Some(c)) = (&args.control, &control) {
        output_line(out, format!("control sample {}: {} seed {:?}", path.display(), c.protocol, c.seed))?;
        verify_control(c, &draw, &population).map_err(|d| Failure::Difference(d.to_string()))?;
        output_line(
            out,
            format!(
                "  the population less the draw's {} entities, weight 1, no stratum: {} entities, population_sha256 {} matches; {} drawn by {}, every rank, id and ticket matches",
                draw.selected.len() + draw.reserve.len(),
                c.population_size,
                c.population_sha256,
                c.selected.len(),
                c.rule
            ),
        )?;
    }
    // Teams are made for targets.json when given (replacements, a control sample), else the draw.
    let teams_from = match (&args.targets, &targets) {
        (Some(path), Some(t)) => {
            check_targets(t, &draw, control.as_ref()).map_err(|d| Failure::Difference(d.to_string()))?;
            output_line(
                out,
                format!(
                    "targets {}: {} targets, each an unchanged entry of the draw{} in rank order",
                    path.display(),
                    t.selected.len(),
                    if control.is_some() { " or of its control sample" } else { "" }
                ),
            )?;
            t
        }
        _ => &draw,
    };
    if let Some((path, document, inspectors, recusals)) = assignment {
        output_line(out, format!("assignment {}: {}", path.display(), document.protocol))?;
        verify_assignment(&document, teams_from, &inspectors, &recusals)
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

/// `--merge`: a merge's joint teams, recomputed from its own pool and recusals. The seed is
/// printed, to compare with the two tasks' published draws (`<seed A>+<seed B>/merge`).
fn run_merge(args: &VerifyArgs, path: &Path, stdout: &mut dyn Write) -> Result<(), Failure> {
    let document: AssignmentDocument = documents::parse(&TextFile::read(path)?, ASSIGN_PROTOCOL)?;
    let Some(inspectors_path) = &args.inspectors else {
        return Err(Failure::Input("--merge needs --inspectors".into()));
    };
    let inspectors = pool::parse_inspectors(&TextFile::read(inspectors_path)?)?;
    let recusals = match &args.recusals {
        Some(p) => pool::parse_recusals(&TextFile::read(p)?)?,
        None => Vec::new(),
    };
    let seeds = document.seed.strip_suffix("/merge").and_then(|s| s.split_once('+'));
    let Some((a, b)) = seeds else {
        return Err(Failure::Difference(format!(
            "the seed {:?} is not a merge's (<seed A>+<seed B>/merge)",
            document.seed
        )));
    };
    output_line(stdout, format!("merge {}: {} seed {:?}", path.display(), document.protocol, document.seed))?;
    verify_merge(&document, Some((a, b)), &inspectors, &recusals)
        .map_err(|d| Failure::Difference(d.to_string()))?;
    let quota = document
        .require
        .as_ref()
        .map(|r| r.iter().map(|(d, n)| format!("{d} {n}")).collect::<Vec<_>>().join(", "))
        .unwrap_or_default();
    output_line(
        stdout,
        format!(
            "  {} inspectors, {} recusals, quota {quota}: {} joint teams recomputed; every member matches",
            inspectors.len(),
            recusals.len(),
            document.teams.len()
        ),
    )?;
    output_line(
        stdout,
        format!("  the two draws' seeds: {a:?} and {b:?} (compare with the tasks' draw.json)"),
    )?;
    output_line(stdout, "OK: the joint teams are exactly what the protocol gives for these inputs".to_owned())
}
