//! Usage errors said without repeating what was typed: clap quotes the values it refuses
//! (`unexpected argument 'S' found`), and a CI log would keep a secret pasted in the wrong
//! place. Every value from the command line in clap's message is replaced by its position;
//! an argument that is not UTF-8 is named by the flag it was given to.

use std::ffi::OsString;

use crate::error::{AppError, ErrorCode};

const FIX: &str = "see `sf-webex-setup --help` (or the command's --help)";

/// The first argument that is not UTF-8, as an error naming its position and flag.
pub fn non_utf8(args: &[OsString]) -> Option<AppError> {
    let at = args.iter().skip(1).position(|a| a.to_str().is_none())? + 1;
    let flag = args[at - 1]
        .to_str()
        .filter(|prev| at > 1 && prev.starts_with("--"))
        .map(|prev| format!(" (the value of {prev})"))
        .unwrap_or_default();
    Some(
        AppError::new(
            ErrorCode::InvalidUsage,
            format!("Argument {at}{flag} is not valid UTF-8 text."),
        )
        .with_fix("type it again as text; from a script, check the encoding of what is passed"),
    )
}

/// clap's refusal as our error, its first line with every command-line value replaced by
/// `argument N`.
pub fn refused(e: &clap::Error, args: &[OsString]) -> AppError {
    let rendered = e.to_string();
    let first = rendered
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches("error: ");
    AppError::new(ErrorCode::InvalidUsage, redact(first, args)).with_fix(FIX)
}

fn redact(text: &str, args: &[OsString]) -> String {
    let mut out = text.to_string();
    for (i, arg) in args.iter().enumerate().skip(1) {
        let Some(arg) = arg.to_str() else { continue };
        let value = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => value,
            _ if arg.starts_with('-') => continue,
            _ => arg,
        };
        if !value.is_empty() {
            out = out.replace(&format!("'{value}'"), &format!("argument {i}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn values_in_clap_messages_are_replaced_by_their_position() {
        let a = args(&[
            "sf-webex-setup",
            "init",
            "--consumer-secret-stdin=S3cr3t",
            "X9",
        ]);
        assert_eq!(
            redact(
                "unexpected value 'S3cr3t' for '--consumer-secret-stdin' found",
                &a
            ),
            "unexpected value argument 2 for '--consumer-secret-stdin' found"
        );
        assert_eq!(
            redact("unexpected argument 'X9' found", &a),
            "unexpected argument argument 3 found"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_non_utf8_argument_is_named_by_its_flag() {
        use std::os::unix::ffi::OsStringExt;
        let mut a = args(&["sf-webex-setup", "init", "--app-name"]);
        a.push(OsString::from_vec(vec![0xff]));
        let e = non_utf8(&a).expect("refused");
        assert_eq!(
            e.message,
            "Argument 3 (the value of --app-name) is not valid UTF-8 text."
        );
        assert!(non_utf8(&args(&["sf-webex-setup", "status"])).is_none());
    }
}
