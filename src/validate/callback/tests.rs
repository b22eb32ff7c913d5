//! Table tests for the Callback URL box: one row per mistake class.

use super::*;

const LOOPBACK: &str = "http://localhost:1717/OauthRedirect";

/// Rows: (line as pasted, text the diagnosis must contain).
#[test]
fn each_mistake_in_the_webex_line_gets_its_own_diagnosis() {
    let w = WEBEX_CALLBACK_URL;
    let http = w.replacen("https://", "http://", 1);
    let slash = format!("{w}/");
    let file_lower = w.replace("indexFor3rdAuth", "indexfor3rdauth");
    let folder_case = w.replace("/wbxaddin/", "/WbxAddin/");
    let case_and_slash = format!("{folder_case}/");
    let spaced = format!("  {w} ");
    let quoted = format!("\"{w}\"");
    let smart = format!("“{w}”");
    let angled = format!("<{w}>");
    let single = format!("'{w}'");
    let quoted_and_wrong = format!("\"{http}\"");
    let no_folder = w.replace("/wbxaddin", "");
    let extra_folder = w.replace("/wbxaddin/", "/wbxaddin/v2/");
    let query = format!("{w}?x=1");
    let fragment = format!("{w}#top");
    let index = w.replace("indexFor3rdAuth.html", "index.html");
    let period = format!("{w}.");
    let port = w.replace(".com/", ".com:443/");
    let upper_host = w.replace("meetings-api.webex.com", "Meetings-API.webex.com");
    let comma = format!("{w}, {LOOPBACK}");
    let space_sep = format!("{w} {LOOPBACK}");
    let no_scheme = w.replacen("https://", "", 1);
    let host_dot = w.replace(".com/", ".com./");
    let zwsp = w.replace("/wbxaddin/", "/wbxaddin/\u{200B}");
    let homoglyph = w.replace("webex", "w\u{0435}bex");
    let cr_joined = format!("{w}\r{LOOPBACK}");
    let table: Vec<(&str, &str)> = vec![
        (&http, "uses http instead of https"),
        (&slash, "ends with a slash"),
        (
            &file_lower,
            "letter case differs (\"indexfor3rdauth.html\" should be \"indexFor3rdAuth.html\")",
        ),
        (&folder_case, "\"WbxAddin\" should be \"wbxaddin\""),
        (&case_and_slash, "also ends with a slash"),
        (&spaced, "has spaces around the URL"),
        (&quoted, "quotes or brackets (\")"),
        (&smart, "quotes or brackets (“ ”)"),
        (&angled, "quotes or brackets (< >)"),
        (&single, "quotes or brackets (')"),
        (
            &quoted_and_wrong,
            "uses http instead of https. It also has quotes",
        ),
        (&no_folder, "missing the segment /wbxaddin"),
        (&extra_folder, "extra segment /v2"),
        (&query, "has a query (?x=1)"),
        (&fragment, "has a fragment (#top)"),
        (
            &index,
            "file name is \"index.html\", not \"indexFor3rdAuth.html\"",
        ),
        (&period, "extra characters \".\" after indexFor3rdAuth.html"),
        (&port, "names a port (:443)"),
        (
            &upper_host,
            "differs only in letter case in the scheme or host",
        ),
        (&comma, "several URLs"),
        (&space_sep, "several URLs"),
        (&no_scheme, "no scheme"),
        (&host_dot, "ends with a dot"),
        (
            "https://meetings-api.webex.co/wbxaddin/indexFor3rdAuth.html",
            "misspelling of meetings-api.webex.com",
        ),
        (
            "https://meeting-api.webex.com/wbxaddin/indexFor3rdAuth.html",
            "misspelling of meetings-api.webex.com",
        ),
        (
            "https://meetings.webex.com/wbxaddin/indexFor3rdAuth.html",
            "different Webex host",
        ),
        (
            "https://webex.com.evil.io/wbxaddin/indexFor3rdAuth.html",
            "only starts like",
        ),
        (
            "https://meetings-api.webex.com.evil.io/wbxaddin/indexFor3rdAuth.html",
            "only starts like",
        ),
        (
            "https://example.org/wbxaddin/indexFor3rdAuth.html",
            "host is example.org",
        ),
        (
            "ftp://meetings-api.webex.com/wbxaddin/indexFor3rdAuth.html",
            "scheme ftp:",
        ),
        ("https://meetings-api.webex.com", "no path"),
        ("not a url", "space inside"),
        ("webex", "\"webex\" is not a URL"),
        ("\"\"", "holds no URL"),
        (
            &zwsp,
            "invisible character (U+200B) after \"https://meetings-api.webex.com/wbxaddin/\"",
        ),
        (
            &homoglyph,
            "non-ASCII look-alike letters (it is really meetings-api.xn--",
        ),
        (&cr_joined, "several URLs"),
    ];
    for (line, diagnosis) in table {
        let p = diagnose_webex_line(line).unwrap_or_else(|| panic!("{line:?} accepted"));
        assert!(
            p.message.contains(diagnosis),
            "{line:?}:\n  got  {}\n  want …{diagnosis}…",
            p.message
        );
        assert!(
            p.fix.contains(WEBEX_CALLBACK_URL),
            "{line:?}: fix must give the exact URL: {}",
            p.fix
        );
    }
    assert_eq!(diagnose_webex_line(WEBEX_CALLBACK_URL), None);
    assert_eq!(
        diagnose_webex_line(&format!("{WEBEX_CALLBACK_URL}\r")),
        None
    );
}

