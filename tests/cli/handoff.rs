//! `handoff` with fake parts through the command context: a recording clipboard (no real
//! clipboard exists on this headless machine), a scripted person and an in-memory store.
//! The key goes on the clipboard, then the secret, each cleared after; the secret is never
//! printed unless `--reveal` is confirmed where there is no clipboard.

use std::io::Write;
use std::sync::{Arc, Mutex};

use secrecy::SecretString;
use sf_webex_setup::app::run_with;
use sf_webex_setup::cli::Command;
use sf_webex_setup::clipboard::{Clipboard, ClipboardError};
use sf_webex_setup::commands::{Context, Globals, Outcome};
use sf_webex_setup::output::Printer;
use sf_webex_setup::prompt::{Answer, ScriptedPrompter};
use sf_webex_setup::store::memory::MemoryStore;
use sf_webex_setup::store::{CredentialStore, StoreKind, StoredApp, STORED_APP_VERSION};

use crate::support::{KEY, SECRET};

/// Everything written to a printer, shared with the test.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// The clipboard's history: "set …" and "clear".
#[derive(Clone, Default)]
struct FakeClipboard(Arc<Mutex<Vec<String>>>);

impl Clipboard for FakeClipboard {
    fn set(&mut self, text: &str) -> Result<(), ClipboardError> {
        self.0.lock().unwrap().push(format!("set {text}"));
        Ok(())
    }
    fn clear(&mut self) -> Result<(), ClipboardError> {
        self.0.lock().unwrap().push("clear".into());
        Ok(())
    }
}

fn context(
    interactive: bool,
    answers: Vec<Answer>,
    clipboard: Option<FakeClipboard>,
) -> (Context, Captured) {
    let store = Arc::new(MemoryStore::new(StoreKind::SecretService));
    store
        .save(
            "default",
            &StoredApp {
                consumer_key: KEY.into(),
                consumer_secret: SecretString::from(SECRET),
                login_url: "https://acme.my.salesforce.com".into(),
                callback_urls: vec![],
                api_name: "Webex".into(),
                stored_at: "2026-12-01T12:00:00Z".into(),
                last_verified: None,
                checked: true,
                version: STORED_APP_VERSION,
            },
        )
        .unwrap();
    let globals = Globals {
        json: false,
        verbose: false,
        interactive,
        profile: "default".into(),
        store: Some(StoreKind::SecretService),
        kept: vec![],
    };
    let mut ctx = Context::system(globals, None);
    let out = Captured::default();
    ctx.printer = Printer::to(false, Box::new(out.clone()), Box::new(out.clone()));
    ctx.prompter = Box::new(ScriptedPrompter::new(answers));
    ctx.stores = Arc::new(move |_, _| Ok(Box::new(store.clone()) as Box<dyn CredentialStore>));
    ctx.clipboard = Arc::new(move || match &clipboard {
        Some(c) => Ok(Box::new(c.clone()) as Box<dyn Clipboard>),
        None => Err(ClipboardError::Unavailable(
            arboard::Error::ClipboardNotSupported,
        )),
    });
    (ctx, out)
}

fn handoff(ctx: &mut Context, reveal: bool) -> Outcome {
    run_with(ctx, Command::Handoff { reveal })
}

#[test]
fn handoff_puts_the_key_then_the_secret_on_the_clipboard_clearing_each_and_never_prints_the_secret()
{
    let clipboard = FakeClipboard::default();
    let (mut ctx, out) = context(
        true,
        vec![Answer::Default, Answer::Default],
        Some(clipboard.clone()),
    );
    let outcome = handoff(&mut ctx, false);
    assert!(outcome.error.is_none(), "{:?}", outcome.error);
    assert_eq!(
        *clipboard.0.lock().unwrap(),
        [
            format!("set {KEY}"),
            "clear".into(),
            format!("set {SECRET}"),
            "clear".into()
        ]
    );
    let text = out.text();
    assert!(text.contains("3MVG…"), "the key shown masked: {text}");
    assert!(!text.contains(SECRET) && !text.contains(KEY), "{text}");
    let result = outcome.result.unwrap().to_string();
    assert!(!result.contains(SECRET), "{result}");
}

#[test]
fn without_a_clipboard_handoff_says_so_and_reveals_only_when_asked_and_confirmed() {
    let (mut ctx, out) = context(true, vec![], None);
    let outcome = handoff(&mut ctx, false);
    let error = outcome.error.expect("no clipboard");
    assert_eq!(
        (error.code.as_str(), error.exit_code()),
        ("no_clipboard", 2)
    );
    assert!(error.fix.unwrap().contains("handoff --reveal"));
    assert!(!out.text().contains(SECRET));

    let (mut ctx, out) = context(true, vec![Answer::No], None);
    assert_eq!(handoff(&mut ctx, true).exit_code(), 130, "declined");
    assert!(!out.text().contains(SECRET));

    let (mut ctx, out) = context(true, vec![Answer::Yes], None);
    let outcome = handoff(&mut ctx, true);
    assert!(outcome.error.is_none(), "{:?}", outcome.error);
    assert!(
        out.text().contains(SECRET),
        "shown on the terminal, as asked"
    );
    assert!(
        !outcome.result.unwrap().to_string().contains(SECRET),
        "never in --json"
    );
}

#[test]
fn handoff_needs_a_person() {
    let (mut ctx, _) = context(false, vec![], Some(FakeClipboard::default()));
    let error = handoff(&mut ctx, false).error.expect("refused");
    assert_eq!(error.code.as_str(), "handoff_needs_terminal");
}
