//! Writing the emitted app into a folder, and what the admin does with it afterwards.
//! Everything is emitted (and so validated) before the disk is touched; each file is
//! written to a temporary file beside it and renamed, so a failure never leaves a
//! half-written file.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::source::{self, EmitError, SourceFile};
use super::spec::EcaSpec;
use crate::recipe::location;
use crate::recipe::metadata::setup_label as label;
use crate::validate::Problem;

/// What [`write_app_metadata`] wrote.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct WrittenFiles {
    pub dir: PathBuf,
    /// Every file, relative to `dir`, in the order written.
    pub files: Vec<PathBuf>,
    /// `dir/package.xml`.
    pub manifest: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// An answer the emitter cannot write (a usage error, like `init`'s exit 2).
    #[error("{0}")]
    Invalid(Problem),
    #[error("{} is not empty", dir.display())]
    NotEmpty { dir: PathBuf },
    #[error("{} exists and is not a folder", path.display())]
    NotADirectory { path: PathBuf },
    #[error("could not write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl WriteError {
    /// The exact correction, for the "Try: …" line.
    pub fn fix(&self) -> String {
        match self {
            WriteError::Invalid(problem) => problem.fix.clone(),
            WriteError::NotEmpty { dir } => format!(
                "choose an empty or new folder, or pass --force to overwrite the app's files in {} (other files there are left alone)",
                dir.display()
            ),
            WriteError::NotADirectory { path } => {
                format!("choose a folder path; {} is a file", path.display())
            }
            WriteError::Io { path, .. } => format!(
                "check that {} is writable and the disk has room, then run the command again",
                path.display()
            ),
        }
    }
}

impl From<EmitError> for WriteError {
    fn from(e: EmitError) -> Self {
        match e {
            EmitError::Invalid(problem) => WriteError::Invalid(problem),
        }
    }
}

/// Emits the app from `spec` and writes it into `dir` (created if missing). A non-empty
/// `dir` is refused unless `force`; with `force` only the app's own files are replaced.
pub fn write_app_metadata(
    spec: &EcaSpec,
    dir: &Path,
    force: bool,
) -> Result<WrittenFiles, WriteError> {
    let files = source::emit(spec)?;
    prepare_dir(dir, force)?;
    let mut written = Vec::new();
    for file in &files {
        write_one(dir, file)?;
        written.push(PathBuf::from(&file.path));
    }
    Ok(WrittenFiles {
        dir: dir.to_path_buf(),
        files: written,
        manifest: dir.join(source::MANIFEST),
    })
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn prepare_dir(dir: &Path, force: bool) -> Result<(), WriteError> {
    match std::fs::metadata(dir) {
        Ok(meta) if !meta.is_dir() => Err(WriteError::NotADirectory {
            path: dir.to_path_buf(),
        }),
        Ok(_) => {
            let mut entries = std::fs::read_dir(dir).map_err(io_error(dir))?;
            if entries.next().is_some() && !force {
                return Err(WriteError::NotEmpty {
                    dir: dir.to_path_buf(),
                });
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(io_error(dir))
        }
        Err(e) => Err(io_error(dir)(e)),
    }
}

fn write_one(dir: &Path, file: &SourceFile) -> Result<(), WriteError> {
    let path = dir.join(&file.path);
    let parent = path.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent).map_err(io_error(parent))?;
    if path.is_dir() {
        return Err(WriteError::NotADirectory { path });
    }
    let mut temp = tempfile::NamedTempFile::new_in(parent).map_err(io_error(parent))?;
    temp.write_all(&file.bytes)
        .and_then(|_| temp.as_file().sync_all())
        .map_err(io_error(&path))?;
    temp.persist(&path).map_err(|e| WriteError::Io {
        path: path.clone(),
        source: e.error,
    })?;
    Ok(())
}

/// How to deploy what was written, and what only the admin can do afterwards.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DeployInstructions {
    /// Once per org, before the deploy.
    pub login: String,
    /// The one shell command (run from anywhere; `ALIAS` is the admin's org alias).
    pub command: String,
    /// What Salesforce does not let a deploy do, in order.
    pub by_hand: Vec<String>,
    /// Why a deploy may fail, and what to do.
    pub if_it_fails: Vec<String>,
}

/// The instructions as the command prints them (plain text, one step a line).
impl std::fmt::Display for DeployInstructions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "Deploy it with the Salesforce CLI (log in once first: {}):",
            self.login
        )?;
        writeln!(f, "  {}", self.command)?;
        writeln!(f, "Then, by hand:")?;
        for (n, step) in self.by_hand.iter().enumerate() {
            writeln!(f, "  {}. {step}", n + 1)?;
        }
        writeln!(f, "If the deploy fails:")?;
        for step in &self.if_it_fails {
            writeln!(f, "  - {step}")?;
        }
        Ok(())
    }
}

/// The deploy command for `written` and the steps after it. `alias` defaults to `ALIAS`;
/// `instance_url` is the org's login URL when known (the sf CLI's default is production).
pub fn deploy_instructions(
    written: &WrittenFiles,
    alias: Option<&str>,
    instance_url: Option<&str>,
) -> DeployInstructions {
    let dir = shell_words::quote(&written.dir.to_string_lossy()).into_owned();
    let alias = shell_words::quote(alias.unwrap_or("ALIAS")).into_owned();
    let login = match instance_url {
        Some(url) => format!(
            "sf org login web --alias {alias} --instance-url {}",
            shell_words::quote(url)
        ),
        None => format!(
            "sf org login web --alias {alias}   (add --instance-url https://YOUR-DOMAIN.my.salesforce.com for a My Domain or sandbox)"
        ),
    };
    DeployInstructions {
        login,
        // The sf CLI finds the project (sfdx-project.json) from the working folder.
        command: format!(
            "cd {dir} && sf project deploy start --manifest {} --target-org {alias}",
            source::MANIFEST
        ),
        by_hand: vec![
            format!(
                "Open {} — Salesforce emails you a verification code first — and copy the Consumer Key and Consumer Secret it generated (they are never in these files).",
                location::CONSUMER_DETAILS
            ),
            "Enter both in Webex Control Hub (or store them with init below, then `sf-webex-setup handoff` puts each on the clipboard).".to_owned(),
            "Run `sf-webex-setup init` (or `init --verify`) with the same answers to store them in the keyring and prove the app with a real sign-in.".to_owned(),
            format!(
                "Salesforce creates {} with its defaults; the read-back after the sign-in reports any that stop Webex ({}, {}, {}).",
                location::OAUTH_POLICIES,
                label::PERMITTED_USERS,
                label::IP_RELAXATION,
                label::REFRESH_TOKEN_POLICY
            ),
        ],
        if_it_fails: vec![
            "The deploy calls a type unknown or not available: the org must opt in to External Client Apps (Setup, Quick Find \"External Client App Settings\", \"Opt in to External Client Apps\").".to_owned(),
            "A failure on the global OAuth settings: some orgs only accept them with \"Allow Access to OAuth Consumer Secrets via Metadata API\" and the \"View External Client Apps Consumer Secrets in Metadata\" permission; otherwise create the app by hand with `sf-webex-setup init`.".to_owned(),
            format!("\"Not a Salesforce DX project\": the command must run in the output folder (the `cd` does it; {} is there), or copy {}/ into your own project and deploy from there.", source::PROJECT_FILE, source::PACKAGE_ROOT),
        ],
    }
}

#[cfg(test)]
mod tests;
