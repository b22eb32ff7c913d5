//! `completions` and `man`: each completion script is loaded by its real shell where that
//! shell installs from Debian (bash, zsh, fish; scripts/test installs them) and asked to
//! complete; PowerShell and Elvish cannot be installed here, so their scripts are only read
//! (they name every command). The man page is roff naming every command and flag.

use std::path::Path;
use std::process::Command;

use crate::support::{assert_cmd, Sandbox};

fn script(shell: &str) -> String {
    let out = assert_cmd(&Sandbox::new())
        .args(["completions", shell])
        .output()
        .expect("run the binary");
    assert_eq!(out.status.code(), Some(0), "completions {shell}");
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The shell, or `None` after saying why the test is skipped (a failure under CI, whose
/// scripts/test installs it).
fn shell(name: &str) -> Option<&str> {
    let found = Command::new(name)
        .arg("-c")
        .arg("exit 0")
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        eprintln!("skipped: {name} is not installed (scripts/test installs it)");
        assert!(
            std::env::var_os("CI").is_none_or(|v| v.is_empty()),
            "CI must have {name}: scripts/test installs it"
        );
        return None;
    }
    Some(name)
}

/// Runs `code` in `shell` with the completion script saved as `file` beside it.
fn run_in(shell: &str, file: &str, code: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(file);
    std::fs::write(&path, script(shell)).unwrap();
    let out = Command::new(shell)
        .args(shell_args(shell))
        .arg(code.replace("SCRIPT", &path.display().to_string()))
        .env("HOME", dir.path())
        .output()
        .expect("run the shell");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.trim().is_empty(),
        "{shell} failed to load the script: {stderr}"
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn shell_args(shell: &str) -> &'static [&'static str] {
    match shell {
        "bash" => &["--norc", "--noprofile", "-c"],
        "zsh" => &["-f", "-c"],
        _ => &["--no-config", "-c"],
    }
}

#[test]
fn bash_loads_the_completions_and_completes_commands_and_flags() {
    let Some(bash) = shell("bash") else { return };
    let commands = run_in(
        bash,
        "sf-webex-setup.bash",
        r#"source SCRIPT
f=$(complete -p sf-webex-setup | sed 's/.*-F \([^ ]*\).*/\1/')
COMP_WORDS=(sf-webex-setup i); COMP_CWORD=1; "$f" sf-webex-setup i sf-webex-setup
echo "${COMPREPLY[@]}"
COMP_WORDS=(sf-webex-setup init --log); COMP_CWORD=2; "$f" sf-webex-setup --log init
echo "${COMPREPLY[@]}""#,
    );
    let lines: Vec<&str> = commands.lines().collect();
    assert_eq!(lines.first(), Some(&"init"), "{commands}");
    assert!(
        lines[1].contains("--login-url") && lines[1].contains("--login-timeout"),
        "{commands}"
    );
}

#[test]
fn zsh_loads_the_completions_and_registers_them() {
    let Some(zsh) = shell("zsh") else { return };
    let out = run_in(
        zsh,
        "_sf-webex-setup",
        "autoload -Uz compinit && compinit -u -D && source SCRIPT && print -r -- $_comps[sf-webex-setup]",
    );
    assert_eq!(out.trim(), "_sf-webex-setup");
}

#[test]
fn fish_loads_the_completions_and_completes_commands_and_flags() {
    let Some(fish) = shell("fish") else { return };
    let out = run_in(
        fish,
        "sf-webex-setup.fish",
        "source SCRIPT; complete -C 'sf-webex-setup '; complete -C 'sf-webex-setup init --consumer-'",
    );
    for word in [
        "init",
        "verify",
        "status",
        "remove",
        "--consumer-key",
        "--consumer-secret-stdin",
    ] {
        assert!(
            out.lines().any(|l| l.split('\t').next() == Some(word)),
            "{word} not offered:\n{out}"
        );
    }
}

#[test]
fn powershell_and_elvish_scripts_name_every_command() {
    // Neither shell installs from Debian, so the scripts are read, not run.
    for shell in ["powershell", "elvish"] {
        let text = script(shell);
        for word in ["init", "verify", "status", "remove", "--login-url"] {
            assert!(text.contains(word), "{shell}: {word} missing");
        }
    }
}

#[test]
fn the_man_page_is_roff_with_every_command_and_a_page_per_command_with_dir() {
    let out = assert_cmd(&Sandbox::new())
        .arg("man")
        .output()
        .expect("run the binary");
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(
        page.starts_with(".ie") || page.contains(".TH sf-webex-setup 1"),
        "{page}"
    );
    for word in [
        "init",
        "verify",
        "status",
        "remove",
        "completions",
        "\\-\\-profile",
    ] {
        assert!(page.contains(word), "{word} missing from the man page");
    }
    assert!(
        !page.contains("\nsimulate"),
        "the hidden command is documented"
    );

    let dir = tempfile::tempdir().unwrap();
    let out = assert_cmd(&Sandbox::new())
        .args(["man", "--dir"])
        .arg(dir.path())
        .output()
        .expect("run the binary");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let init = read(&dir.path().join("sf-webex-setup-init.1"));
    for flag in [
        "login\\-url",
        "consumer\\-secret\\-stdin",
        "callback\\-port",
    ] {
        assert!(init.contains(flag), "{flag} missing from the init page");
    }
    assert!(dir.path().join("sf-webex-setup.1").exists());
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
