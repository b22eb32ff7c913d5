//! The app as Salesforce DX source: one file per metadata type in its folder, a
//! `package.xml` naming them and the `sfdx-project.json` the sf CLI needs to deploy source.
//! Pure: the same [`EcaSpec`] always gives the same bytes. Fields are written in the order
//! Salesforce retrieves them (alphabetical); generated or secret fields never appear.

use std::io;

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use super::spec::EcaSpec;
use crate::recipe::metadata::{self as md, field, MetadataType};
use crate::validate::{self, Problem};

/// The package directory `sfdx-project.json` names, and where the component files go
/// inside it (the sf CLI's default layout).
pub const PACKAGE_ROOT: &str = "force-app";
pub const PACKAGE_DIR: &str = "force-app/main/default";
pub const MANIFEST: &str = "package.xml";
pub const PROJECT_FILE: &str = "sfdx-project.json";

/// One file to write, by its path relative to the output folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmitError {
    #[error("{0}")]
    Invalid(Problem),
}

/// The member (full) name of each emitted component: the API Name plus the suffix
/// Salesforce's help uses in its deploy examples (`API_Name_oauth`, `API_Name_glbloauth`).
/// Apps made in Setup were seen with other names, so the read-back never guesses them.
pub fn member_name(kind: MetadataType, api_name: &str) -> String {
    match kind {
        MetadataType::ExternalClientApplication => api_name.to_owned(),
        MetadataType::OauthSettings => format!("{api_name}_oauth"),
        MetadataType::GlobalOauthSettings => format!("{api_name}_glbloauth"),
        MetadataType::OauthPolicies => format!("{api_name}_oauthPlcy"),
    }
}

/// Every file of the app, in a fixed order: components, `package.xml`, `sfdx-project.json`.
pub fn emit(spec: &EcaSpec) -> Result<Vec<SourceFile>, EmitError> {
    let spec = &normalized(spec)?;
    let mut files = Vec::new();
    for kind in MetadataType::EMITTED {
        let member = member_name(kind, &spec.api_name);
        let fields = fields(kind, spec, &member)?;
        files.push(SourceFile {
            path: format!("{PACKAGE_DIR}/{}", kind.source_path(&member)),
            bytes: document(kind.name(), &fields),
        });
    }
    files.push(SourceFile {
        path: MANIFEST.to_owned(),
        bytes: package_xml(&spec.api_name),
    });
    files.push(SourceFile {
        path: PROJECT_FILE.to_owned(),
        bytes: project_json(),
    });
    Ok(files)
}

/// The answers validated again (the API Name names files) and normalised as the
/// validators return them, and the emitter's own limits.
fn normalized(spec: &EcaSpec) -> Result<EcaSpec, EmitError> {
    let invalid = EmitError::Invalid;
    let mut spec = spec.clone();
    spec.label = validate::app_fields::app_name(&spec.label).map_err(invalid)?;
    spec.api_name = validate::app_fields::api_name(&spec.api_name).map_err(invalid)?;
    spec.contact_email =
        validate::app_fields::contact_email(&spec.contact_email).map_err(invalid)?;
    if spec.callback_urls.is_empty() {
        return Err(invalid(Problem::new(
            "The Callback URL box is empty.",
            format!("add {}", crate::recipe::WEBEX_CALLBACK_URL),
        )));
    }
    if let Some(line) = spec
        .callback_urls
        .iter()
        .find(|l| l.trim().is_empty() || l.chars().any(char::is_control))
    {
        return Err(invalid(Problem::new(
            format!("The callback line {line:?} is empty or holds a control character."),
            "give one URL per line",
        )));
    }
    Ok(spec)
}

