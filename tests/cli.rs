//! The one integration-test binary (ripgrep style): each module tests one area against the
//! built binary and real parts (PTY, Secret Service, loopback servers).

#[path = "cli/support.rs"]
mod support;

#[path = "cli/init_flow.rs"]
mod init_flow;
#[path = "cli/listener.rs"]
mod listener;
#[path = "cli/metadata.rs"]
mod metadata;
#[path = "cli/noninteractive.rs"]
mod noninteractive;
#[path = "cli/oidc.rs"]
mod oidc;
#[path = "cli/proof.rs"]
mod proof;
#[path = "cli/proof_pty.rs"]
mod proof_pty;
#[path = "cli/simulator.rs"]
mod simulator;
#[path = "cli/store.rs"]
mod store;
#[path = "cli/wizard_pty.rs"]
mod wizard_pty;
