//! `motcua graph SPEC --format mermaid|dot|svg [-o FILE]`: draws a procedure.
//!
//! Mermaid and DOT come from the core (`motcua::diagram`): swimlanes per agency, horizontal
//! hand-offs bold, vertical ones dashed with an arrow, forks marked `‖`, budgets and national
//! status codes on the labels. SVG is laid out here (`crate::swimlane`), with a band per agency,
//! so no Graphviz is needed; it is the same, byte for byte, on every run. PNG is that SVG
//! rasterised by resvg.

use crate::args::{GraphFormat, SpecsArgs};
use crate::simulate::report_errors;
use crate::{Fail, Format, Lang, Outcome, project, render, swimlane};

/// The SVG rasterised by resvg on a white background, its text in the system's fonts.
pub fn png_from_svg(svg: &str) -> Result<Vec<u8>, String> {
    use resvg::{tiny_skia, usvg};
    let mut options = usvg::Options::default();
    let fonts = options.fontdb_mut();
    fonts.load_system_fonts();
    // The SVG asks for DejaVu Sans, Liberation Sans, Noto Sans, Arial, Helvetica, then
    // `sans-serif`; where none of these is installed, sans-serif is the first font there is, so
    // the labels are drawn, not left out.
    let families: Vec<String> = fonts.faces().flat_map(|f| f.families.iter().map(|(name, _)| name.clone())).collect();
    let has = |name: &str| families.iter().any(|f| f == name);
    let named = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica"];
    if !named.iter().any(|f| has(f))
        && let Some(family) = families.first().cloned()
    {
        fonts.set_sans_serif_family(family);
    }
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("empty picture")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| e.to_string())
}

pub fn run(spec: &str, kind: GraphFormat, output: Option<&str>, args: &SpecsArgs, lang: Lang) -> Outcome {
    let loaded = project::load_procedure(args, spec)?;
    let procedure = match loaded.result {
        Ok(p) => p,
        Err(e) => {
            report_errors(Format::Text, &loaded.source, e.diagnostics(), lang, render::colour());
            return Ok(false);
        }
    };
    let l = lang.code();
    let text = match kind {
        GraphFormat::Mermaid => motcua::diagram::mermaid(&procedure, l),
        GraphFormat::Dot => motcua::diagram::dot(&procedure, l),
        GraphFormat::Svg | GraphFormat::Png => swimlane::svg(&procedure, l),
    };
    if kind == GraphFormat::Png {
        let Some(file) = output else {
            return Err(Fail::new(
                "ảnh PNG cần được ghi vào tệp: thêm -o TỆP.png",
                "a PNG must be written to a file: add -o FILE.png",
            ));
        };
        let png = png_from_svg(&text)
            .map_err(|e| Fail::new(format!("không vẽ được PNG: {e}"), format!("cannot draw the PNG: {e}")))?;
        std::fs::write(file, png)
            .map_err(|e| Fail::new(format!("không ghi được {file}: {e}"), format!("cannot write {file}: {e}")))?;
        return Ok(true);
    }
    match output {
        Some(file) => std::fs::write(file, text.as_bytes())
            .map_err(|e| Fail::new(format!("không ghi được {file}: {e}"), format!("cannot write {file}: {e}")))?,
        None => print!("{}{}", text, if text.ends_with('\n') { "" } else { "\n" }),
    }
    Ok(true)
}
