//! Waiting out propagation, in place: a new or edited External Client App takes up to 10
//! minutes to reach every Salesforce server, and until then Salesforce answers
//! `invalid_client_id` or `redirect_uri_mismatch` — nobody's mistake. Offered to a person,
//! or asked for with `--wait-for-propagation`: the no-login checks are re-run every
//! [`PROPAGATION_POLL`] with a countdown and what each re-check saw, up to the limit, and
//! the proof goes on with every answer kept. Ctrl-C stops (the answers are kept as a draft).

use std::time::Duration;

use super::options::MAX_PROPAGATION_WAIT;
use super::{preflight_checks, Preflight, ProofUi, Run};
use crate::error::AppError;
use crate::report::{CheckId, Report};

/// Waits, if a person agrees or the options say so; `Ok(true)` once the app is accepted,
/// `Ok(false)` when not waiting or the limit passed (the last refusal is in the report).
pub(super) async fn wait_out(
    run: &Run<'_>,
    ui: &mut dyn ProofUi,
    report: &mut Report,
) -> Result<bool, AppError> {
    let opts = run.opts;
    if opts.propagation_wait.is_some() || opts.interactive {
        let seen = report
            .get(CheckId::ClientAndCallback)
            .map(|c| c.detail.clone())
            .unwrap_or_default();
        ui.note(&format!(
            "{seen} A new or edited External Client App can take up to 10 minutes to reach every Salesforce server."
        ));
    }
    let poll = opts.propagation_poll.max(Duration::from_millis(50));
    let limit = match opts.propagation_wait {
        Some(limit) => limit,
        None if opts.interactive && ui.offer_wait(MAX_PROPAGATION_WAIT, poll)? => {
            MAX_PROPAGATION_WAIT
        }
        None => return Ok(false),
    };
    let started = opts.clock.now();
    loop {
        let waited = opts.clock.now().saturating_duration_since(started);
        if waited >= limit {
            ui.note(&format!(
                "Still refused after waiting {}; the refusal is reported below.",
                mmss(waited)
            ));
            return Ok(false);
        }
        let next = poll.min(limit - waited);
        countdown(run, ui, next, waited, limit).await;
        let verdict = preflight_checks(run, report).await?;
        let waited = opts.clock.now().saturating_duration_since(started);
        let seen = report
            .get(CheckId::ClientAndCallback)
            .map(|c| c.detail.clone())
            .unwrap_or_default();
        match verdict {
            Preflight::Accepted => {
                ui.note(&format!(
                    "After {}: the app has reached Salesforce's servers; going on to the sign-in.",
                    mmss(waited)
                ));
                return Ok(true);
            }
            Preflight::Propagating => {
                ui.note(&format!("After {}: still refused. {seen}", mmss(waited)))
            }
            Preflight::Refused => {
                ui.note(&format!(
                    "After {}: refused for another reason. {seen}",
                    mmss(waited)
                ));
                return Ok(false);
            }
        }
    }
}

/// Sleeps `next`, telling the person about once a second.
async fn countdown(
    run: &Run<'_>,
    ui: &mut dyn ProofUi,
    next: Duration,
    waited: Duration,
    limit: Duration,
) {
    let step = Duration::from_secs(1).min(next);
    let started = run.opts.clock.now();
    loop {
        let gone = run.opts.clock.now().saturating_duration_since(started);
        if gone >= next {
            return;
        }
        ui.waiting(next - gone, waited + gone, limit);
        tokio::time::sleep(step.min(next - gone)).await;
    }
}

/// `m:ss`.
fn mmss(d: Duration) -> String {
    let secs = d.as_secs();
    format!("{}:{:02}", secs / 60, secs % 60)
}
