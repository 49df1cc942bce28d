//! Rasterising an SVG document to PNG with resvg, using the bundled fonts
//! only (no system fonts are looked up, so a PNG looks the same on every
//! machine).

use anyhow::{anyhow, Context};
use resvg::{tiny_skia, usvg};

use crate::text::{FONT_BOLD, FONT_FAMILY, FONT_REGULAR};

/// Largest PNG, in pixels (and per side): bigger diagrams are scaled down
/// to fit, so a 10,000-resource estate gives a PNG that can be opened and
/// a pixmap of at most 128 MB while drawing it.
const MAX_PIXELS: f32 = 32_000_000.0;
const MAX_SIDE: f32 = 16_000.0;

/// PNG bytes of an SVG document drawn by strata.
pub fn rasterise(svg: &str) -> anyhow::Result<Vec<u8>> {
    let mut options = usvg::Options::default();
    let fonts = options.fontdb_mut();
    fonts.load_font_data(FONT_REGULAR.to_vec());
    fonts.load_font_data(FONT_BOLD.to_vec());
    fonts.set_sans_serif_family(FONT_FAMILY);
    let tree =
        usvg::Tree::from_str(svg, &options).context("cannot read the SVG to rasterise it")?;
    let size = tree.size();
    let scale = (MAX_SIDE / size.width().max(size.height()))
        .min((MAX_PIXELS / (size.width() * size.height())).sqrt())
        .min(1.0);
    let width = (size.width() * scale).ceil().max(1.0) as u32;
    let height = (size.height() * scale).ceil().max(1.0) as u32;
    let mut pixmap = tiny_skia::Pixmap::new(width, height).ok_or_else(|| {
        anyhow!("cannot allocate a {width}×{height} PNG; filter the estate or use SVG")
    })?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().context("cannot encode the PNG")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_renders_with_the_bundled_font() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 30" width="120" height="30" font-family="DejaVu Sans"><rect width="120" height="30" fill="#fff"/><text x="4" y="20" font-size="16">strata</text></svg>"##;
        let png = rasterise(svg).unwrap();
        let image = tiny_skia::Pixmap::decode_png(&png).unwrap();
        assert_eq!((image.width(), image.height()), (120, 30));
        // Some pixels are dark: the text was drawn, so the font was found.
        let dark = image.pixels().iter().filter(|p| p.red() < 128).count();
        assert!(dark > 40, "{dark} dark pixels");
    }

    #[test]
    fn huge_pictures_are_scaled_to_the_pixel_budget() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40000 20000" width="40000" height="20000"><rect width="40000" height="20000" fill="#fff"/></svg>"##;
        let image = tiny_skia::Pixmap::decode_png(&rasterise(svg).unwrap()).unwrap();
        assert!(u64::from(image.width()) * u64::from(image.height()) <= 32_000_000 + 20_000);
        assert_eq!(image.width() / image.height(), 2);
    }

    #[test]
    fn a_broken_document_is_an_error_not_a_panic() {
        let message = rasterise("<svg").unwrap_err().to_string();
        assert!(message.contains("cannot read the SVG"), "{message}");
    }
}