/// The component's fields, sorted by name.
fn fields(
    kind: MetadataType,
    spec: &EcaSpec,
    member: &str,
) -> Result<Vec<(&'static str, String)>, EmitError> {
    let app = || (field::EXTERNAL_CLIENT_APPLICATION, spec.api_name.clone());
    let mut fields = match kind {
        MetadataType::ExternalClientApplication => vec![
            (field::CONTACT_EMAIL, spec.contact_email.clone()),
            (
                field::DISTRIBUTION_STATE,
                spec.distribution_state.metadata_token().to_owned(),
            ),
            (field::LABEL, spec.label.clone()),
        ],
        MetadataType::OauthSettings => vec![
            (field::OAUTH_SCOPES, scope_tokens(spec)?),
            app(),
            (field::LABEL, member.to_owned()),
        ],
        MetadataType::GlobalOauthSettings => {
            let mut f = vec![
                (field::CALLBACK_URL, spec.callback_urls.join("\n")),
                app(),
                (field::LABEL, member.to_owned()),
                (
                    field::REFRESH_TOKEN_ROTATION,
                    md::webex::REFRESH_TOKEN_ROTATION.to_string(),
                ),
            ];
            for option in crate::recipe::SecurityOption::ALL {
                let value = spec.security_value(option).to_string();
                f.push((option.metadata().0, value));
            }
            f
        }
        // Not emitted: Salesforce creates the policies with defaults.
        MetadataType::OauthPolicies => Vec::new(),
    };
    fields.sort_by_key(|(name, _)| *name);
    debug_assert!(fields.iter().all(|(n, _)| !md::NEVER_EMITTED.contains(n)));
    Ok(fields)
}

/// `Api, Web, RefreshToken`: each selected scope's metadata token, in Setup order.
fn scope_tokens(spec: &EcaSpec) -> Result<String, EmitError> {
    let mut tokens = Vec::new();
    for scope in &spec.scopes {
        let Some(token) = scope.metadata else {
            return Err(EmitError::Invalid(Problem::new(
                format!(
                    "The scope \"{}\" has no documented metadata name, so it cannot be written as source.",
                    scope.label
                ),
                "leave it out (Webex does not need it) and add it in Setup after the deploy if you want it",
            )));
        };
        if !tokens.contains(&token) {
            tokens.push(token);
        }
    }
    Ok(tokens.join(md::SCOPE_SEPARATOR))
}

/// `<?xml …?>` and `<ROOT xmlns=…>` with one text element per field, 4-space indented.
fn document(root: &str, fields: &[(&str, String)]) -> Vec<u8> {
    write_xml(root, |w| {
        for (name, value) in fields {
            w.create_element(*name)
                .write_text_content(BytesText::new(value))?;
        }
        Ok(())
    })
}

fn package_xml(api_name: &str) -> Vec<u8> {
    let mut kinds = MetadataType::EMITTED;
    kinds.sort_by_key(|k| k.name());
    write_xml("Package", |w| {
        for kind in kinds {
            w.create_element("types").write_inner_content(|t| {
                t.create_element("members")
                    .write_text_content(BytesText::new(&member_name(kind, api_name)))?;
                t.create_element("name")
                    .write_text_content(BytesText::new(kind.name()))?;
                Ok(())
            })?;
        }
        w.create_element("version")
            .write_text_content(BytesText::new(md::API_VERSION))?;
        Ok(())
    })
}

fn write_xml(root: &str, body: impl FnOnce(&mut Writer<Vec<u8>>) -> io::Result<()>) -> Vec<u8> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 4);
    // Writing into a Vec cannot fail; the Results only exist for io::Write in general.
    let _ = w
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .and_then(|_| {
            w.create_element(root)
                .with_attribute(("xmlns", md::NAMESPACE))
                .write_inner_content(body)
                .map(|_| ())
        });
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    bytes
}

/// The smallest project file `sf project deploy start` accepts: one package directory.
fn project_json() -> Vec<u8> {
    let project = serde_json::json!({
        "packageDirectories": [{ "path": PACKAGE_ROOT, "default": true }],
        "sourceApiVersion": md::API_VERSION,
    });
    let mut bytes = serde_json::to_vec_pretty(&project).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests;
