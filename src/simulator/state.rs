//! The simulated org's memory: the live configuration, a movable clock, authorization
//! codes, login sessions, access and refresh tokens, and the counters behind
//! [`SimStats`]. Everything sits behind short-held std locks (never held across `.await`).

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard, RwLock, RwLockReadGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use url::Url;

use super::config::{random_token, SimConfig};
use super::stats::SimStats;

/// Authorization codes live about 15 minutes (doc).
pub(crate) const CODE_LIFETIME: Duration = Duration::from_secs(15 * 60);
/// Access tokens die with the session; 2 hours is Salesforce's default session timeout.
pub(crate) const ACCESS_TOKEN_LIFETIME: Duration = Duration::from_secs(2 * 60 * 60);
/// Each user may hold 5 approvals (refresh tokens) per app; a 6th revokes the oldest (doc).
pub(crate) const MAX_REFRESH_TOKENS_PER_USER_AND_APP: usize = 5;
/// Past this many codes, access tokens or sessions, stale ones are swept, so a long
/// benchmark cannot grow the simulator without bound.
const SWEEP_ABOVE: usize = 4096;

/// The PKCE challenge an authorization request carried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Challenge {
    S256(String),
    Plain(String),
}

/// An authorization code: single use, short-lived, bound to what the authorize request said.
#[derive(Clone, Debug)]
pub(crate) struct Code {
    pub client_id: String,
    pub redirect_uri: String,
    pub challenge: Option<Challenge>,
    pub scopes: Vec<String>,
    pub expires: Instant,
}

#[derive(Debug)]
struct RefreshRecord {
    client_id: String,
    scopes: Vec<String>,
    /// Issue order, for evicting the oldest.
    seq: u64,
}

#[derive(Debug)]
struct AccessRecord {
    client_id: String,
    scopes: Vec<String>,
    refresh: Option<String>,
    expires: Instant,
}

/// A valid access token's grant, as the resource endpoints need it.
#[derive(Clone, Debug)]
pub(crate) struct AccessGrant {
    pub client_id: String,
    pub scopes: Vec<String>,
}

/// What `revoke` found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Revoked {
    Access,
    Refresh,
    Unknown,
}

#[derive(Default)]
struct Data {
    codes: HashMap<String, Code>,
    sessions: HashSet<String>,
    refresh: HashMap<String, RefreshRecord>,
    access: HashMap<String, AccessRecord>,
    next_seq: u64,
    stats: SimStats,
}

/// Shared by every handler and by the [`super::Simulator`] handle.
pub(crate) struct Shared {
    pub base: Url,
    config: RwLock<SimConfig>,
    /// When the simulator started (timed propagation counts from here).
    started: Instant,
    clock_offset: Mutex<Duration>,
    data: Mutex<Data>,
}

