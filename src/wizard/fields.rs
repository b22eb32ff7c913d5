//! Every question the wizard can ask, with the flag and environment variable that answer it
//! without a prompt. Kept in one table so `--help`, the README and the refusals agree.

use super::ask::Field;
use crate::prompt::Question;

const fn field(
    prompt: &'static str,
    flag: &'static str,
    env: &'static str,
    what: &'static str,
    code: &'static str,
) -> Field<'static> {
    Field {
        q: Question { prompt, flag, env },
        what,
        invalid_code: code,
    }
}

pub const ORG_KIND: Field<'static> = field(
    "Which org will Webex connect to?",
    "--login-url",
    "SF_WEBEX_LOGIN_URL",
    "The org",
    "invalid_login_url",
);
pub const LOGIN_URL: Field<'static> = field(
    "My Domain URL (Setup → My Domain, e.g. https://acme.my.salesforce.com)",
    "--login-url",
    "SF_WEBEX_LOGIN_URL",
    "The org's login URL",
    "invalid_login_url",
);
pub const APP_NAME: Field<'static> = field(
    "External Client App Name",
    "--app-name",
    "SF_WEBEX_APP_NAME",
    "The External Client App Name",
    "invalid_app_name",
);
pub const API_NAME: Field<'static> = field(
    "API Name",
    "--api-name",
    "SF_WEBEX_API_NAME",
    "The API Name",
    "invalid_api_name",
);
pub const CONTACT_EMAIL: Field<'static> = field(
    "Contact Email",
    "--contact-email",
    "SF_WEBEX_CONTACT_EMAIL",
    "The Contact Email",
    "invalid_contact_email",
);
pub const DISTRIBUTION_STATE: Field<'static> = field(
    "Distribution State",
    "--distribution-state",
    "SF_WEBEX_DISTRIBUTION_STATE",
    "The Distribution State",
    "invalid_distribution_state",
);
pub const ENABLE_OAUTH: Field<'static> = field(
    "Is the Enable OAuth box checked?",
    "--callback-url and --scope",
    "SF_WEBEX_CALLBACK_URL and SF_WEBEX_SCOPE",
    "Enable OAuth",
    "oauth_not_enabled",
);
pub const ADD_LOOPBACK: Field<'static> = field(
    "Add the loopback line for the OAuth check (you can remove it after setup)?",
    "--callback-url",
    "SF_WEBEX_CALLBACK_URL",
    "The loopback callback line",
    "invalid_callback_url",
);
pub const CALLBACK_LINE: Field<'static> = field(
    "Callback URL line",
    "--callback-url",
    "SF_WEBEX_CALLBACK_URL",
    "The Callback URL",
    "invalid_callback_url",
);
pub const SCOPES: Field<'static> = field(
    "Selected OAuth Scopes",
    "--scope",
    "SF_WEBEX_SCOPE",
    "The selected OAuth scopes",
    "invalid_scopes",
);
pub const KEEP_EXTRA_SCOPES: Field<'static> = field(
    "Keep these extra scopes anyway?",
    "--allow-extra-scopes",
    "SF_WEBEX_ALLOW_EXTRA_SCOPES",
    "Confirmation of the extra scopes",
    "extra_scopes",
);
pub const SECURITY: Field<'static> = field(
    "Checked Security options",
    "--security",
    "SF_WEBEX_SECURITY",
    "The Security options",
    "security_option_unchecked",
);
pub const CONSUMER_KEY: Field<'static> = field(
    "Consumer Key",
    "--consumer-key",
    "SF_WEBEX_CONSUMER_KEY",
    "The Consumer Key",
    "invalid_consumer_key",
);
pub const CONSUMER_SECRET: Field<'static> = field(
    "Consumer Secret (hidden)",
    "--consumer-secret-stdin",
    "SF_WEBEX_CONSUMER_SECRET",
    "The Consumer Secret",
    "invalid_consumer_secret",
);
