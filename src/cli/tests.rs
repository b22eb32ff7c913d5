use super::*;
use clap::CommandFactory;

#[test]
fn clap_definitions_are_consistent() {
    Cli::command().debug_assert();
}

#[test]
fn callback_urls_and_scopes_repeat() {
    let cli = Cli::try_parse_from([
        "sf-webex-setup",
        "init",
        "--callback-url",
        "a",
        "--callback-url",
        "b",
        "--scope",
        "api,web",
        "--scope",
        "refresh_token",
    ])
    .unwrap();
    let Command::Init(init) = cli.command else {
        panic!("not init")
    };
    assert_eq!(init.app.callback_urls, ["a", "b"]);
    assert_eq!(init.app.scopes, ["api", "web", "refresh_token"]);
}

#[test]
fn help_documents_every_exit_code() {
    let help = Cli::command().render_long_help().to_string();
    for code in ["0 ", "1 ", "2 ", "3 ", "4 ", "5 ", "130 "] {
        assert!(
            help.contains(&format!("  {code}")),
            "exit code {code} missing from --help"
        );
    }
}

/// Every flag a `SF_WEBEX_*` variable can set to true, in every command.
fn boolean_variables() -> Vec<(String, clap::Arg)> {
    let top = Cli::command();
    let mut found = Vec::new();
    for cmd in std::iter::once(&top).chain(top.get_subcommands()) {
        for arg in cmd.get_arguments() {
            let is_flag = matches!(arg.get_action(), ArgAction::SetTrue);
            if let (true, Some(env)) = (is_flag, arg.get_env()) {
                found.push((env.to_string_lossy().into_owned(), arg.clone()));
            }
        }
    }
    found
}

/// What the flag's own value parser (the one its variable goes through) makes of `value`.
fn read_as_the_variable(arg: &clap::Arg, value: &str) -> Result<bool, clap::Error> {
    let id = arg.get_id().clone();
    let probe = arg.clone().action(ArgAction::Set).num_args(1).env(None);
    let long = arg.get_long().expect("a long flag");
    clap::Command::new("probe")
        .arg(probe)
        .try_get_matches_from(["probe", &format!("--{long}={value}")])
        .map(|m| *m.get_one::<bool>(id.as_str()).expect("parsed as bool"))
}

#[test]
fn every_boolean_variable_takes_1_0_yes_no_on_off_true_false() {
    let vars = boolean_variables();
    assert!(vars.len() >= 8, "found only {vars:?}");
    for (env, arg) in vars {
        for (value, want) in [
            ("1", true),
            ("yes", true),
            ("on", true),
            ("true", true),
            ("0", false),
            ("no", false),
            ("off", false),
            ("false", false),
        ] {
            let got = read_as_the_variable(&arg, value)
                .unwrap_or_else(|e| panic!("{env}={value} refused: {e}"));
            assert_eq!(got, want, "{env}={value}");
        }
        assert!(
            read_as_the_variable(&arg, "maybe").is_err(),
            "{env}=maybe accepted"
        );
    }
}

#[test]
fn the_early_json_check_reads_a_variable_as_clap_does() {
    for (value, want) in [
        ("1", Some(true)),
        ("Yes", Some(true)),
        ("on", Some(true)),
        ("0", Some(false)),
        ("off", Some(false)),
        ("false", Some(false)),
        ("maybe", None),
    ] {
        assert_eq!(boolish(OsStr::new(value)), want, "{value}");
    }
}

#[test]
fn init_help_lists_its_headings_in_the_wizard_s_order() {
    let mut cli = Cli::command();
    cli.build(); // hands the global flags down to the subcommands
    let init = cli.find_subcommand_mut("init").expect("init");
    let help = init.render_long_help().to_string();
    let at: Vec<usize> = [
        heading::ORG,
        heading::APP,
        heading::OAUTH,
        heading::CREDENTIALS,
        heading::PROOF,
        heading::STORE,
        heading::OUTPUT,
        "Examples:",
        "Exit codes:",
    ]
    .iter()
    .map(|h| {
        help.find(&format!("\n{h}"))
            .unwrap_or_else(|| panic!("{h} missing:\n{help}"))
    })
    .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{help}");
    assert!(
        !help.contains("\nOptions:"),
        "a flag without a heading:\n{help}"
    );
}

#[test]
fn login_and_no_login_conflict() {
    assert!(Cli::try_parse_from(["sf-webex-setup", "init", "--login", "--no-login"]).is_err());
}
