//! The settings nobody asks about in the wizard that still break Webex: who may connect,
//! how long refresh tokens live, whose IP rules apply, and refresh token rotation.

use super::{Finding, MetadataCheck};
use crate::metadata::soap::MetadataRecord;
use crate::recipe::metadata::{
    field, webex, IpRelaxation, PermittedUsers, RefreshTokenPolicy, ValidityUnit,
};
use crate::text::clean_server_text;

/// The picklist value of `name`, or the unknown finding that says why there is none.
fn picklist<T>(
    check: MetadataCheck,
    record: &MetadataRecord,
    name: &str,
    parse: fn(&str) -> Option<T>,
) -> Result<T, Finding> {
    let Some(raw) = record.get(name) else {
        return Err(Finding::unknown(
            check,
            format!("The record has no {name}."),
        ));
    };
    parse(raw).ok_or_else(|| {
        Finding::unknown(
            check,
            format!(
                "The record's {name} is \"{}\", a value this tool does not know.",
                clean_server_text(raw)
            ),
        )
    })
}

/// A comma-separated list field, cleaned for display; empty when absent.
fn list(record: &MetadataRecord, name: &str) -> Vec<String> {
    record
        .get(name)
        .unwrap_or("")
        .split(',')
        .map(|s| clean_server_text(s.trim()))
        .filter(|s| !s.is_empty())
        .collect()
}

pub(super) fn permitted_users(record: &MetadataRecord) -> Finding {
    let check = MetadataCheck::PermittedUsers;
    let users = match picklist(
        check,
        record,
        field::PERMITTED_USERS,
        PermittedUsers::from_token,
    ) {
        Ok(users) => users,
        Err(finding) => return finding,
    };
    if users == webex::PERMITTED_USERS {
        return Finding::pass(
            check,
            format!(
                "{} = {}: every Webex user can connect their own Salesforce account.",
                field::PERMITTED_USERS,
                users.token()
            ),
        );
    }
    let sets = list(record, field::PERMISSION_SETS);
    let profiles = list(record, field::PROFILES);
    let refused = "every Webex user without it is refused (\"user is not admin approved\")";
    if sets.is_empty() && profiles.is_empty() {
        return Finding::fail(
            check,
            format!("{} = {} and no permission set or profile is pre-authorized: {refused}, so nobody can connect Webex.", field::PERMITTED_USERS, users.token()),
            "choose \"All users may self-authorize\", or pre-authorize the Webex users' profiles or a permission set they all hold",
        );
    }
    let who = [
        (!sets.is_empty()).then(|| format!("permission sets {}", sets.join(", "))),
        (!profiles.is_empty()).then(|| format!("profiles {}", profiles.join(", "))),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" and ");
    Finding::unknown(
        check,
        format!("{} = {}: only users with {who} may connect; {refused}. Whether every Webex user has one cannot be read from the app.", field::PERMITTED_USERS, users.token()),
    )
}

pub(super) fn refresh_token_policy(record: &MetadataRecord) -> Finding {
    let check = MetadataCheck::RefreshTokenPolicy;
    let policy = match picklist(
        check,
        record,
        field::REFRESH_TOKEN_POLICY,
        RefreshTokenPolicy::from_token,
    ) {
        Ok(policy) => policy,
        Err(finding) => return finding,
    };
    let name = field::REFRESH_TOKEN_POLICY;
    let kind = match policy {
        RefreshTokenPolicy::Infinite => {
            return Finding::pass(
                check,
                format!("{name} = Infinite: refresh tokens are valid until revoked."),
            );
        }
        RefreshTokenPolicy::Zero => {
            return Finding::fail(
                check,
                format!("{name} = Zero: refresh tokens expire immediately, so Webex cannot renew its access and every user must sign in again each time."),
                "choose \"Refresh token is valid until revoked\" (or a long lifetime)",
            );
        }
        RefreshTokenPolicy::SpecificLifetime => "after it is issued",
        RefreshTokenPolicy::SpecificInactivity => "of inactivity",
    };
    let period = record
        .get(field::REFRESH_TOKEN_PERIOD)
        .and_then(|p| p.trim().parse::<u64>().ok());
    let unit = record
        .get(field::REFRESH_TOKEN_UNIT)
        .and_then(ValidityUnit::from_token);
    let (Some(period), Some(unit)) = (period, unit) else {
        return Finding::unknown(
            check,
            format!(
                "{name} = {} but {} / {} are missing or unreadable, so the lifetime is unknown.",
                policy.token(),
                field::REFRESH_TOKEN_PERIOD,
                field::REFRESH_TOKEN_UNIT
            ),
        );
    };
    let lifetime = format!("{period} {}", unit.token().to_lowercase());
    if period.saturating_mul(unit.hours()) < webex::MIN_REFRESH_TOKEN_HOURS {
        return Finding::fail(
            check,
            format!("{name} = {}: a refresh token expires {lifetime} {kind}, so every Webex user has to connect Salesforce again that often.", policy.token()),
            format!("choose \"Refresh token is valid until revoked\", or a lifetime of at least {} days", webex::MIN_REFRESH_TOKEN_HOURS / 24),
        );
    }
    Finding::pass(
        check,
        format!(
            "{name} = {}: a refresh token lasts {lifetime} {kind}.",
            policy.token()
        ),
    )
}

pub(super) fn ip_relaxation(record: &MetadataRecord) -> Finding {
    let check = MetadataCheck::IpRelaxation;
    let relax = match picklist(
        check,
        record,
        field::IP_RELAXATION,
        IpRelaxation::from_token,
    ) {
        Ok(relax) => relax,
        Err(finding) => return finding,
    };
    let name = field::IP_RELAXATION;
    if webex::IP_RELAXATION_OK.contains(&relax) {
        return Finding::pass(
            check,
            format!(
                "{name} = {}: the org's IP restrictions do not apply to Webex's servers.",
                relax.token()
            ),
        );
    }
    Finding::unknown(
        check,
        format!(
            "{name} = {}: the org's IP restrictions apply to Webex's servers too. If a Webex user's profile has Login IP Ranges that do not include Webex's addresses, Webex's calls are refused; profiles cannot be read from the app. If they do, choose \"Relax IP restrictions\" or add Webex's ranges to those profiles.",
            relax.token()
        ),
    )
}

pub(super) fn rotation(record: &MetadataRecord) -> Finding {
    let check = MetadataCheck::RefreshTokenRotation;
    let name = field::REFRESH_TOKEN_ROTATION;
    match record.flag(name) {
        None => Finding::unknown(check, format!("The record has no boolean {name}.")),
        Some(on) if on == webex::REFRESH_TOKEN_ROTATION => {
            Finding::pass(check, format!("{name} = {on}: Webex's refresh token stays valid when it refreshes."))
        }
        Some(on) => Finding::fail(
            check,
            format!("{name} = {on}: each refresh returns a new refresh token and using the old one again revokes them all. Webex is not documented to handle rotation: if it keeps the token from the sign-in, its connection breaks after the first refresh."),
            "uncheck it",
        ),
    }
}
