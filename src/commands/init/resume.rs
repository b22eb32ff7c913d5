//! `init --resume`: the profile's draft as the answers (flags given now still win), and —
//! with a person there — the chance to change any one of them before the wizard re-asks
//! only what is missing (the secret).

use super::draft::{self, Draft};
use crate::commands::Context;
use crate::error::{AppError, ErrorCode};
use crate::prompt::Question;
use crate::wizard::Answers;

/// The answers to resume with: `given` (this run's flags) over the draft's.
pub fn answers(ctx: &mut Context, given: &Answers) -> Result<Answers, AppError> {
    let profile = ctx.globals.profile.clone();
    let dir = draft::drafts_dir(&ctx.index_path()?);
    let Some(Draft {
        answers, saved_at, ..
    }) = draft::load(&dir, &profile)?
    else {
        return Err(AppError::new(
            ErrorCode::NoDraft,
            format!("No saved answers for profile `{profile}`: they are kept once the wizard has checked them, until the credentials are stored."),
        )
        .with_fix(format!("run `{}` and answer the steps", ctx.globals.command("init"))));
    };
    ctx.printer.status(&format!(
        "Resuming profile `{profile}` with the answers saved {saved_at}; only the Consumer Secret is asked again."
    ));
    let mut merged = overlay(answers, given);
    if ctx.prompter.is_interactive() {
        change_one(ctx, &mut merged)?;
    }
    Ok(merged)
}

/// `base` with every answer `over` gives replacing it.
fn overlay(mut base: Answers, over: &Answers) -> Answers {
    fn pick<T: Clone>(slot: &mut Option<T>, over: &Option<T>) {
        if over.is_some() {
            slot.clone_from(over);
        }
    }
    fn pick_all(slot: &mut Vec<String>, over: &[String]) {
        if !over.is_empty() {
            *slot = over.to_vec();
        }
    }
    pick(&mut base.login_url, &over.login_url);
    pick(&mut base.app_name, &over.app_name);
    pick(&mut base.api_name, &over.api_name);
    pick(&mut base.contact_email, &over.contact_email);
    pick(&mut base.distribution_state, &over.distribution_state);
    pick_all(&mut base.callback_urls, &over.callback_urls);
    pick_all(&mut base.scopes, &over.scopes);
    pick_all(&mut base.security, &over.security);
    pick(&mut base.consumer_key, &over.consumer_key);
    base.allow_extra_scopes |= over.allow_extra_scopes;
    base
}

/// Forgets one answer, so the wizard asks it again.
type Forget = fn(&mut Answers);

/// The answers a person may change, in the wizard's order, and how to forget each.
const CHANGEABLE: [(&str, Forget); 9] = [
    ("Which org (login URL)", |a| a.login_url = None),
    ("External Client App Name", |a| a.app_name = None),
    ("API Name", |a| a.api_name = None),
    ("Contact Email", |a| a.contact_email = None),
    ("Distribution State", |a| a.distribution_state = None),
    ("Callback URL", |a| a.callback_urls.clear()),
    ("OAuth Scopes", |a| a.scopes.clear()),
    ("Security", |a| a.security.clear()),
    ("Consumer Key", |a| a.consumer_key = None),
];

/// "Change an answer?" — keep them all, or pick one to be asked again.
fn change_one(ctx: &mut Context, answers: &mut Answers) -> Result<(), AppError> {
    let mut items = vec!["No, keep every answer".to_string()];
    items.extend(CHANGEABLE.iter().map(|(name, _)| format!("Change: {name}")));
    let q = Question {
        prompt: "Change one of the saved answers before the check?",
        flag: "--resume with the answer's flag",
        env: "",
    };
    let picked = ctx
        .prompter
        .select(&q, &items, 0)
        .map_err(|_| AppError::cancelled())?;
    if let Some((_, forget)) = picked.checked_sub(1).and_then(|i| CHANGEABLE.get(i)) {
        forget(answers);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_given_now_win_over_the_draft() {
        let draft = Answers {
            app_name: Some("Old".into()),
            contact_email: Some("a@b.co".into()),
            scopes: vec!["api".into()],
            ..Answers::default()
        };
        let now = Answers {
            app_name: Some("New".into()),
            ..Answers::default()
        };
        let merged = overlay(draft, &now);
        assert_eq!(merged.app_name.as_deref(), Some("New"));
        assert_eq!(merged.contact_email.as_deref(), Some("a@b.co"));
        assert_eq!(merged.scopes, ["api"]);
    }
}
