//! Reading the live app back, as pure steps around two rounds of SOAP calls. Round one:
//! [`app_read_call`] reads the app by its API Name while [`list_call`] lists the dependent
//! components (their member names are not predictable, so none is guessed). Round two:
//! [`read_calls`] reads every listed dependent, and [`assemble`] keeps the records whose
//! `externalClientApplication` is the app. A fault on one type leaves the others readable.

use secrecy::SecretString;

use super::soap::{self, Envelope, FileProperties, MetadataRecord, SoapError};
use crate::recipe::metadata::{field, MetadataType};

/// At most this many members of one dependent type are read (10 calls of 10): members
/// whose name starts with the API Name come first.
pub const MAX_MEMBERS_READ: usize = 100;

/// What the org said about one component of the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Component {
    Found(MetadataRecord),
    /// The org has no such component for this app.
    Missing,
    /// The call failed; the reason says why and what would allow it.
    Unavailable(SoapError),
}

impl Component {
    pub fn record(&self) -> Option<&MetadataRecord> {
        match self {
            Component::Found(r) => Some(r),
            _ => None,
        }
    }
}

/// The app as Salesforce records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadBack {
    pub api_name: String,
    pub app: Component,
    pub oauth_settings: Component,
    pub global_settings: Component,
    pub policies: Component,
}

impl ReadBack {
    /// Every component unavailable for one reason (no instance URL, a transport failure).
    pub fn unavailable(api_name: &str, why: SoapError) -> ReadBack {
        let c = || Component::Unavailable(why.clone());
        ReadBack {
            api_name: api_name.to_owned(),
            app: c(),
            oauth_settings: c(),
            global_settings: c(),
            policies: c(),
        }
    }

    pub fn component(&self, kind: MetadataType) -> &Component {
        match kind {
            MetadataType::ExternalClientApplication => &self.app,
            MetadataType::OauthSettings => &self.oauth_settings,
            MetadataType::GlobalOauthSettings => &self.global_settings,
            MetadataType::OauthPolicies => &self.policies,
        }
    }

    fn component_mut(&mut self, kind: MetadataType) -> &mut Component {
        match kind {
            MetadataType::ExternalClientApplication => &mut self.app,
            MetadataType::OauthSettings => &mut self.oauth_settings,
            MetadataType::GlobalOauthSettings => &mut self.global_settings,
            MetadataType::OauthPolicies => &mut self.policies,
        }
    }
}

/// What `listMetadata` said per type.
pub type Listing = Vec<(MetadataType, Result<Vec<FileProperties>, SoapError>)>;

/// The types listed in round one: the app's dependents (the app is read by name).
pub const DEPENDENTS: [MetadataType; 3] = [
    MetadataType::OauthSettings,
    MetadataType::GlobalOauthSettings,
    MetadataType::OauthPolicies,
];

/// Round one: the one `listMetadata` call for [`DEPENDENTS`] (they fit in one call).
pub fn list_call(session: &SecretString) -> Envelope {
    const _: () = assert!(DEPENDENTS.len() <= soap::LIST_QUERIES_PER_CALL);
    soap::list_metadata_call(session, &DEPENDENTS)
}

/// Round one: `readMetadata` of the app itself by its API Name.
pub fn app_read_call(session: &SecretString, api_name: &str) -> Envelope {
    soap::read_metadata_call(
        session,
        MetadataType::ExternalClientApplication,
        &[api_name.to_owned()],
    )
}

/// Spreads one list call's answer over the types it asked for.
pub fn listing_of(
    types: &[MetadataType],
    answer: Result<Vec<FileProperties>, SoapError>,
) -> Listing {
    types
        .iter()
        .map(|&kind| {
            let mine = answer.clone().map(|all| {
                all.into_iter()
                    .filter(|p| p.type_name == kind.name())
                    .collect()
            });
            (kind, mine)
        })
        .collect()
}

/// The dependents' member names to read in round two, per type: every listed one up to
/// [`MAX_MEMBERS_READ`], those starting with the API Name first.
pub fn members_to_read(listing: &Listing, api_name: &str) -> Vec<(MetadataType, Vec<String>)> {
    let prefix = api_name.to_ascii_lowercase();
    let mut reads = Vec::new();
    for (kind, listed) in listing {
        let Ok(all) = listed else { continue };
        let mut names: Vec<String> = all.iter().map(|p| p.full_name.clone()).collect();
        names.sort_by_key(|n| !n.to_ascii_lowercase().starts_with(&prefix));
        names.truncate(MAX_MEMBERS_READ);
        if !names.is_empty() {
            reads.push((*kind, names));
        }
    }
    reads
}

/// Round two: the `readMetadata` calls for [`members_to_read`], each with its type.
pub fn read_calls(
    session: &SecretString,
    members: &[(MetadataType, Vec<String>)],
) -> Vec<(MetadataType, Envelope)> {
    members
        .iter()
        .flat_map(|(kind, names)| {
            soap::read_metadata(session, *kind, names)
                .into_iter()
                .map(move |e| (*kind, e))
        })
        .collect()
}

/// What one `readMetadata` call of a type returned.
pub type Read = (MetadataType, Result<Vec<MetadataRecord>, SoapError>);

/// The read-back from both rounds: per type, the record that belongs to the app, missing,
/// or the fault that stopped the list or the read. `reads` holds the app's read too.
pub fn assemble(api_name: &str, listing: &Listing, reads: Vec<Read>) -> ReadBack {
    let mut back = ReadBack {
        api_name: api_name.to_owned(),
        app: Component::Missing,
        oauth_settings: Component::Missing,
        global_settings: Component::Missing,
        policies: Component::Missing,
    };
    for (kind, listed) in listing {
        if let Err(e) = listed {
            *back.component_mut(*kind) = Component::Unavailable(e.clone());
        }
    }
    for (kind, answer) in reads {
        let slot = back.component_mut(kind);
        if matches!(slot, Component::Found(_)) {
            continue;
        }
        match answer {
            Err(e) => *slot = Component::Unavailable(e),
            Ok(records) => {
                if let Some(record) = records.into_iter().find(|r| belongs(kind, r, api_name)) {
                    *slot = Component::Found(record);
                }
            }
        }
    }
    back
}

fn belongs(kind: MetadataType, record: &MetadataRecord, api_name: &str) -> bool {
    match kind {
        MetadataType::ExternalClientApplication => record.full_name.eq_ignore_ascii_case(api_name),
        _ => record
            .get(field::EXTERNAL_CLIENT_APPLICATION)
            .is_some_and(|app| app.trim().eq_ignore_ascii_case(api_name)),
    }
}

#[cfg(test)]
mod tests;
