//! The architecture view as one self-contained HTML page to explore an
//! estate: strata's own SVG (no re-layout in the browser), the graph JSON
//! for search and details, the viewer's script and style from
//! `templates/html/`, and the bundled fonts, all inline, so the page works
//! from disk with no network.
//!
//! Owns the assembly of that page and the escaping each embedded part
//! needs; the picture is `render::svg`'s, the data `render::json`'s, and
//! what the page does is `templates/html/viewer.js`'s.

use base64::Engine as _;

use crate::graph::{Graph, NodeKind};
use crate::layout::Layout;
use crate::render::{json, svg};
use crate::text::{FONT_BOLD, FONT_FAMILY, FONT_REGULAR};

const PAGE: &str = include_str!("../../templates/html/viewer.html");
const STYLE: &str = include_str!("../../templates/html/viewer.css");
const SCRIPT: &str = include_str!("../../templates/html/viewer.js");

/// JSON made safe to sit inside `<script type="application/json">`: no
/// `<` can close the element or open a comment, whatever a name holds.
/// The `\u` escapes read back as the same characters.
fn script_safe_json(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Text for HTML element content or a quoted attribute.
fn html_text(text: &str) -> String {
    quick_xml::escape::escape(crate::text::visible(text).as_str()).into_owned()
}

/// The `@font-face` rules of the bundled fonts, as data URLs: the SVG's
/// text was measured with exactly these glyphs.
fn font_faces() -> String {
    let face = |bytes: &[u8], weight: &str| {
        format!(
            "@font-face{{font-family:\"{FONT_FAMILY}\";font-weight:{weight};src:url(data:font/ttf;base64,{}) format(\"truetype\");}}\n",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )
    };
    face(FONT_REGULAR, "normal") + &face(FONT_BOLD, "bold")
}

/// The page of a graph's architecture view.
pub fn render(graph: &Graph, layout: &Layout) -> String {
    let title = html_text(&format!("{} · strata", layout.header.title.text));
    let style = font_faces() + STYLE;
    let graph = script_safe_json(&json::render(graph));
    let picture = svg::render(layout);
    let frames: Vec<&str> = NodeKind::all()
        .filter(|kind| kind.is_container())
        .map(NodeKind::as_str)
        .collect();
    let frames = script_safe_json(&serde_json::Value::from(frames).to_string());
    fill(
        PAGE,
        &[
            ("title", &title),
            ("style", &style),
            ("script", SCRIPT),
            ("graph", &graph),
            ("svg", &picture),
            ("frames", &frames),
        ],
    )
}

/// The template with each `{{name}}` replaced by its part. Only the
/// template is searched for placeholders, never an inserted part, so a
/// name that spells `{{svg}}` stays text. (Six fixed placeholders do not
/// need a template engine, whose escaping rules would not be the ones each
/// part needs anyway.)
fn fill(template: &str, parts: &[(&str, &str)]) -> String {
    let mut page =
        String::with_capacity(template.len() + parts.iter().map(|(_, p)| p.len()).sum::<usize>());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let Some(length) = rest[start..].find("}}") else {
            break;
        };
        let name = &rest[start + 2..start + length];
        page.push_str(&rest[..start]);
        match parts.iter().find(|(key, _)| *key == name) {
            Some((_, part)) => page.push_str(part),
            None => page.push_str(&rest[start..start + length + 2]),
        }
        rest = &rest[start + length + 2..];
    }
    page.push_str(rest);
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_json_cannot_close_its_script() {
        let json = r#"{"name":"</script><script>alert(1)</script> & <!--"}"#;
        let safe = script_safe_json(json);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script> & <!--");
    }

    #[test]
    fn placeholders_are_filled_from_the_template_only() {
        let page = fill("<a>{{x}}</a>{{y}}{{z}}", &[("x", "{{y}}"), ("y", "2")]);
        assert_eq!(page, "<a>{{y}}</a>2{{z}}");
    }

    #[test]
    fn the_template_has_each_placeholder_once() {
        for placeholder in [
            "{{title}}",
            "{{style}}",
            "{{script}}",
            "{{graph}}",
            "{{svg}}",
            "{{frames}}",
        ] {
            assert_eq!(PAGE.matches(placeholder).count(), 1, "{placeholder}");
        }
        for part in [STYLE, SCRIPT] {
            assert!(!part.contains("{{"), "a template part holds a placeholder");
        }
    }
}
