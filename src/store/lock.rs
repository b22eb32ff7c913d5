//! Locks between concurrent runs, as OS file locks (released by the OS when a run dies):
//! one for the profile index, held around every read-modify-write so no run's update is
//! lost; one per profile, held from the up-front store check to the write, so two runs
//! setting up the same profile cannot both pass the "is it stored already?" check and
//! silently replace each other.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::StoreError;

/// How long a run waits for another to finish writing the index (it takes milliseconds).
pub const INDEX_WAIT: Duration = Duration::from_secs(10);

/// A held lock; released when dropped.
#[derive(Debug)]
pub struct Held {
    _file: File,
}

fn lock_error(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Index {
        path: path.display().to_string(),
        action: "locked",
        detail: e.to_string(),
    }
}

/// Takes the lock file at `path` (created if needed), waiting up to `wait`.
fn take(path: &Path, what: &str, wait: Duration) -> Result<Held, StoreError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| lock_error(path, e))?;
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| lock_error(path, e))?;
    let deadline = Instant::now() + wait;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Held { _file: file }),
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(TryLockError::WouldBlock) => {
                return Err(StoreError::Busy {
                    what: what.to_string(),
                })
            }
            Err(TryLockError::Error(e)) => return Err(lock_error(path, e)),
        }
    }
}

/// The profile index's lock (beside it: `profiles.json.lock`).
pub fn index(index_path: &Path) -> Result<Held, StoreError> {
    let mut name = index_path.as_os_str().to_owned();
    name.push(".lock");
    take(
        &PathBuf::from(name),
        &format!("the profile index {}", index_path.display()),
        INDEX_WAIT,
    )
}

/// The lock of one profile being set up (`locks/PROFILE.lock` beside the index). Not
/// waited for: the other run may be in the middle of a five-minute sign-in.
pub fn profile(index_path: &Path, profile: &str) -> Result<Held, StoreError> {
    let dir = index_path.parent().unwrap_or(Path::new(".")).join("locks");
    take(
        &dir.join(format!("{profile}.lock")),
        &format!("profile `{profile}` (it is being set up right now)"),
        Duration::ZERO,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_of_a_profile_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("profiles.json");
        let first = profile(&index, "prod").unwrap();
        let err = profile(&index, "prod").unwrap_err();
        assert_eq!(err.code(), crate::error::ErrorCode::StoreBusy);
        assert!(err.to_string().contains("profile `prod`"), "{err}");
        assert!(profile(&index, "uat").is_ok(), "other profiles are free");
        drop(first);
        assert!(profile(&index, "prod").is_ok());
    }

    #[test]
    fn the_index_lock_waits_for_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profiles.json");
        let held = index(&path).unwrap();
        let waiter = {
            let path = path.clone();
            std::thread::spawn(move || index(&path).map(|_| Instant::now()))
        };
        std::thread::sleep(Duration::from_millis(200));
        let released = Instant::now();
        drop(held);
        let got = waiter.join().unwrap().expect("got it after the release");
        assert!(got >= released);
    }
}
