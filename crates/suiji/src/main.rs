use std::process::ExitCode;

fn main() -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match suiji::run(std::env::args_os(), &mut stdout) {
        Ok(()) => ExitCode::SUCCESS,
        Err(suiji::Failure::Usage(e)) => {
            let code = e.exit_code();
            let _ = e.print();
            ExitCode::from(code as u8)
        }
        Err(suiji::Failure::Rejected(report)) => {
            eprintln!("{report}");
            ExitCode::from(1)
        }
        Err(failure) => {
            eprintln!("suiji: {failure}");
            ExitCode::from(failure.exit_code() as u8)
        }
    }
}
