//! Text from outside (servers, pasted input) made safe to show on a terminal or in a page.

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
            c if c.is_control() => None,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => None,
            '\u{FEFF}' => None,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_value_keeps_four_characters_at_each_end_and_hides_short_ones() {
        assert_eq!(masked("3MVG9A2kN3Bn17huXZp1Kz8xYl0Qx9Qa"), "3MVG…x9Qa");
        assert_eq!(masked("short"), "…");
    }
}
