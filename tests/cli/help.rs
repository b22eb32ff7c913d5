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
    use clap::CommandFactory;
    insta::assert_snapshot!("help_top", help(&[]));
    // Every visible command, read from the definitions: a new one cannot go unpinned.
    let cli = sf_webex_setup::cli::Cli::command();
    let names: Vec<&str> = cli
        .get_subcommands()
        .filter(|c| !c.is_hide_set() && c.get_name() != "help")
        .map(|c| c.get_name())
        .collect();
    assert!(names.contains(&"init"), "{names:?}");
    for name in names {
        insta::assert_snapshot!(format!("help_{name}"), help(&[name]));
    }
}
