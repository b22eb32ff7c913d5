//! The commands: [`init`] (the wizard, the proof, storing), [`verify`] (re-checking a stored
//! profile, or all of them), [`status`], [`handoff`], [`remove`], [`metadata`] (the app as
//! deployable source) and the hidden [`simulate`]. Each takes the one
//! [`Context`] and its own options; none knows about clap.

pub mod context;
pub mod handoff;
pub mod init;
pub mod metadata;
pub mod profile;
pub mod proof_flags;
pub mod remove;
pub mod simulate;
pub mod status;
pub mod verify;
pub mod verify_all;

pub use context::{CommandResult, Context, Failure, Globals, Outcome};

use serde_json::Value;

use crate::error::AppError;

/// A report as the `result` of the envelope.
pub(crate) fn to_value(report: &impl serde::Serialize) -> Result<Value, AppError> {
    serde_json::to_value(report)
        .map_err(|e| AppError::internal("could not serialise the report").with_source(e))
}

/// A closed stdout (`status | head`) is not an error; any other write failure is.
pub(crate) fn written(r: std::io::Result<()>) -> Result<(), AppError> {
    r.map_err(|e| AppError::internal("could not write the report").with_source(e))
}
