//! The part of the proof that holds live tokens: the code exchange, the checks that need
//! the tokens (concurrently), and the revocation of every token minted.

use oauth2::{AuthorizationCode, PkceCodeVerifier};

use super::exchange::{exchange_code, ExchangeRequest, Exchanged};
use super::{identity, metadata, refresh, revoke, tokens, Run, Stopped};
use crate::oauth::client::{Minted, OAuthClient, TokenResponse};
use crate::report::{Check, CheckId, Report};

/// The app's client with its secret, and one with the key alone (to show that a refresh
/// without the secret is refused).
#[derive(Clone, Copy)]
pub(super) struct Clients<'a> {
    pub(super) with_secret: &'a OAuthClient,
    pub(super) without_secret: &'a OAuthClient,
}

/// The exchange, the checks that need tokens, and the revocation of every token minted.
pub(super) async fn exchange_and_check(
    run: &Run<'_>,
    clients: Clients<'_>,
    code: AuthorizationCode,
    verifier: PkceCodeVerifier,
    report: &mut Report,
) -> Stopped {
    let (http, eps) = (&run.opts.http, run.eps);
    let credentials = run.target.credentials;
    let (key, secret) = (
        credentials.consumer_key.as_str(),
        &credentials.consumer_secret,
    );
    let request = ExchangeRequest {
        client: clients.with_secret,
        endpoints: eps,
        consumer_key: key,
        secret,
        ctx: &run.ctx,
    };
    let token = match exchange_code(http, &request, code, verifier).await {
        Err(e) => return Stopped::Error(e),
        Ok(Exchanged::Tokens(t)) => t,
        Ok(Exchanged::Failed {
            checks,
            error,
            warnings,
        }) => {
            checks.into_iter().for_each(|c| report.put(c));
            warnings.into_iter().for_each(|w| report.warn(w));
            report.error = error;
            return Stopped::ExchangeFailed;
        }
    };
    let mut minted = Minted::default();
    minted.add(&token);
    report.put(Check::pass(
        CheckId::TokenExchange,
        "The code was exchanged for tokens with the secret (in the request body) and the PKCE verifier.",
    ).with_verdict("tokens issued"));
    report.put(tokens::signature_check(&token, secret));
    report.put(tokens::scopes_check(&token));
    follow_ups(run, clients, &token, &mut minted, report).await;
    let revoked = revoke::revoke_all(http, eps, key, secret, minted).await;
    report.put(revoked.check);
    if let Some(warning) = revoked.warning {
        report.warn(warning);
    }
    report.error = report.error.take().or(revoked.error);
    Stopped::Done
}

/// The independent checks that need the access token, concurrently; the refresh pair is
/// sequential inside. A network failure is recorded; the revoke still runs.
async fn follow_ups(
    run: &Run<'_>,
    clients: Clients<'_>,
    token: &TokenResponse,
    minted: &mut Minted,
    report: &mut Report,
) {
    let http = &run.opts.http;
    let mut refreshed = Minted::default();
    let read_back = async {
        match run.target.expected {
            Some(expected) => {
                metadata::metadata_checks(
                    http,
                    token,
                    run.target.login,
                    run.opts.allow_custom_host,
                    expected,
                )
                .await
            }
            None => Vec::new(),
        }
    };
    let ((api, api_err), (identity, who, id_err), (refresh, refresh_err), recorded) = tokio::join!(
        tokens::api_check(http, token, run.target.login, run.opts.allow_custom_host),
        identity::identity_check(http, run.eps, token),
        refresh::refresh_check(
            http,
            clients.with_secret,
            clients.without_secret,
            token,
            &run.ctx,
            &mut refreshed
        ),
        read_back,
    );
    recorded.into_iter().for_each(|c| report.put(c));
    minted.extend(refreshed);
    [api, identity, refresh]
        .into_iter()
        .for_each(|c| report.put(c));
    report.identity = who;
    report.error = report.error.take().or(api_err).or(id_err).or(refresh_err);
}
