//! The Callback URL box as pasted: never panics; an accepted box holds the Webex URL
//! exactly and its loopback line is one of its lines; nothing said about it can carry a
//! control or bidi character to the terminal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sf_webex_setup::recipe::WEBEX_CALLBACK_URL;
use sf_webex_setup::text::is_hidden;
use sf_webex_setup::validate::callback::{callback_field, diagnose_webex_line};

fn assert_printable(what: &str, text: &str) {
    assert!(
        !text.chars().any(is_hidden),
        "{what} echoes a hidden character: {text:?}"
    );
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    match callback_field(input) {
        Ok(field) => {
            assert!(field.urls.iter().any(|u| u == WEBEX_CALLBACK_URL));
            if let Some(lb) = &field.loopback {
                assert!(field.urls.contains(lb));
            }
            for note in &field.notes {
                assert_printable("a note", note);
            }
        }
        Err(p) => {
            assert!(!p.message.is_empty() && !p.fix.is_empty());
            assert_printable("a refusal", &p.message);
            assert_printable("a fix", &p.fix);
        }
    }
    if let Some(line) = input.lines().next() {
        if let Some(p) = diagnose_webex_line(line) {
            assert_printable("a line's diagnosis", &p.message);
        }
    }
});
