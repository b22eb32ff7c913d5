//! Table tests for the OAuth Scopes and Security sections.

use super::*;
use crate::recipe::SecurityOption;

fn values(v: &[&'static Scope]) -> Vec<&'static str> {
    v.iter().map(|s| s.value).collect()
}

#[test]
fn scopes_accept_values_synonyms_and_labels_in_setup_order() {
    let label = recipe::SCOPES[1].label;
    // (input, all selected values, extra values)
    let table: Vec<(Vec<&str>, Vec<&str>, Vec<&str>)> = vec![
        (
            vec!["api", "web", "refresh_token"],
            vec!["api", "web", "refresh_token"],
            vec![],
        ),
        (
            vec!["offline_access", " WEB ", "api"],
            vec!["api", "web", "refresh_token"],
            vec![],
        ),
        (
            vec!["api", "api", "web", "refresh_token", "offline_access"],
            vec!["api", "web", "refresh_token"],
            vec![],
        ),
        (
            vec!["api", label, "refresh_token"],
            vec!["api", "web", "refresh_token"],
            vec![],
        ),
        (
            vec!["openid", "api", "web", "refresh_token", "id"],
            vec!["api", "web", "refresh_token", "id", "openid"],
            vec!["id", "openid"],
        ),
    ];
    for (input, all, extras) in table {
        let sel = scopes(&input).unwrap_or_else(|p| panic!("{input:?} refused: {p}"));
        assert_eq!(values(&sel.scopes), all, "{input:?}");
        assert_eq!(values(&sel.extras), extras, "{input:?}");
    }
}

#[test]
fn scopes_refusals_name_the_exact_setup_labels_or_the_known_values() {
    let [api, web, refresh] = [0, 1, 2].map(|i| recipe::SCOPES[i].label);
    // (input, texts the message must contain, text the fix must contain)
    let table: Vec<(Vec<&str>, Vec<&str>, &str)> = vec![
        (vec![], vec![api, web, refresh], "Selected OAuth Scopes"),
        (
            vec!["api", "web"],
            vec![refresh, recipe::SCOPES[2].why],
            refresh,
        ),
        (vec!["api", "refresh_token", "full"], vec![web], web),
        (
            vec!["api", "web", "refresh"],
            vec![
                "Unknown OAuth scope \"refresh\"",
                "refresh_token, offline_access",
            ],
            "e.g. api",
        ),
    ];
    for (input, message, fix) in table {
        let p = scopes(&input).expect_err("refused");
        for m in message {
            assert!(p.message.contains(m), "{input:?}: {p} lacks {m:?}");
        }
        assert!(p.fix.contains(fix), "{input:?}: {p}");
    }
}

#[test]
fn security_needs_every_recipe_box_and_names_each_missing_one() {
    let flags: Vec<&str> = SecurityOption::ALL.iter().map(|o| o.flag_value()).collect();
    let all = security(&flags).expect("all of them");
    assert_eq!(all, SecurityOption::ALL);
    let mut dup = flags.clone();
    dup.push(" PKCE ");
    assert_eq!(
        security(&dup).expect("duplicates collapse"),
        SecurityOption::ALL
    );
    for (i, missing) in SecurityOption::ALL.iter().enumerate() {
        let others: Vec<&str> = flags
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, f)| *f)
            .collect();
        let p = security(&others).expect_err(missing.flag_value());
        assert!(
            p.message.contains(missing.label()) && p.message.contains(missing.explains()),
            "{p}"
        );
        assert!(
            p.fix.contains(&format!("tick \"{}\"", missing.label())) && p.fix.ends_with("Security"),
            "{p}"
        );
    }
    let none = security(&[]).expect_err("none ticked");
    assert!(
        SecurityOption::ALL
            .iter()
            .all(|o| none.fix.contains(o.label())),
        "{none}"
    );
    let unknown = security(&["pkce", "mfa"]).expect_err("unknown");
    assert!(unknown.message.contains("\"mfa\""), "{unknown}");
    assert!(
        flags.iter().all(|f| unknown.message.contains(f)),
        "{unknown}"
    );
}
