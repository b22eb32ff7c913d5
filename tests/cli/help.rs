//! `--help` of every command, pinned (snapshots in tests/cli/snapshots/): a changed flag,
//! heading or example shows up as a diff to review.

use crate::support::{assert_cmd, Sandbox};

fn help(args: &[&str]) -> String {
    let out = assert_cmd(&Sandbox::new())
        .args(args)
        .arg("--help")
        .env("COLUMNS", "100")
        .output()
        .expect("run the binary");
    assert_eq!(out.status.code(), Some(0), "{args:?} --help");
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn the_help_of_every_command_is_pinned() {
    for (name, args) in [
        ("help_top", &[][..]),
        ("help_init", &["init"][..]),
        ("help_verify", &["verify"][..]),
        ("help_status", &["status"][..]),
        ("help_remove", &["remove"][..]),
        ("help_completions", &["completions"][..]),
        ("help_man", &["man"][..]),
    ] {
        insta::assert_snapshot!(name, help(args));
    }
}
