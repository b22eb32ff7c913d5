//! Salesforce login hosts: what the admin may type for "which org", how it normalises to the
//! login host, and which hosts are genuine Salesforce (the only ones the secret may go to).

use url::Url;

/// What kind of login host an org URL resolved to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HostKind {
    /// login.salesforce.com
    Production,
    /// test.salesforce.com
    Sandbox,
    /// NAME.my.salesforce.com and the partitioned forms (develop, scratch, demo, patch, trailblaze)
    MyDomain,
    /// NAME--SANDBOX.sandbox.my.salesforce.com
    SandboxMyDomain,
    /// NAME.my.site.com
    ExperienceCloud,
    /// *.my.salesforce.mil
    GovernmentCloud,
    /// *.my.sfcrmproducts.cn
    China,
    /// Not Salesforce; only with `--allow-custom-host` (tests, the simulator, other servers).
    Custom,
}

/// A normalised login host: scheme, host and port only (no path, query or fragment).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginHost {
    pub base: Url,
    pub kind: HostKind,
}

impl LoginHost {
    /// The base URL without a trailing slash, e.g. `https://acme.my.salesforce.com`.
    pub fn origin(&self) -> String {
        self.base.as_str().trim_end_matches('/').to_string()
    }

    pub fn is_genuine_salesforce(&self) -> bool {
        self.kind != HostKind::Custom
    }
}
