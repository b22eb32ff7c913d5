//! Text from outside (servers, pasted input) made safe to show on a terminal or in a page,
//! and what a paste often carries with it (quotes around the value).

/// Longest server-provided text shown; longer is cut with "…".
const MAX_SERVER_TEXT_CHARS: usize = 300;

/// Server-provided text (error descriptions, discovery values, userinfo names, page
/// snippets) made safe to print on a terminal: control characters — ESC and CSI, which
/// start terminal escape sequences, BEL, backspace, carriage return — and the invisible
/// bidi/zero-width format characters are dropped, line breaks and tabs become spaces, and
/// the text is cut at 300 characters. Every place that echoes server text uses this.
pub fn clean_server_text(text: &str) -> String {
    let mut out = String::new();
    for (n, c) in text
        .chars()
        .filter_map(|c| match c {
            '\n' | '\t' => Some(' '),
            c if is_hidden(c) => None,
            c => Some(c),
        })
        .enumerate()
    {
        if n == MAX_SERVER_TEXT_CHARS {
            out.push('…');
            break;
        }
        out.push(c);
    }
    out
}

/// Whether `c` does something other than show itself on a terminal: a control character
/// (ESC, BEL, backspace, a line break, …) or an invisible format character (zero-width
/// space, bidi override or isolate, byte-order mark) that reorders or hides text.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// `text` whole, each hidden character written as `\u{…}`: for a pasted line the person must
/// recognise in full (a URL in a note), where quotes and a cut would get in the way.
pub fn hidden_written_out(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Longest piece of typed input repeated in a message.
const MAX_SHOWN_INPUT_CHARS: usize = 60;

/// What the user typed, for a message: in quotes, each hidden character written as
/// `\u{…}` (so nothing typed can move the cursor or reorder the line), cut at 60
/// characters with "…". Never used for a secret.
pub fn quoted_input(text: &str) -> String {
    let mut out = String::from("\"");
    for (n, c) in text.chars().enumerate() {
        if n == MAX_SHOWN_INPUT_CHARS {
            out.push('…');
            break;
        }
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if is_hidden(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A credential shown so it can be recognised but not used: its first and last four
/// characters (`3MVG…x9Qa`); a short value is hidden entirely.
pub fn masked(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() < 16 {
        return "…".to_string();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

/// The value inside one pair of quotes that wrap the whole of `text` ("…", '…', “…”, ‘…’,
/// `…`), as a copy from a document or a shell line often brings along; `None` when `text`
/// is not quoted.
pub fn unquoted(text: &str) -> Option<&str> {
    const PAIRS: [(char, char); 5] = [
        ('"', '"'),
        ('\'', '\''),
        ('\u{201C}', '\u{201D}'),
        ('\u{2018}', '\u{2019}'),
        ('`', '`'),
    ];
    let text = text.trim();
    PAIRS.iter().find_map(|&(open, close)| {
        let inner = text.strip_prefix(open)?.strip_suffix(close)?;
        Some(inner.trim())
    })
}

/// Narrowest width worth wrapping to; below it the terminal's own wrapping is as good.
const MIN_WRAP_WIDTH: usize = 20;

/// `text` wrapped to `width` columns at spaces only (textwrap): a word longer than the
/// line — a URL, a key — is never broken, it overflows on a line of its own. Each line
/// keeps its indent, and a line that starts with a mark (`✗ `, `! `, `✓ `, `- `, `? `,
/// `Try: `, `1. `) continues under the text after the mark. ANSI colours do not count.
pub fn wrap(text: &str, width: usize) -> String {
    if width < MIN_WRAP_WIDTH {
        return text.to_string();
    }
    text.split('\n')
        .map(|line| wrap_line(line, width))
        .collect::<Vec<_>>()
        .join("\n")
}

fn wrap_line(line: &str, width: usize) -> String {
    if textwrap::core::display_width(line) <= width {
        return line.to_string();
    }
    let body = line.trim_start_matches(' ');
    let indent = line.len() - body.len();
    // A table row ("  Label     value"): continue under the value, and leave a value that
    // is one long word (a URL, a key) beside its label rather than alone on a row.
    if let Some(gap) = column_gap(body) {
        let value = body[gap..].trim_start();
        if !value.contains(' ') {
            return line.to_string();
        }
        let hang = indent + gap + (body[gap..].len() - value.len());
        let rest = " ".repeat(hang.min(width / 2));
        let options = textwrap::Options::new(width)
            .initial_indent(&line[..indent])
            .subsequent_indent(&rest)
            .break_words(false)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .word_splitter(textwrap::WordSplitter::NoHyphenation);
        return textwrap::fill(body, options);
    }
    let hang = indent + mark_width(body);
    let (first, rest) = (&line[..indent], " ".repeat(hang.min(width / 2)));
    let options = textwrap::Options::new(width)
        .initial_indent(first)
        .subsequent_indent(&rest)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::fill(body, options)
}

/// Where the run of two or more spaces that separates a table row's label from its value
/// starts, if `body` is such a row.
fn column_gap(body: &str) -> Option<usize> {
    let gap = body.find("  ")?;
    (gap > 0 && !body[gap..].trim_start().is_empty()).then_some(gap)
}

/// How wide the mark that starts `body` is, with its space (0 for plain prose).
fn mark_width(body: &str) -> usize {
    let plain = strip_ansi(body);
    for mark in [
        "✗ ",
        "✓ ",
        "! ",
        "- ",
        "? ",
        "· ",
        "› ",
        "Try: ",
        "note: ",
        "warning: ",
    ] {
        if plain.starts_with(mark) {
            return textwrap::core::display_width(mark);
        }
    }
    let digits = plain.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && plain[digits..].starts_with(". ") {
        return digits + 2;
    }
    0
}

/// `text` without ANSI colour sequences (for measuring).
fn strip_ansi(text: &str) -> String {
    console::strip_ansi_codes(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_input_is_quoted_escaped_and_cut() {
        assert_eq!(quoted_input("acme"), "\"acme\"");
        assert_eq!(quoted_input("a\u{1b}[31mb"), "\"a\\u{1b}[31mb\"");
        assert_eq!(quoted_input("x\u{202e}y"), "\"x\\u{202e}y\"");
        assert_eq!(quoted_input("say \"hi\""), "\"say \\\"hi\\\"\"");
        let long = quoted_input(&"a".repeat(100_000));
        assert_eq!(long.chars().count(), MAX_SHOWN_INPUT_CHARS + 3, "{long}");
        assert!(long.ends_with("…\""));
        for c in [
            '\u{7}', '\u{8}', '\r', '\u{200b}', '\u{2066}', '\u{feff}', '\u{85}',
        ] {
            assert!(is_hidden(c), "{c:?}");
        }
        assert!(!is_hidden('é') && !is_hidden(' '));
    }

    #[test]
    fn a_masked_value_keeps_four_characters_at_each_end_and_hides_short_ones() {
        assert_eq!(masked("3MVG9A2kN3Bn17huXZp1Kz8xYl0Qx9Qa"), "3MVG…x9Qa");
        assert_eq!(masked("short"), "…");
    }

    #[test]
    fn prose_wraps_at_spaces_with_hanging_indents_and_urls_stay_whole() {
        let url = "https://meetings-api.webex.com/wbxaddin/indexFor3rdAuth.html";
        let text = format!(
            "  ✗ The Callback URL box lacks the Webex line, which Webex needs.\n    Try: add {url} as its own line in Setup"
        );
        let wrapped = wrap(&text, 40);
        assert_eq!(
            wrapped,
            format!(
                "  ✗ The Callback URL box lacks the Webex\n    line, which Webex needs.\n    Try: add\n         {url}\n         as its own line in Setup"
            )
        );
        assert!(wrapped.lines().any(|l| l.trim() == url), "{wrapped}");
        assert_eq!(wrap("short", 40), "short");
        assert_eq!(wrap(&text, 10), text, "too narrow to be worth it");
    }

    #[test]
    fn a_table_row_continues_under_its_value_and_keeps_a_long_value_beside_its_label() {
        let row = "  OAuth Scopes        Manage user data via web browsers (web)";
        assert_eq!(
            wrap(row, 50),
            "  OAuth Scopes        Manage user data via web\n                      browsers (web)"
        );
        let url =
            "  Callback URL        https://meetings-api.webex.com/wbxaddin/indexFor3rdAuth.html";
        assert_eq!(wrap(url, 50), url);
    }

    #[test]
    fn colours_do_not_count_towards_the_width() {
        let red = "\u{1b}[31m✗\u{1b}[0m";
        let text = format!("{red} aaaa bbbb cccc");
        assert_eq!(wrap(&text, 20), text);
        assert_eq!(
            wrap(&format!("{red} aaaa bbbb cccc dddd eeee"), 20),
            format!("{red} aaaa bbbb cccc\n  dddd eeee")
        );
    }

    #[test]
    fn a_value_wrapped_in_any_kind_of_quotes_is_found_inside_them() {
        for quoted in [
            "\"admin@acme.com\"",
            "'admin@acme.com'",
            "\u{201C}admin@acme.com\u{201D}",
            " `admin@acme.com` ",
        ] {
            assert_eq!(unquoted(quoted), Some("admin@acme.com"), "{quoted}");
        }
        assert_eq!(unquoted("admin@acme.com"), None);
        assert_eq!(unquoted("\"half"), None);
    }
}
