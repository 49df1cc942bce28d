//! The bundled DejaVu fonts and widths measured from their real glyph
//! advances, with shortening by an ellipsis. Owns the font bytes (the PNG
//! rasteriser loads the same ones); does not place text anywhere.

use std::sync::OnceLock;

/// DejaVu Sans, the one face every label is set in.
pub const FONT_REGULAR: &[u8] = include_bytes!("../../templates/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold, for tile names and frame titles.
pub const FONT_BOLD: &[u8] = include_bytes!("../../templates/fonts/DejaVuSans-Bold.ttf");
/// The family name the SVG asks for; both faces above carry it.
pub const FONT_FAMILY: &str = "DejaVu Sans";

const ELLIPSIS: char = '…';

/// Advance widths of one face, in em, for the characters the face has.
struct Metrics {
    /// Advances of U+0000..U+0800 (Latin, Greek, Cyrillic, …) looked up once.
    table: Vec<f32>,
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
}

impl Metrics {
    fn load(bytes: &'static [u8]) -> Metrics {
        // The fonts are compiled in; a parse failure is a build defect that
        // every test would show, not an input error.
        let face = ttf_parser::Face::parse(bytes, 0).expect("bundled DejaVu font parses");
        let units_per_em = f32::from(face.units_per_em());
        let mut metrics = Metrics {
            table: Vec::new(),
            face,
            units_per_em,
        };
        metrics.table = (0u32..0x800)
            .map(|code| char::from_u32(code).map_or(1.0, |c| metrics.lookup(c)))
            .collect();
        metrics
    }

    /// Em advance of one character. A character the face lacks (emoji, CJK)
    /// counts as one full em: the renderer may draw a wider fallback glyph
    /// or nothing, and over-estimating only shortens a label, never lets it
    /// overflow.
    fn lookup(&self, c: char) -> f32 {
        self.face
            .glyph_index(c)
            .filter(|glyph| glyph.0 != 0)
            .and_then(|glyph| self.face.glyph_hor_advance(glyph))
            .map_or(1.0, |advance| f32::from(advance) / self.units_per_em)
    }

    fn advance(&self, c: char) -> f32 {
        match self.table.get(c as usize) {
            Some(&em) => em,
            None => self.lookup(c),
        }
    }
}

fn metrics(bold: bool) -> &'static Metrics {
    static REGULAR: OnceLock<Metrics> = OnceLock::new();
    static BOLD: OnceLock<Metrics> = OnceLock::new();
    if bold {
        BOLD.get_or_init(|| Metrics::load(FONT_BOLD))
    } else {
        REGULAR.get_or_init(|| Metrics::load(FONT_REGULAR))
    }
}

/// A font as labels use it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Font {
    pub size: f64,
    pub bold: bool,
}

impl Font {
    pub const fn regular(size: f64) -> Font {
        Font { size, bold: false }
    }

    pub const fn bold(size: f64) -> Font {
        Font { size, bold: true }
    }

    /// Width of `text` set in this font, in user units.
    pub fn measure(self, text: &str) -> f64 {
        let face = metrics(self.bold);
        let ems: f32 = text.chars().map(|c| face.advance(c)).sum();
        f64::from(ems) * self.size
    }

    /// `text` as it fits in `max_width`: whole if it fits, else the longest
    /// prefix that fits with an ellipsis after it (just the ellipsis, or
    /// nothing, when even that is too wide).
    pub fn fit(self, text: &str, max_width: f64) -> String {
        if self.measure(text) <= max_width {
            return text.to_string();
        }
        let face = metrics(self.bold);
        let budget = max_width / self.size - f64::from(face.advance(ELLIPSIS));
        let mut used = 0.0f64;
        let mut fitted = String::new();
        for c in text.chars() {
            used += f64::from(face.advance(c));
            if used > budget {
                break;
            }
            fitted.push(c);
        }
        if budget < 0.0 {
            return String::new();
        }
        // No trailing space before the ellipsis: "web …" reads as two words.
        let trimmed = fitted.trim_end();
        format!("{trimmed}{ELLIPSIS}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_glyph_advances_not_character_counts() {
        let font = Font::regular(10.0);
        // DejaVu Sans: 'i' is narrow, 'W' is wide; a character count would
        // call these equal.
        assert!(font.measure("iiii") < font.measure("WWWW") / 2.0);
        // Bold is wider than regular for the same text.
        assert!(Font::bold(10.0).measure("ledger") > font.measure("ledger"));
        // 'a' in DejaVu Sans advances 1255/2048 em.
        assert!((font.measure("a") - 10.0 * 1255.0 / 2048.0).abs() < 1e-3);
    }

    #[test]
    fn fitting_keeps_short_text_and_ellipsises_long_text_within_the_width() {
        let font = Font::bold(12.0);
        assert_eq!(font.fit("web-1", 200.0), "web-1");
        let long = "a-very-long-instance-name-that-goes-on-and-on";
        let fitted = font.fit(long, 100.0);
        assert!(fitted.ends_with('…'), "{fitted}");
        assert!(font.measure(&fitted) <= 100.0);
        assert!(long.starts_with(fitted.trim_end_matches('…')));
        assert_eq!(font.fit(long, 1.0), "");
        let emoji = "🚀".repeat(50);
        assert!(font.measure(&font.fit(&emoji, 80.0)) <= 80.0);
    }
}