/// Locks ignoring poison: a panicking test thread must not take the server down with it.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    pub fn new(base: Url, config: SimConfig) -> Shared {
        Shared {
            base,
            config: RwLock::new(config),
            clock_offset: Mutex::new(Duration::ZERO),
            data: Mutex::new(Data::default()),
            started: Instant::now(),
        }
    }

    /// The app as this server sees it now: a timed propagation still under way counts as
    /// `propagating`.
    pub fn app(&self) -> SimConfig {
        let mut app = self.config().clone();
        if let Some(after) = app.propagates_after {
            app.propagating |= self.now() < self.started + after;
        }
        app
    }

    pub fn config(&self) -> RwLockReadGuard<'_, SimConfig> {
        self.config.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn replace_config(&self, config: SimConfig) {
        *self.config.write().unwrap_or_else(|e| e.into_inner()) = config;
    }

    /// `base_url` without the trailing slash, as `instance_url` and identity URLs use it.
    pub fn base_str(&self) -> &str {
        self.base.as_str().trim_end_matches('/')
    }

    pub fn identity_url(&self, config: &SimConfig) -> String {
        format!(
            "{}/id/{}/{}",
            self.base_str(),
            config.user.org_id,
            config.user.user_id
        )
    }

    // --- clock

    pub fn advance_clock(&self, by: Duration) {
        let mut offset = lock(&self.clock_offset);
        *offset = offset.saturating_add(by);
    }

    fn offset(&self) -> Duration {
        *lock(&self.clock_offset)
    }

    /// When a code issued now expires.
    pub fn code_expiry(&self) -> Instant {
        self.now() + CODE_LIFETIME
    }

    pub fn now(&self) -> Instant {
        let now = Instant::now();
        now.checked_add(self.offset()).unwrap_or(now)
    }

    /// Milliseconds since the epoch on the simulated clock (`issued_at`).
    pub fn now_millis(&self) -> u128 {
        let now = SystemTime::now();
        let now = now.checked_add(self.offset()).unwrap_or(now);
        now.duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0)
    }

    // --- stats

    pub fn count_request(&self, route: &str) {
        *lock(&self.data)
            .stats
            .requests
            .entry(route.to_owned())
            .or_insert(0) += 1;
    }

    pub fn stats(&self) -> SimStats {
        let data = lock(&self.data);
        let mut stats = data.stats.clone();
        stats.live_refresh_tokens = data.refresh.len();
        stats
    }

    // --- sessions

    pub fn new_session(&self) -> String {
        let sid = random_token();
        let mut data = lock(&self.data);
        if data.sessions.len() > SWEEP_ABOVE {
            // Sessions carry no expiry; forgetting them only means logging in again.
            data.sessions.clear();
        }
        data.sessions.insert(sid.clone());
        sid
    }

    pub fn has_session(&self, sid: &str) -> bool {
        lock(&self.data).sessions.contains(sid)
    }

    // --- codes

    pub fn new_code(&self, code: Code) -> String {
        // Salesforce codes start `aPrx`.
        let value = format!("aPrx{}", random_token());
        let now = self.now();
        let mut data = lock(&self.data);
        if data.codes.len() > SWEEP_ABOVE {
            data.codes.retain(|_, c| now < c.expires);
        }
        data.codes.insert(value.clone(), code);
        value
    }

    /// Takes the code out (single use: whatever happens next, it cannot be presented
    /// again); `None` if unknown, already used or expired.
    pub fn take_code(&self, value: &str) -> Option<Code> {
        let code = lock(&self.data).codes.remove(value)?;
        (self.now() < code.expires).then_some(code)
    }

    // --- tokens

    /// Issues an access token, and a refresh token when `with_refresh`, evicting the
    /// oldest refresh token of this user and app beyond the fifth.
    pub fn issue(
        &self,
        client_id: &str,
        scopes: &[String],
        with_refresh: bool,
    ) -> (String, Option<String>) {
        let org_id = self.config().user.org_id.clone();
        let expires = self.now() + ACCESS_TOKEN_LIFETIME;
        let mut data = lock(&self.data);
        let refresh = with_refresh.then(|| {
            evict_beyond_limit(&mut data, client_id);
            let token = format!("5Aep861{}", random_token());
            data.next_seq += 1;
            let seq = data.next_seq;
            data.refresh.insert(
                token.clone(),
                RefreshRecord {
                    client_id: client_id.to_owned(),
                    scopes: scopes.to_vec(),
                    seq,
                },
            );
            data.stats.refresh_tokens_issued += 1;
            token
        });
        let access = insert_access(
            &mut data,
            &org_id,
            client_id,
            scopes,
            refresh.clone(),
            expires,
        );
        (access, refresh)
    }

    /// A new access token for a live refresh token of `client_id`, with its scopes.
    pub fn refresh(&self, client_id: &str, refresh_token: &str) -> Option<(String, Vec<String>)> {
        let org_id = self.config().user.org_id.clone();
        let expires = self.now() + ACCESS_TOKEN_LIFETIME;
        let mut data = lock(&self.data);
        let record = data.refresh.get(refresh_token)?;
        if record.client_id != client_id {
            return None;
        }
        let scopes = record.scopes.clone();
        let access = insert_access(
            &mut data,
            &org_id,
            client_id,
            &scopes,
            Some(refresh_token.to_owned()),
            expires,
        );
        Some((access, scopes))
    }

    /// The grant behind a live, unexpired access token.
    pub fn access_grant(&self, token: &str) -> Option<AccessGrant> {
        let now = self.now();
        let data = lock(&self.data);
        let record = data.access.get(token).filter(|r| now < r.expires)?;
        Some(AccessGrant {
            client_id: record.client_id.clone(),
            scopes: record.scopes.clone(),
        })
    }

    /// The live refresh token's client and scopes (for introspection).
    pub fn refresh_grant(&self, token: &str) -> Option<AccessGrant> {
        let data = lock(&self.data);
        let record = data.refresh.get(token)?;
        Some(AccessGrant {
            client_id: record.client_id.clone(),
            scopes: record.scopes.clone(),
        })
    }

    /// Revokes an access token, or a refresh token together with its access tokens.
    pub fn revoke(&self, token: &str) -> Revoked {
        let mut data = lock(&self.data);
        let found = if data.refresh.contains_key(token) {
            remove_refresh(&mut data, token);
            Revoked::Refresh
        } else if data.access.remove(token).is_some() {
            Revoked::Access
        } else {
            Revoked::Unknown
        };
        if found != Revoked::Unknown {
            data.stats.tokens_revoked += 1;
        }
        found
    }
}

