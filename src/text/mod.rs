//! Text as every drawing sees it, in one place for layout and renderers:
//! the bundled fonts and measured widths ([`font`]), and untrusted text
//! (names, tags, ids typed by anyone with access to the account) made fit to
//! show: one line, no control characters, no bidirectional overrides,
//! bounded length, only what XML can carry. Format-specific escaping (DOT
//! quoting, XML entities) is each renderer's job; this module only decides
//! what text is shown.

mod font;

pub use font::{Font, FONT_BOLD, FONT_FAMILY, FONT_REGULAR};

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

/// `text` with only the characters an XML 1.0 document may carry, and no
/// bidirectional overrides (line breaks and tabs kept, for tooltips): the
/// last guard the SVG writer applies to every string, including ids.
pub fn xml_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    // Every unsafe character is a C0 control or starts with byte 0xE2
    // (U+2000..U+2FFF) or 0xEF (U+F000..U+FFFF): most strings (all numbers)
    // are cleared by one byte scan.
    let suspicious = text.bytes().any(|b| b < 0x20 || b == 0xE2 || b == 0xEF);
    if suspicious && text.chars().any(unsafe_char) {
        text.chars()
            .map(|c| if unsafe_char(c) { '\u{fffd}' } else { c })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
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

    #[test]
    fn characters_xml_cannot_carry_are_neutralised() {
        assert_eq!(xml_safe("a\u{0}b\nc\u{2066}"), "a\u{fffd}b\nc\u{fffd}");
    }
}
