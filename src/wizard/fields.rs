//! Every question the wizard can ask, with the flag and environment variable that answer it
//! without a prompt. Kept in one table so `--help`, the README and the refusals agree.

use super::ask::Field;
use crate::error::ErrorCode;
use crate::prompt::Question;

const fn field(
    prompt: &'static str,
    flag: &'static str,
    env: &'static str,
    what: &'static str,
    code: ErrorCode,
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
    ErrorCode::InvalidLoginUrl,
);
pub const LOGIN_URL: Field<'static> = field(
    "My Domain URL (Setup → My Domain, e.g. https://acme.my.salesforce.com)",
    "--login-url",
    "SF_WEBEX_LOGIN_URL",
    "The org's login URL",
    ErrorCode::InvalidLoginUrl,
);
pub const APP_NAME: Field<'static> = field(
    "External Client App Name",
    "--app-name",
    "SF_WEBEX_APP_NAME",
    "The External Client App Name",
    ErrorCode::InvalidAppName,
);
pub const API_NAME: Field<'static> = field(
    "API Name",
    "--api-name",
    "SF_WEBEX_API_NAME",
    "The API Name",
    ErrorCode::InvalidApiName,
);
pub const CONTACT_EMAIL: Field<'static> = field(
    "Contact Email",
    "--contact-email",
    "SF_WEBEX_CONTACT_EMAIL",
    "The Contact Email",
    ErrorCode::InvalidContactEmail,
);
pub const DISTRIBUTION_STATE: Field<'static> = field(
    "Distribution State",
    "--distribution-state",
    "SF_WEBEX_DISTRIBUTION_STATE",
    "The Distribution State",
    ErrorCode::InvalidDistributionState,
);
pub const ENABLE_OAUTH: Field<'static> = field(
    "Is the Enable OAuth box checked?",
    "--callback-url and --scope",
    "SF_WEBEX_CALLBACK_URL and SF_WEBEX_SCOPE",
    "Enable OAuth",
    ErrorCode::OauthNotEnabled,
);
pub const ADD_LOOPBACK: Field<'static> = field(
    "Add the loopback line for the OAuth check?",
    "--callback-url",
    "SF_WEBEX_CALLBACK_URL",
    "The loopback callback line",
    ErrorCode::InvalidCallbackUrl,
);
pub const CALLBACK_LINE: Field<'static> = field(
    "Callback URL line",
    "--callback-url",
    "SF_WEBEX_CALLBACK_URL",
    "The Callback URL",
    ErrorCode::InvalidCallbackUrl,
);
pub const SCOPES: Field<'static> = field(
    "Selected OAuth Scopes",
    "--scope",
    "SF_WEBEX_SCOPE",
    "The selected OAuth scopes",
    ErrorCode::InvalidScopes,
);
pub const KEEP_EXTRA_SCOPES: Field<'static> = field(
    "Keep these extra scopes anyway?",
    "--allow-extra-scopes",
    "SF_WEBEX_ALLOW_EXTRA_SCOPES",
    "Confirmation of the extra scopes",
    ErrorCode::ExtraScopes,
);
pub const SECURITY: Field<'static> = field(
    "Checked Security options",
    "--security",
    "SF_WEBEX_SECURITY",
    "The Security options",
    ErrorCode::SecurityOptionUnchecked,
);
pub const CONSUMER_KEY: Field<'static> = field(
    "Consumer Key",
    "--consumer-key",
    "SF_WEBEX_CONSUMER_KEY",
    "The Consumer Key",
    ErrorCode::InvalidConsumerKey,
);
pub const CONSUMER_SECRET: Field<'static> = field(
    "Consumer Secret (hidden)",
    "--consumer-secret-stdin",
    "SF_WEBEX_CONSUMER_SECRET",
    "The Consumer Secret",
    ErrorCode::InvalidConsumerSecret,
);

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;
    use crate::cli::Cli;

    const ALL: [Field<'static>; 14] = [
        ORG_KIND,
        LOGIN_URL,
        APP_NAME,
        API_NAME,
        CONTACT_EMAIL,
        DISTRIBUTION_STATE,
        ENABLE_OAUTH,
        ADD_LOOPBACK,
        CALLBACK_LINE,
        SCOPES,
        KEEP_EXTRA_SCOPES,
        SECURITY,
        CONSUMER_KEY,
        CONSUMER_SECRET,
    ];

    #[test]
    fn every_flag_and_variable_a_question_names_is_one_init_takes() {
        let cli = Cli::command();
        let init = cli.find_subcommand("init").expect("init");
        for field in ALL {
            let flags: Vec<&str> = field.q.flag.split(" and ").collect();
            let envs: Vec<&str> = field.q.env.split(" and ").collect();
            for (i, flag) in flags.iter().enumerate() {
                let name = flag.trim_start_matches("--");
                let arg = init
                    .get_arguments()
                    .find(|a| a.get_long() == Some(name))
                    .unwrap_or_else(|| panic!("{} names {flag}, which init lacks", field.what));
                let env = envs.get(i).copied().unwrap_or_default();
                let declared = arg.get_env().and_then(|e| e.to_str());
                assert!(
                    declared == Some(env)
                        || (declared.is_none() && env == crate::commands::init::SECRET_ENV),
                    "{}: {flag} reads {declared:?}, the question says {env}",
                    field.what
                );
            }
        }
    }
}