fn insert_access(
    data: &mut Data,
    org_id: &str,
    client_id: &str,
    scopes: &[String],
    refresh: Option<String>,
    expires: Instant,
) -> String {
    if data.access.len() > SWEEP_ABOVE {
        // Access tokens issued now expire last, so anything past its expiry is stale.
        let now = expires
            .checked_sub(ACCESS_TOKEN_LIFETIME)
            .unwrap_or(expires);
        data.access.retain(|_, a| now < a.expires);
    }
    // Salesforce access tokens are session ids: the org id, `!`, then opaque text.
    let token = format!("{org_id}!AQ{}", random_token());
    data.access.insert(
        token.clone(),
        AccessRecord {
            client_id: client_id.to_owned(),
            scopes: scopes.to_vec(),
            refresh,
            expires,
        },
    );
    data.stats.access_tokens_issued += 1;
    token
}

fn remove_refresh(data: &mut Data, token: &str) {
    data.refresh.remove(token);
    data.access
        .retain(|_, a| a.refresh.as_deref() != Some(token));
}

/// Makes room for one more refresh token of this (single) user and `client_id`.
fn evict_beyond_limit(data: &mut Data, client_id: &str) {
    loop {
        let mine: Vec<(&String, u64)> = data
            .refresh
            .iter()
            .filter(|(_, r)| r.client_id == client_id)
            .map(|(t, r)| (t, r.seq))
            .collect();
        if mine.len() < MAX_REFRESH_TOKENS_PER_USER_AND_APP {
            return;
        }
        let Some(oldest) = mine
            .into_iter()
            .min_by_key(|(_, seq)| *seq)
            .map(|(t, _)| t.clone())
        else {
            return;
        };
        remove_refresh(data, &oldest);
        data.stats.refresh_tokens_evicted += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expired_codes_are_swept_once_there_are_many() {
        let shared = Shared::new(
            Url::parse("http://127.0.0.1:1/").unwrap(),
            SimConfig::webex_ready(&[]),
        );
        let code = || Code {
            client_id: "c".into(),
            redirect_uri: "r".into(),
            challenge: None,
            scopes: vec![],
            expires: shared.code_expiry(),
        };
        let first = shared.new_code(code());
        for _ in 0..SWEEP_ABOVE {
            shared.new_code(code());
        }
        shared.advance_clock(CODE_LIFETIME * 2);
        shared.new_code(code());
        assert_eq!(lock(&shared.data).codes.len(), 1);
        assert!(shared.take_code(&first).is_none());
    }
}
