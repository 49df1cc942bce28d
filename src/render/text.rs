//! Untrusted text (names, tags, ids typed by anyone with access to the
//! account) made fit to show in a drawing: one line, no control characters,
//! no bidirectional overrides, bounded length. Format-specific escaping (DOT
//! quoting, XML) is each renderer's job; this module only decides what text
//! is shown.

/// `text` as one visible line: line breaks and tabs become spaces, other
/// control characters and bidirectional controls (which could reorder what a
/// reader sees, e.g. U+202E) become U+FFFD so the tampering stays visible.
pub fn visible(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if is_hidden_control(c) => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// `visible(text)`, cut to at most `max_chars` characters with an ellipsis.
pub fn visible_shortened(text: &str, max_chars: usize) -> String {
    let shown = visible(text);
    if shown.chars().count() <= max_chars {
        return shown;
    }
    let mut cut: String = shown.chars().take(max_chars.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Control characters, and Unicode's explicit directional formatting
/// characters and marks (UAX #9): characters that change how text around them
/// is shown rather than showing themselves.
pub fn is_hidden_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_becomes_one_visible_line() {
        assert_eq!(visible("a\nb\tc\r"), "a b c ");
        assert_eq!(
            visible("x\u{202E}gpj.exe\u{0}\u{7}"),
            "x\u{FFFD}gpj.exe\u{FFFD}\u{FFFD}"
        );
        assert_eq!(visible("emoji 🚀 \"];"), "emoji 🚀 \"];");
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        let long = "é".repeat(3000);
        let shown = visible_shortened(&long, 40);
        assert_eq!(shown.chars().count(), 40);
        assert!(shown.ends_with('…'));
        assert_eq!(visible_shortened("short", 40), "short");
    }
}
