//! The `suiji` command line, as a library so that tests can run it in-process.

pub mod cli;
pub mod commands;
pub mod demo;
pub mod files;
pub mod layout;
pub mod output;

use clap::Parser;
use std::ffi::OsString;
use std::io::Write;

/// Why a run stops early, and so its exit status.
#[derive(Debug)]
pub enum Failure {
    /// Usage errors, and `--help`/`--version` (clap prints those, with status 0).
    Usage(clap::Error),
    /// Bad input, or output that cannot be written: status 2, nothing written.
    Input(String),
    /// `verify` found a difference: status 1.
    Difference(String),
    /// An import found problems in its file and wrote nothing: status 1. One problem a line.
    Rejected(String),
}

impl Failure {
    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Usage(e) => e.exit_code(),
            Failure::Input(_) => 2,
            Failure::Difference(_) | Failure::Rejected(_) => 1,
        }
    }

    fn output(name: &str, e: impl std::fmt::Display) -> Failure {
        Failure::Input(format!("{name}: cannot write: {e}"))
    }
}

impl From<files::InputError> for Failure {
    fn from(e: files::InputError) -> Self {
        Failure::Input(e.to_string())
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Usage(e) => write!(f, "{e}"),
            Failure::Input(m) => write!(f, "error: {m}"),
            Failure::Difference(m) => write!(f, "DIFFERENT: {m}"),
            Failure::Rejected(m) => f.write_str(m),
        }
    }
}

pub(crate) fn output_line(out: &mut dyn Write, line: String) -> Result<(), Failure> {
    writeln!(out, "{line}").map_err(|e| Failure::output("standard output", e))
}

/// Runs `suiji` with `args` (the program name first), writing results to `stdout`.
pub fn run<I, T>(args: I, stdout: &mut dyn Write) -> Result<(), Failure>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = cli::Cli::try_parse_from(args).map_err(Failure::Usage)?;
    match &cli.command {
        cli::Command::Serve(args) => commands::serve::run(args, stdout),
        cli::Command::Draw(args) => commands::draw::run(args, stdout),
        cli::Command::Assign(args) => commands::assign::run(args, stdout),
        cli::Command::Verify(args) => commands::verify::run(args, stdout),
        cli::Command::Import(args) => commands::directory::import(args, stdout),
        cli::Command::Export(args) => commands::directory::export(args, stdout),
        cli::Command::Template(args) => commands::directory::template(args, stdout),
        cli::Command::Calendar(command) => commands::calendar::run(command, stdout),
        cli::Command::User(command) => commands::accounts::user(command, stdout),
        cli::Command::Token(command) => commands::accounts::token(command, stdout),
        cli::Command::Audit(command) => commands::audit::run(command, stdout),
        cli::Command::Task(command) => commands::task::run(command, stdout),
        cli::Command::Department(command) => commands::department::run(command, stdout),
        cli::Command::Plan(command) => commands::plan::run(command, stdout),
        cli::Command::Training(command) => commands::training::run(command, stdout),
        cli::Command::Setting(command) => commands::settings::run(command, stdout),
        cli::Command::Rectification(command) => commands::rectification::run(command, stdout),
        cli::Command::Penalty(command) => commands::penalty::run(command, stdout),
        cli::Command::Credit(command) => commands::credit::run(command, stdout),
        cli::Command::Target(command) => commands::target::run(command, stdout),
        cli::Command::Lead(command) => commands::lead::run(command, stdout),
        cli::Command::Stats(args) => commands::stats::run(args, stdout),
        cli::Command::Report(command) => commands::report::run(command, stdout),
        cli::Command::Lists(command) => commands::lists::run(command, stdout),
        cli::Command::Push(command) => commands::push::run(command, stdout),
    }
}
