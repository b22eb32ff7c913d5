//! The subcommands other than the `init` wizard: `init --verify` (alias `verify`),
//! `status` and `remove`.

pub mod remove;
pub mod status;
pub mod verify;
