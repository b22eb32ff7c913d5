//! Dispatch: turns the parsed command line into one command run and its [`Outcome`]. Owns
//! the tokio runtime (built once, used only for the parts that are async).

use std::io::IsTerminal;
use std::time::Duration;

use serde_json::Value;

use crate::cli::{Cli, Command, GlobalArgs};
use crate::commands;
use crate::error::AppError;
use crate::output::Printer;

/// A command that failed, with what it had done by then (e.g. the proof's checks), so the
/// JSON envelope and the human report can still show it.
#[derive(Debug)]
pub struct Failure {
    pub error: AppError,
    pub partial: Option<Value>,
}

impl From<AppError> for Failure {
    fn from(error: AppError) -> Self {
        Failure {
            error,
            partial: None,
        }
    }
}

impl From<crate::store::StoreError> for Failure {
    fn from(error: crate::store::StoreError) -> Self {
        AppError::from(error).into()
    }
}

pub type CommandResult = Result<Value, Failure>;

/// What a command produced: its JSON `result`, the error if it failed, and the warnings
/// met on the way.
#[derive(Debug)]
pub struct Outcome {
    pub result: Option<Value>,
    pub error: Option<AppError>,
    pub warnings: Vec<String>,
}

impl Outcome {
    pub fn exit_code(&self) -> u8 {
        self.error.as_ref().map_or(0, AppError::exit_code)
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

/// How long `init --verify` may take in all (`verify --timeout` changes it).
const VERIFY_DEADLINE: Duration = Duration::from_secs(30);

pub fn run(cli: Cli) -> Outcome {
    let printer = Printer::new(cli.global.json);
    let mut warnings = Vec::new();
    let global = &cli.global;
    let result = match cli.command {
        Command::Init(args) if args.verify => commands::verify(
            global,
            args.login,
            VERIFY_DEADLINE,
            &args.proof,
            &mut warnings,
        ),
        Command::Init(args) => crate::init::run(global, *args, &printer, &mut warnings),
        Command::Verify(args) => {
            commands::verify(global, args.login, args.timeout, &args.proof, &mut warnings)
        }
        Command::Status => commands::status(global, &mut warnings),
        Command::Remove { force } => commands::remove(global, force),
        Command::Simulate { port } => commands::simulate::run(port, global.json),
    };
    match result {
        Ok(value) => Outcome {
            result: Some(value),
            error: None,
            warnings,
        },
        Err(f) => Outcome {
            result: f.partial,
            error: Some(f.error),
            warnings,
        },
    }
}