/// Rows: (box, expected urls, expected loopback, a text some note must contain or "").
#[test]
fn accepted_boxes_report_their_lines_loopback_and_notes() {
    let w = WEBEX_CALLBACK_URL;
    let slash = format!("{w}/");
    let table: Vec<(String, Vec<&str>, Option<&str>, &str)> = vec![
        (w.to_string(), vec![w], None, ""),
        (format!("{w}\n"), vec![w], None, ""),
        (
            format!("\n{w}\r\n\r\n{LOOPBACK}\r\n"),
            vec![w, LOOPBACK],
            Some(LOOPBACK),
            "",
        ),
        (
            format!("{LOOPBACK}\n{w}"),
            vec![LOOPBACK, w],
            Some(LOOPBACK),
            "",
        ),
        (
            format!("{w}\nhttp://127.0.0.1:8080/cb"),
            vec![w, "http://127.0.0.1:8080/cb"],
            Some("http://127.0.0.1:8080/cb"),
            "unconfirmed",
        ),
        (
            format!("{w}\nhttps://localhost:1717/OauthRedirect"),
            vec![w, "https://localhost:1717/OauthRedirect"],
            None,
            "uses https",
        ),
        (
            format!("{w}\nhttp://localhost/OauthRedirect"),
            vec![w, "http://localhost/OauthRedirect"],
            None,
            "has no port",
        ),
        (
            format!("{w}\nhttp://[::1]:1717/OauthRedirect"),
            vec![w, "http://[::1]:1717/OauthRedirect"],
            None,
            "localhost or 127.0.0.1 only",
        ),
        (
            format!("{w}\nhttps://crm.example.com/cb"),
            vec![w, "https://crm.example.com/cb"],
            None,
            "not used by Webex",
        ),
        (
            format!("{w}\n{w}/"),
            vec![w, &slash],
            None,
            "mistyped copy of the Webex URL (The line ends with a slash",
        ),
        (format!("{w}\n{w}"), vec![w, w], None, "listed 2 times"),
        (
            format!("{w}\n{LOOPBACK}\nhttp://localhost:9000/x"),
            vec![w, LOOPBACK, "http://localhost:9000/x"],
            Some(LOOPBACK),
            "second loopback",
        ),
    ];
    for (input, urls, loopback, note) in table {
        let f = callback_field(&input).unwrap_or_else(|p| panic!("{input:?} refused: {p}"));
        assert_eq!(f.urls, urls, "{input:?}");
        assert_eq!(f.loopback.as_deref(), loopback, "{input:?}");
        if note.is_empty() {
            assert!(
                f.notes.is_empty(),
                "{input:?}: unexpected notes {:?}",
                f.notes
            );
        } else {
            assert!(
                f.notes.iter().any(|n| n.contains(note)),
                "{input:?}: no note with {note:?} in {:?}",
                f.notes
            );
        }
    }
}

