//! Strategies for the property tests of every parser of outside input: what a person
//! pastes or a server sends, including the characters that cause trouble (control, bidi,
//! zero-width, look-alike letters, quotes) and the occasional huge paste.

use proptest::prelude::*;

/// Characters that have caused or could cause trouble in a pasted URL or a server's text.
const AWKWARD: &[char] = &[
    '\0', '\u{7}', '\u{8}', '\t', '\n', '\r', '\u{1b}', '\u{7f}', '\u{85}', '\u{9b}', '\u{00AD}',
    '\u{200B}', '\u{200E}', '\u{202E}', '\u{2066}', '\u{FEFF}', ' ', '"', '\'', '`', '<', '>', '“',
    '”', '«', '%', '@', ':', '/', '?', '#', '&', '=', '[', ']', '\\', '.', ',', 'е', 'А', 'ß', 'İ',
    '０', '😀',
];

/// Pieces of real inputs, so that generated text often gets past the first checks.
const PIECES: &[&str] = &[
    "https://",
    "http://",
    "ftp://",
    "localhost",
    ":1717",
    "127.0.0.1",
    "[::1]",
    "login.salesforce.com",
    "test.salesforce.com",
    "acme.my.salesforce.com",
    "acme--dev.sandbox.my.salesforce.com",
    "acme.lightning.force.com",
    "idp.example.com",
    "/OauthRedirect",
    "/services/oauth2/token",
    crate::recipe::WEBEX_CALLBACK_URL,
    "?code=",
    "&state=",
    "error=access_denied",
    "&error_description=",
    "&iss=",
    "aPrx0123456789%3D%3D",
    "user:pw@",
    "admin@",
    ":443",
    ":8443",
    "%00",
    "%1b",
    "{\"",
    "\":",
    "null",
    "true",
    "1e400",
    "}",
    "\r\n",
];

fn awkward_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => proptest::sample::select(AWKWARD),
        2 => proptest::char::range('a', 'z'),
        1 => any::<char>(),
    ]
}

/// A URL that parses, with awkward characters in its path, port or query: the kind of
/// line that gets past "is it a URL" and into the messages.
fn awkward_url() -> impl Strategy<Value = String> {
    (
        proptest::sample::select(&["https://", "http://"][..]),
        proptest::sample::select(
            &[
                "example.com",
                "meetings-api.webex.com",
                "localhost",
                "127.0.0.1",
            ][..],
        ),
        proptest::sample::select(&["", ":443", ":1717", ":"][..]),
        proptest::sample::select(&["/", "\\", "?", "#", "/wbxaddin/"][..]),
        proptest::collection::vec(awkward_char(), 0..8),
    )
        .prop_map(|(scheme, host, port, sep, tail)| {
            format!(
                "{scheme}{host}{port}{sep}{}",
                tail.into_iter().collect::<String>()
            )
        })
}

/// Text as a person or a server might produce it: mostly near-real, sometimes noise,
/// rarely huge (tens of thousands of characters).
pub(crate) fn outside_text() -> impl Strategy<Value = String> {
    prop_oneof![
        9 => short_outside_text(),
        1 => (proptest::sample::select(PIECES), 1usize..40_000)
            .prop_map(|(p, n)| p.repeat(n.div_ceil(p.len().max(1)))),
    ]
}

/// [`outside_text`] without the huge pastes: for documents of many fields, where one
/// huge field per case is enough (and ten would only make the test slow).
pub(crate) fn short_outside_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        2 => proptest::sample::select(PIECES).prop_map(str::to_owned),
        3 => awkward_char().prop_map(String::from),
    ];
    prop_oneof![
        6 => proptest::collection::vec(piece, 0..14).prop_map(|v| v.concat()),
        3 => awkward_url(),
        3 => any::<String>(),
    ]
}

/// The suite's property runs: `cases` cases from a fixed seed, so every run of the suite
/// (CI's above all) tries the same inputs and a failure is repeatable. Exploring is the
/// fuzzers' job (`scripts/fuzz`); `PROPTEST_RNG_SEED=N` tries another seed here.
pub(crate) fn config(cases: u32) -> proptest::test_runner::Config {
    use proptest::test_runner::{Config, RngSeed};
    let mut config = Config {
        cases,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(0x5ebe_11ed);
    }
    config
}
