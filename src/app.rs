//! Dispatch: turns the parsed command line into one command run and its [`Outcome`]. Owns
//! the tokio runtime (built once, used only for the parts that are async).

use std::io::IsTerminal;

use serde_json::Value;

use crate::cli::{Cli, Command, GlobalArgs};
use crate::error::AppError;
use crate::output::Printer;

/// What a command produced: its JSON `result` (or the error) and the warnings on the way.
#[derive(Debug)]
pub struct Outcome {
    pub result: Result<Value, AppError>,
    pub warnings: Vec<String>,
}

impl Outcome {
    pub fn exit_code(&self) -> u8 {
        match &self.result {
            Ok(_) => 0,
            Err(e) => e.exit_code(),
        }
    }
}

/// Whether a person can answer prompts: not with `--non-interactive`, and only when both
/// stdin and stdout are terminals (a pipe on either means a script is driving).
pub fn interactive(global: &GlobalArgs) -> bool {
    !global.non_interactive && std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

pub fn runtime() -> Result<tokio::runtime::Runtime, AppError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| AppError::internal(format!("could not start the async runtime: {e}")))
}

pub fn run(cli: Cli) -> Outcome {
    let printer = Printer::new(cli.global.json);
    let mut warnings = Vec::new();
    let result = match cli.command {
        Command::Init(args) if args.verify => pending("init --verify"),
        Command::Init(args) => crate::init::run(&cli.global, *args, &printer, &mut warnings),
        Command::Verify(_) => pending("verify"),
        Command::Status => pending("status"),
        Command::Remove { .. } => pending("remove"),
        Command::Simulate { .. } => pending("simulate"),
    };
    Outcome { result, warnings }
}

// Wired as each part lands (this session); until then the command says so plainly.
fn pending(what: &str) -> Result<Value, AppError> {
    Err(AppError::internal(format!("`{what}` is not built yet")))
}