/// Rows: (box, text the message must contain).
#[test]
fn refused_boxes_say_which_line_and_why() {
    let w = WEBEX_CALLBACK_URL;
    let http = w.replacen("https://", "http://", 1);
    let long_line = format!(
        "https://example.com/{}",
        "a".repeat(CALLBACK_FIELD_MAX_CHARS)
    );
    let table: Vec<(String, &str)> = vec![
        (String::new(), "box is empty"),
        (" \n\r\n ".to_string(), "box is empty"),
        (http.clone(), "uses http instead of https"),
        (format!("{LOOPBACK}\n{http}"), "Closest is line 2: The line uses http"),
        (format!("https://crm.example.com/cb\n{w}/\n{LOOPBACK}"), "None of the 3 lines is the Webex callback URL. Closest is line 2: The line ends with a slash"),
        (LOOPBACK.to_string(), "only the loopback line"),
        (format!("{w}\nnot-a-url"), "Line 2: The line \"not-a-url\" is not a URL"),
        (format!("{w}\n{LOOPBACK}, https://x.example.com/cb"), "Line 2: The line holds several URLs"),
        (format!("{w}, {LOOPBACK}"), "several URLs"),
        (format!("{w}\n{long_line}"), "Salesforce allows 2000 in all"),
    ];
    for (input, message) in table {
        let p = callback_field(&input).expect_err(&input);
        assert!(
            p.message.contains(message),
            "{input:?}:\n  got  {}\n  want …{message}…",
            p.message
        );
    }
}

#[test]
fn the_box_limit_counts_each_line_break_as_two_characters() {
    let w = WEBEX_CALLBACK_URL;
    // Fill the box to exactly the limit with a second line, then one character more.
    let room = CALLBACK_FIELD_MAX_CHARS - w.len() - 2 - "https://example.com/".len();
    let exact = format!("{w}\r\nhttps://example.com/{}", "a".repeat(room));
    assert!(
        callback_field(&exact).is_ok(),
        "a box of exactly the limit is accepted"
    );
    let over = format!("{w}\nhttps://example.com/{}", "a".repeat(room + 1));
    let p = callback_field(&over).expect_err("one over the limit");
    assert!(
        p.message.contains(&format!(
            "holds {} characters",
            CALLBACK_FIELD_MAX_CHARS + 1
        )),
        "{p}"
    );
}

#[test]
fn loopback_callbacks_are_plain_http_with_an_explicit_port() {
    let table = [
        (LOOPBACK, true),
        ("http://127.0.0.1:1717/OauthRedirect", true),
        ("http://localhost:1717/", true),
        ("http://localhost:1717", false),
        ("http://localhost/OauthRedirect", false),
        ("https://localhost:1717/OauthRedirect", false),
        ("http://LOCALHOST:1717/OauthRedirect", false),
        ("http://localhost:1717/OauthRedirect?x=1", false),
        ("http://localhost:1717/OauthRedirect#f", false),
        (" http://localhost:1717/OauthRedirect", false),
        ("http://localhost:1717.evil.io/OauthRedirect", false),
        ("http://[::1]:1717/OauthRedirect", false),
        (WEBEX_CALLBACK_URL, false),
    ];
    for (url, want) in table {
        assert_eq!(is_loopback_callback(url), want, "{url:?}");
    }
    let default = recipe::loopback_callback_url(recipe::DEFAULT_LOOPBACK_PORT);
    assert!(
        is_loopback_callback(&default),
        "the recipe's own loopback line must qualify"
    );
}

