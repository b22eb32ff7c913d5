//! The one integration-test binary (ripgrep style): each module tests one area against the
//! built binary and real parts (PTY, Secret Service, loopback servers).

mod support;

#[cfg(target_os = "linux")]
mod admin_path;
mod handoff;
mod help;
mod init_flow;
mod listener;
mod metadata;
mod native_store;
mod network;
mod noninteractive;
mod oidc;
mod proof;
#[cfg(unix)]
mod proof_pty;
mod readme;
mod shell;
mod simulator;
#[cfg(target_os = "linux")]
mod store;
#[cfg(unix)]
mod transcript_pty;
#[cfg(unix)]
mod wizard_pty;
