//! The README's tables are the registries: the check ids, the exit codes and the error
//! codes come from their enums. `UPDATE_README=1 cargo test --test cli readme` rewrites
//! them in place; without it, a README that differs from the enums fails here.

use sf_webex_setup::error::{ErrorCode, ExitKind};
use sf_webex_setup::report::CheckId;

const README: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");

fn checks_table() -> String {
    let mut t = String::from("| id | title | proves |\n|---|---|---|\n");
    for id in CheckId::ALL {
        t.push_str(&format!("| `{id}` | {} | {} |\n", id.title(), id.proves()));
    }
    t
}

fn exit_codes_table() -> String {
    let mut t = String::from("| code | meaning |\n|---|---|\n| 0 | ok |\n");
    for kind in ExitKind::ALL {
        t.push_str(&format!("| {} | {} |\n", kind.code(), kind.meaning()));
    }
    t
}

fn error_codes_table() -> String {
    let mut t = String::from("| `error.code` | exit | meaning |\n|---|---|---|\n");
    for code in ErrorCode::ALL {
        t.push_str(&format!(
            "| `{code}` | {} | {} |\n",
            code.exit_kind().code(),
            code.meaning()
        ));
    }
    t
}

/// `text` with the part between `<!-- NAME:start -->` and `<!-- NAME:end -->` replaced.
fn with_table(text: &str, name: &str, table: &str) -> String {
    let start = format!("<!-- {name}:start -->\n");
    let end = format!("<!-- {name}:end -->");
    let a = text
        .find(&start)
        .unwrap_or_else(|| panic!("README lacks {start}"))
        + start.len();
    let b = text[a..]
        .find(&end)
        .unwrap_or_else(|| panic!("README lacks {end}"))
        + a;
    format!("{}{table}{}", &text[..a], &text[b..])
}

#[test]
fn the_readme_tables_are_generated_from_the_enums() {
    let text = std::fs::read_to_string(README).expect("README.md");
    let mut want = text.clone();
    for (name, table) in [
        ("checks", checks_table()),
        ("exit-codes", exit_codes_table()),
        ("error-codes", error_codes_table()),
    ] {
        want = with_table(&want, name, &table);
    }
    if std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(README, &want).expect("write README.md");
        return;
    }
    assert!(
        text == want,
        "the README's tables differ from the enums; run UPDATE_README=1 cargo test --test cli readme"
    );
}