#[test]
fn the_webex_url_from_the_recipe_parses_so_diagnoses_can_take_it_apart() {
    let u = Url::parse(WEBEX_CALLBACK_URL).expect("recipe URL parses");
    assert_eq!(
        u.as_str(),
        WEBEX_CALLBACK_URL,
        "the url crate must not rewrite the recipe URL"
    );
}

/// Found by fuzzing (fuzz/fuzz_targets/callback_box.rs): after a backslash (a path
/// separator to the url crate) the raw "port" ran on into the path, NUL included, and was
/// echoed as is.
#[test]
fn a_port_diagnosis_names_only_the_port_and_echoes_nothing_hidden() {
    let line = "https://meetings-api.webex.com:443\\\u{0}";
    let p = diagnose_webex_line(line).unwrap();
    assert!(p.message.contains("(:443)"), "{}", p.message);
    assert!(
        !p.message.chars().any(crate::text::is_hidden),
        "{:?}",
        p.message
    );
}

/// A line that is some other URL is named in its note with hidden characters written out,
/// so a terminal escape in a paste cannot act on the terminal.
#[test]
fn a_note_about_another_line_writes_out_hidden_characters() {
    for other in [
        "https://example.com/\u{1b}[2J",
        "https://example.com/a\u{202e}b",
        "http://localhost/\u{7}",
    ] {
        let field = callback_field(&format!("{WEBEX_CALLBACK_URL}\n{other}")).unwrap();
        let note = &field.notes[0];
        assert!(!note.chars().any(crate::text::is_hidden), "{note:?}");
        assert!(
            note.contains("https://example.com/") || note.contains("http://localhost/"),
            "{note}"
        );
    }
}

/// Lines the table above does not reach: one URL with words after it, credentials of
/// either half, and a difference only the character count can point at.
#[test]
fn the_rarer_webex_line_mistakes_get_their_own_diagnosis() {
    let said = |line: &str| {
        diagnose_webex_line(line)
            .unwrap_or_else(|| panic!("{line:?} accepted"))
            .message
    };
    let spaced = said(&format!("{WEBEX_CALLBACK_URL} (Webex)"));
    assert!(
        spaced.contains("space inside the URL"),
        "one URL, not several: {spaced}"
    );
    for credentials in ["user@", ":pw@", "user:pw@"] {
        let line = WEBEX_CALLBACK_URL.replacen("://", &format!("://{credentials}"), 1);
        assert!(said(&line).contains("user name"), "{line}: {}", said(&line));
    }
    // A backslash reads as a slash to the URL parser, so only the count names it: the
    // first 6 characters ("https:") agree.
    let slashed = WEBEX_CALLBACK_URL.replacen("://", ":\\\\", 1);
    let at = said(&slashed);
    assert!(at.contains("from character 7 on"), "{slashed}: {at}");
    // The slash note comes only with a slash.
    let cased = said(&WEBEX_CALLBACK_URL.replace("index", "Index"));
    assert!(
        cased.contains("letter case") && !cased.contains("slash"),
        "{cased}"
    );
    let both = said(&format!(
        "{}/",
        WEBEX_CALLBACK_URL.replace("index", "Index")
    ));
    assert!(both.contains("also ends with a slash"), "{both}");
    // A shorter path that is not part of the Webex one is simply named.
    let other = said("https://meetings-api.webex.com/other.html");
    assert!(other.contains("The path is /other.html, not"), "{other}");
    // The same segments with a doubled slash: nothing is missing, the path is named.
    let doubled = said("https://meetings-api.webex.com/wbxaddin//indexFor3rdAuth.html");
    assert!(
        doubled.contains("The path is /wbxaddin//indexFor3rdAuth.html, not"),
        "{doubled}"
    );
    // A longer path that does not hold the Webex one is named too.
    let longer = said("https://meetings-api.webex.com/a/b/c.html");
    assert!(longer.contains("The path is /a/b/c.html, not"), "{longer}");
}
