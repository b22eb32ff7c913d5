//! [`SimStats`]: what the simulated org has seen and done, for tests and benchmarks.

use std::collections::BTreeMap;

/// What the simulator has seen and done, for tests and benchmarks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SimStats {
    /// Requests per route path (e.g. `/services/oauth2/token`); unknown paths count as `other`.
    pub requests: BTreeMap<String, u64>,
    /// Access tokens issued (code exchanges and refreshes).
    pub access_tokens_issued: u64,
    /// Refresh tokens issued (code exchanges with the `refresh_token` scope).
    pub refresh_tokens_issued: u64,
    /// Tokens revoked through `/services/oauth2/revoke` (access or refresh).
    pub tokens_revoked: u64,
    /// Refresh tokens silently revoked because a 6th was issued to the same user and app.
    pub refresh_tokens_evicted: u64,
    /// Refresh tokens issued and not yet revoked or evicted.
    pub live_refresh_tokens: usize,
}

impl SimStats {
    /// Requests seen on one route path, 0 if none.
    pub fn requests_to(&self, path: &str) -> u64 {
        self.requests.get(path).copied().unwrap_or(0)
    }
}
