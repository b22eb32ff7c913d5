use super::*;

fn spec() -> EcaSpec {
    EcaSpec::webex("Webex", "admin@example.com", &[])
}

#[test]
fn writes_every_file_into_a_new_folder_and_reports_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out/app");
    let written = write_app_metadata(&spec(), &dir, false).unwrap();
    let emitted = source::emit(&spec()).unwrap();
    assert_eq!(written.files.len(), emitted.len());
    for f in &emitted {
        assert_eq!(
            std::fs::read(dir.join(&f.path)).unwrap(),
            f.bytes,
            "{}",
            f.path
        );
    }
    assert_eq!(written.manifest, dir.join("package.xml"));
    assert!(written.manifest.is_file());
}

#[test]
fn a_non_empty_folder_is_refused_without_force_and_left_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let err = write_app_metadata(&spec(), tmp.path(), false).unwrap_err();
    assert!(matches!(err, WriteError::NotEmpty { .. }), "{err:?}");
    assert!(err.fix().contains("--force"));
    let names: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["notes.txt"]);
}

#[test]
fn force_replaces_the_apps_files_and_keeps_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    write_app_metadata(&spec(), tmp.path(), false).unwrap();
    std::fs::write(tmp.path().join("package.xml"), "stale").unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    write_app_metadata(&spec(), tmp.path(), true).unwrap();
    let manifest = std::fs::read_to_string(tmp.path().join("package.xml")).unwrap();
    assert!(manifest.starts_with("<?xml"), "{manifest}");
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn a_bad_answer_or_a_file_in_the_way_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new");
    let mut bad = spec();
    bad.api_name = "../x".into();
    assert!(matches!(
        write_app_metadata(&bad, &dir, false),
        Err(WriteError::Invalid(_))
    ));
    assert!(!dir.exists(), "validated before the folder is made");
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    assert!(matches!(
        write_app_metadata(&spec(), &file, true),
        Err(WriteError::NotADirectory { .. })
    ));
}

#[test]
fn the_deploy_command_names_the_manifest_the_org_alias_and_quotes_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("with space");
    let written = write_app_metadata(&spec(), &dir, false).unwrap();
    let steps = deploy_instructions(&written, Some("my-org"), None);
    let words = shell_words::split(&steps.command).unwrap();
    let deploy = words.iter().position(|w| w == "sf").unwrap();
    assert_eq!(words[1], dir.to_string_lossy(), "{}", steps.command);
    assert_eq!(
        &words[deploy..],
        [
            "sf",
            "project",
            "deploy",
            "start",
            "--manifest",
            "package.xml",
            "--target-org",
            "my-org"
        ]
    );
    assert!(steps
        .by_hand
        .iter()
        .any(|s| s.contains(location::CONSUMER_DETAILS)));
    assert!(steps
        .by_hand
        .iter()
        .any(|s| s.contains("Webex Control Hub")));
    let unnamed = deploy_instructions(&written, None, Some("https://acme.my.salesforce.com"));
    assert!(unnamed.command.ends_with("--target-org ALIAS"));
    assert_eq!(
        shell_words::split(&unnamed.login).unwrap(),
        [
            "sf",
            "org",
            "login",
            "web",
            "--alias",
            "ALIAS",
            "--instance-url",
            "https://acme.my.salesforce.com"
        ]
    );
    assert!(
        steps.login.contains("YOUR-DOMAIN"),
        "unknown org: the hint says how"
    );
}
