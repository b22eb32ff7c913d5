//! The verdicts: Salesforce's record of the app against the recipe and the admin's
//! answers, one [`Finding`] per setting. A finding fails only on Salesforce's own record;
//! a record that could not be read is `Unknown` with the reason and what would allow the
//! check, never a guessed pass. Where the admin's answer and the record disagree, the
//! finding says so in [`Finding::disagreement`].

mod check;
mod policies;
mod settings;

pub use check::MetadataCheck;
pub use settings::callback_lines;

use super::readback::{Component, ReadBack};
use super::soap::{FaultCode, SoapError};
use super::spec::EcaSpec;
use crate::recipe::metadata::{field, MetadataType};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindingStatus {
    Pass,
    Fail,
    Unknown,
}

/// One setting judged from Salesforce's record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub check: MetadataCheck,
    pub status: FindingStatus,
    /// The evidence: what the record says (or why it could not be read).
    pub detail: String,
    /// Where in Setup to change it ([`MetadataCheck::setup_field`]).
    pub setup_field: String,
    /// For a failure: the change to make there.
    pub fix: Option<String>,
    /// The admin's answer and Salesforce's record disagree: how, in one sentence.
    pub disagreement: Option<String>,
}

impl Finding {
    fn new(check: MetadataCheck, status: FindingStatus, detail: impl Into<String>) -> Finding {
        Finding {
            check,
            status,
            detail: detail.into(),
            setup_field: check.setup_field(),
            fix: None,
            disagreement: None,
        }
    }

    fn pass(check: MetadataCheck, detail: impl Into<String>) -> Finding {
        Finding::new(check, FindingStatus::Pass, detail)
    }

    fn fail(check: MetadataCheck, detail: impl Into<String>, fix: impl Into<String>) -> Finding {
        let mut f = Finding::new(check, FindingStatus::Fail, detail);
        f.fix = Some(format!("{} (in {})", fix.into(), f.setup_field));
        f
    }

    fn unknown(check: MetadataCheck, detail: impl Into<String>) -> Finding {
        Finding::new(check, FindingStatus::Unknown, detail)
    }

    fn disagreeing(mut self, disagreement: Option<String>) -> Finding {
        self.disagreement = disagreement;
        self
    }

    /// The detail and any disagreement, as one text.
    pub fn full_detail(&self) -> String {
        match &self.disagreement {
            Some(d) => format!("{} {d}", self.detail),
            None => self.detail.clone(),
        }
    }
}

/// Every check, in [`MetadataCheck::ALL`] order.
pub fn compare(read: &ReadBack, spec: &EcaSpec) -> Vec<Finding> {
    MetadataCheck::ALL
        .into_iter()
        .map(|check| judge(check, read, spec))
        .collect()
}

/// Every check unknown for one reason (the read-back did not run).
pub fn all_unknown(reason: &str) -> Vec<Finding> {
    MetadataCheck::ALL
        .into_iter()
        .map(|check| Finding::unknown(check, reason))
        .collect()
}

fn judge(check: MetadataCheck, read: &ReadBack, spec: &EcaSpec) -> Finding {
    let record = match record_for(check, read) {
        Ok(record) => record,
        Err(why) => return Finding::unknown(check, why),
    };
    // Raw: judged as sent, and cleaned only where shown.
    let value = |name: &str| record.get(name).map(str::to_owned);
    match check {
        MetadataCheck::CallbackUrls => settings::callback_urls(value(field::CALLBACK_URL), spec),
        MetadataCheck::Scopes => settings::scopes(value(field::OAUTH_SCOPES), spec),
        MetadataCheck::DistributionState => {
            settings::distribution_state(value(field::DISTRIBUTION_STATE), spec)
        }
        MetadataCheck::PermittedUsers => policies::permitted_users(record),
        MetadataCheck::RefreshTokenPolicy => policies::refresh_token_policy(record),
        MetadataCheck::IpRelaxation => policies::ip_relaxation(record),
        MetadataCheck::RefreshTokenRotation => policies::rotation(record),
        _ => match check.security_option() {
            Some(option) => {
                settings::security(check, option, record.flag(option.metadata().0), spec)
            }
            None => Finding::unknown(check, "No recipe option for this check."),
        },
    }
}

/// Salesforce's special access rule for the OAuth plugin's types (doc), added to a refusal.
fn oauth_plugin_rule(kind: MetadataType, e: &SoapError) -> &'static str {
    let oauth_plugin = matches!(
        kind,
        MetadataType::OauthSettings | MetadataType::GlobalOauthSettings
    );
    match e {
        SoapError::Fault(f) if oauth_plugin && f.code == FaultCode::InsufficientAccess => {
            "; the OAuth settings also need the org setting \"Allow Access to OAuth Consumer Secrets via Metadata API\" and the user permission \"View External Client Apps Consumer Secrets in Metadata\""
        }
        _ => "",
    }
}

/// The record a check reads, or why it is unknown.
fn record_for(
    check: MetadataCheck,
    read: &ReadBack,
) -> Result<&super::soap::MetadataRecord, String> {
    let kind = check.component();
    if matches!(read.app, Component::Missing) {
        return Err(format!(
            "Salesforce has no External Client App with the API Name {} (readMetadata found none), so its settings could not be read. If the API Name is right, the app may be in another org.",
            read.api_name
        ));
    }
    match read.component(kind) {
        Component::Found(record) => Ok(record),
        Component::Unavailable(e) => Err(format!(
            "{} could not be read: {}. To allow this check: {}{}.",
            kind.name(),
            e.reason(),
            e.remedy(),
            oauth_plugin_rule(kind, e)
        )),
        Component::Missing if kind == MetadataType::OauthPolicies => Err(format!(
            "The org returned no {} record for {} (Salesforce creates it when the app's policies are first saved; until then it cannot be read).",
            kind.name(),
            read.api_name
        )),
        Component::Missing => Err(format!(
            "The org returned no {} record for {}: OAuth may not be enabled on the app.",
            kind.name(),
            read.api_name
        )),
    }
}

#[cfg(test)]
mod tests;
