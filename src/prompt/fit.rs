//! Making prompts fit the terminal. dialoguer redraws a prompt or a list by counting one
//! row per line it wrote, so a line wider than the terminal — which the terminal wraps onto
//! a second row — leaves that row behind on every redraw (the stale rows of a checklist at
//! 60 columns). Everything dialoguer redraws is therefore made to fit one row: a long
//! prompt gives its "(…)" hint to a line of its own, a long default and long list items are
//! cut with "…".

use console::measure_text_width;

/// Columns dialoguer adds around a prompt: "? " before, " (default) › " after.
const PROMPT_FRAME: usize = 6;
/// Columns before a list item: the cursor and the tick box ("❯ ⬚ ", "> [x] ").
const ITEM_FRAME: usize = 7;

/// A prompt as it will be drawn: the text, the hint said above it (if moved there), and
/// the default as shown (cut to fit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fitted {
    pub prompt: String,
    pub hint: Option<String>,
    pub shown_default: Option<String>,
}

/// Fits `prompt` (and its shown `default`) into `width` columns; `None` width: as is.
pub fn prompt(prompt: &str, default: Option<&str>, width: Option<usize>) -> Fitted {
    let as_is = Fitted {
        prompt: prompt.to_string(),
        hint: None,
        shown_default: default.map(str::to_string),
    };
    let Some(width) = width else { return as_is };
    let room = width.saturating_sub(PROMPT_FRAME);
    let used = |p: &str, d: Option<&str>| measure_text_width(p) + d.map_or(0, |d| d.len() + 3);
    if used(prompt, default) <= room {
        return as_is;
    }
    let (text, hint) = match split_hint(prompt) {
        Some((head, hint)) => (head, Some(hint)),
        None => (prompt.to_string(), None),
    };
    let text = console::truncate_str(&text, room, "…").into_owned();
    let left = room.saturating_sub(measure_text_width(&text) + 3);
    let shown_default = default.map(|d| console::truncate_str(d, left.max(1), "…").into_owned());
    Fitted {
        prompt: text,
        hint,
        shown_default,
    }
}

/// "Head (hint)?" → ("Head?", "hint"): the last parenthesised part, if the prompt ends with
/// it (or with it and a "?").
fn split_hint(prompt: &str) -> Option<(String, String)> {
    let (body, question) = match prompt.strip_suffix('?') {
        Some(b) => (b, "?"),
        None => (prompt, ""),
    };
    let body = body.strip_suffix(')')?;
    let open = body.rfind(" (")?;
    let head = &body[..open];
    let hint = &body[open + 2..];
    (!head.is_empty() && !hint.is_empty()).then(|| (format!("{head}{question}"), hint.to_string()))
}

/// List items cut to fit one row each at `width` (`None`: as they are).
pub fn items(items: &[String], width: Option<usize>) -> Vec<String> {
    match width {
        Some(width) => {
            let room = width.saturating_sub(ITEM_FRAME).max(8);
            items
                .iter()
                .map(|i| console::truncate_str(i, room, "…").into_owned())
                .collect()
        }
        None => items.to_vec(),
    }
}

/// How many terminal rows above the cursor a line of `columns` took (0 when it fitted).
pub fn rows_above(columns: usize, width: usize) -> usize {
    if width == 0 || columns == 0 {
        0
    } else {
        (columns - 1) / width
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prompt_that_fits_is_left_alone() {
        let f = prompt("Contact Email", Some("admin@acme.com"), Some(60));
        assert_eq!(f.prompt, "Contact Email");
        assert_eq!(
            (f.hint, f.shown_default.as_deref()),
            (None, Some("admin@acme.com"))
        );
        assert_eq!(
            prompt("x".repeat(200).as_str(), None, None).prompt.len(),
            200
        );
    }

    #[test]
    fn a_long_prompt_moves_its_hint_above_and_cuts_its_default() {
        let f = prompt(
            "My Domain URL (Setup → My Domain, e.g. https://acme.my.salesforce.com)",
            Some("http://127.0.0.1:46207"),
            Some(50),
        );
        assert_eq!(f.prompt, "My Domain URL");
        assert_eq!(
            f.hint.as_deref(),
            Some("Setup → My Domain, e.g. https://acme.my.salesforce.com")
        );
        assert_eq!(f.shown_default.as_deref(), Some("http://127.0.0.1:46207"));
        let f = prompt("Consumer Key", Some(&"3MVG".repeat(20)), Some(40));
        let shown = f.shown_default.unwrap();
        assert!(
            shown.ends_with('…') && 6 + 12 + 3 + measure_text_width(&shown) <= 40,
            "{shown}"
        );
        let f = prompt(
            "Add the loopback line for the OAuth check (you can remove it after setup)?",
            None,
            Some(60),
        );
        assert_eq!(f.prompt, "Add the loopback line for the OAuth check?");
        assert_eq!(f.hint.as_deref(), Some("you can remove it after setup"));
    }

    #[test]
    fn list_items_are_cut_to_one_row() {
        let long =
            "Perform requests at any time (refresh_token, offline_access)  [Webex needs this]";
        let cut = items(&[long.to_string(), "api".into()], Some(60));
        assert!(measure_text_width(&cut[0]) + ITEM_FRAME <= 60, "{}", cut[0]);
        assert!(cut[0].ends_with('…'));
        assert_eq!(cut[1], "api");
    }

    #[test]
    fn rows_above_count_the_wrapped_rows_of_a_line() {
        assert_eq!(rows_above(59, 60), 0);
        assert_eq!(rows_above(60, 60), 0);
        assert_eq!(rows_above(61, 60), 1);
        assert_eq!(rows_above(130, 60), 2);
    }
}
