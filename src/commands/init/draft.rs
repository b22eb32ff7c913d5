//! Drafts: once the wizard's answers have been checked, they are kept — never the secret —
//! for the profile until its credentials are stored, so a failed or cancelled proof does not
//! mean answering every step again: `init --resume` re-asks only the secret (and any one
//! answer the admin wants to change). One JSON file per profile in the config folder
//! (`drafts/PROFILE.json` beside the profile index), written atomically, 0600 on Unix.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{AppError, ErrorCode};
use crate::setup::AppSetup;
use crate::store::now_rfc3339;
use crate::wizard::Answers;

const DRAFT_VERSION: u32 = 1;

/// A profile's pending answers.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Draft {
    pub version: u32,
    pub profile: String,
    pub saved_at: String,
    pub answers: Answers,
}

impl Draft {
    /// The checked answers of `setup` (the secret is not among them).
    pub fn of(profile: &str, setup: &AppSetup) -> Draft {
        Draft {
            version: DRAFT_VERSION,
            profile: profile.to_string(),
            saved_at: now_rfc3339(),
            answers: Answers {
                login_url: Some(setup.login.origin()),
                app_name: Some(setup.app_name.clone()),
                api_name: Some(setup.api_name.clone()),
                contact_email: Some(setup.contact_email.clone()),
                distribution_state: Some(setup.distribution_state.flag_value().into()),
                callback_urls: setup.callback_urls.clone(),
                scopes: setup.scopes.iter().map(|s| s.value.to_string()).collect(),
                allow_extra_scopes: setup.scopes.iter().any(|s| !s.required),
                security: setup
                    .security
                    .iter()
                    .map(|o| o.flag_value().to_string())
                    .collect(),
                consumer_key: Some(setup.credentials.consumer_key.clone()),
            },
        }
    }
}

/// Where drafts live: `drafts/` beside the profile index.
pub fn drafts_dir(index_path: &Path) -> PathBuf {
    index_path.parent().unwrap_or(Path::new(".")).join("drafts")
}

fn path(dir: &Path, profile: &str) -> PathBuf {
    // Profile names are validated (letters, digits, '-', '_', '.') before any draft is made.
    dir.join(format!("{profile}.json"))
}

fn failed(what: &str, path: &Path, e: impl std::error::Error + Send + Sync + 'static) -> AppError {
    AppError::new(
        ErrorCode::DraftFailed,
        format!("The draft {} could not be {what}.", path.display()),
    )
    .with_fix(format!(
        "check the permissions of {} (it holds no secret; deleting it only loses the saved answers)",
        path.parent().unwrap_or(path).display()
    ))
    .with_source(e)
}

/// Writes `draft` atomically (a temporary file in the same folder, then renamed), readable
/// by the owner only.
pub fn save(dir: &Path, draft: &Draft) -> Result<(), AppError> {
    let target = path(dir, &draft.profile);
    std::fs::create_dir_all(dir).map_err(|e| failed("written", &target, e))?;
    let json = serde_json::to_vec_pretty(draft).map_err(|e| failed("written", &target, e))?;
    // tempfile creates the file 0600 on Unix.
    let mut tmp =
        tempfile::NamedTempFile::new_in(dir).map_err(|e| failed("written", &target, e))?;
    tmp.write_all(&json)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| failed("written", &target, e))?;
    tmp.persist(&target)
        .map_err(|e| failed("written", &target, e.error))?;
    Ok(())
}

/// The profile's draft, if there is one.
pub fn load(dir: &Path, profile: &str) -> Result<Option<Draft>, AppError> {
    let target = path(dir, profile);
    let text = match std::fs::read(&target) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(failed("read", &target, e)),
    };
    let draft: Draft = serde_json::from_slice(&text).map_err(|e| failed("read", &target, e))?;
    Ok(Some(draft))
}

/// Removes the profile's draft (nothing to do if there is none).
pub fn remove(dir: &Path, profile: &str) -> Result<(), AppError> {
    let target = path(dir, profile);
    match std::fs::remove_file(&target) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(failed("removed", &target, e)),
        _ => Ok(()),
    }
}

/// Every pending draft, by profile name.
pub fn list(dir: &Path) -> Vec<Draft> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut drafts: Vec<Draft> = entries
        .filter_map(Result::ok)
        .filter_map(|e| std::fs::read(e.path()).ok())
        .filter_map(|text| serde_json::from_slice(&text).ok())
        .collect();
    drafts.sort_by(|a: &Draft, b: &Draft| a.profile.cmp(&b.profile));
    drafts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(profile: &str) -> Draft {
        Draft {
            version: DRAFT_VERSION,
            profile: profile.into(),
            saved_at: "2026-12-01T12:00:00Z".into(),
            answers: Answers {
                app_name: Some("Webex".into()),
                consumer_key: Some("3MVGkey".into()),
                ..Answers::default()
            },
        }
    }

    #[test]
    fn a_draft_round_trips_is_listed_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let drafts = dir.path().join("drafts");
        assert!(load(&drafts, "prod").unwrap().is_none());
        save(&drafts, &draft("prod")).unwrap();
        save(&drafts, &draft("uat")).unwrap();
        let back = load(&drafts, "prod").unwrap().expect("saved");
        assert_eq!(back.answers.app_name.as_deref(), Some("Webex"));
        let names: Vec<_> = list(&drafts).into_iter().map(|d| d.profile).collect();
        assert_eq!(names, ["prod", "uat"]);
        remove(&drafts, "prod").unwrap();
        remove(&drafts, "prod").unwrap();
        assert!(load(&drafts, "prod").unwrap().is_none());
    }

    #[cfg(unix)]
    #[test]
    fn a_draft_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        save(dir.path(), &draft("prod")).unwrap();
        let mode = std::fs::metadata(dir.path().join("prod.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
