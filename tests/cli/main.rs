//! The one integration-test binary (ripgrep style): each module tests one area against the
//! built binary and real parts (PTY, Secret Service, loopback servers).

mod support;

mod help;
mod init_flow;
mod listener;
mod noninteractive;
mod oidc;
mod proof;
mod proof_pty;
mod readme;
mod shell;
mod simulator;
mod store;
mod transcript_pty;
mod wizard_pty;
