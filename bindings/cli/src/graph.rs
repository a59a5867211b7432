//! `motcua graph SPEC --format mermaid|dot|svg [-o FILE]`: draws a procedure.
//!
//! Mermaid and DOT come from the core (`motcua::diagram`): swimlanes per agency, horizontal
//! hand-offs bold, vertical ones dashed with an arrow, forks marked `‖`, budgets and national
//! status codes on the labels. SVG is laid out in pure Rust by `layout-rs` from the same DOT,
//! so no Graphviz is needed; that layout has no clusters, so lanes are not boxed in SVG. The
//! SVG is the same, byte for byte, on every run.

use std::panic::AssertUnwindSafe;

use crate::args::{GraphFormat, SpecsArgs};
use crate::simulate::report_errors;
use crate::{Fail, Format, Lang, Outcome, project, render};

/// Lays out a DOT graph and renders it as SVG, without any outside tool.
pub fn svg_from_dot(dot: &str) -> Result<String, String> {
    // layout-rs asserts on shapes of graph it does not expect; the DOT is ours, but a panic
    // must still become an error message, not a crash.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let mut parser = layout::gv::DotParser::new(dot);
        let graph = parser.process()?;
        let mut builder = layout::gv::GraphBuilder::new();
        builder.visit_graph(&graph);
        let mut visual = builder.get();
        let mut svg = layout::backends::svg::SVGWriter::new();
        visual.do_it(false, false, false, &mut svg);
        Ok::<String, String>(svg.finalize())
    }));
    std::panic::set_hook(previous);
    result.unwrap_or_else(|_| Err("layout failed".into())).map(|svg| sorted_styles(&svg))
}

/// The SVG rasterised by resvg on a white background, its text in the system's fonts.
pub fn png_from_svg(svg: &str) -> Result<Vec<u8>, String> {
    use resvg::{tiny_skia, usvg};
    let mut options = usvg::Options::default();
    let fonts = options.fontdb_mut();
    fonts.load_system_fonts();
    // The SVG asks for `Times, serif`; where no Times is installed (most Linux machines), serif
    // is the first of these that is, else any font, so the labels are drawn, not left out.
    let families: Vec<String> = fonts.faces().flat_map(|f| f.families.iter().map(|(name, _)| name.clone())).collect();
    let has = |name: &str| families.iter().any(|f| f == name);
    if !has("Times") && !has("Times New Roman") {
        let preferred = ["DejaVu Serif", "Liberation Serif", "Noto Serif", "DejaVu Sans", "Noto Sans"];
        if let Some(family) = preferred.iter().find(|f| has(f)).map(|f| (*f).to_owned()).or(families.first().cloned()) {
            fonts.set_serif_family(family);
        }
    }
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("empty picture")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| e.to_string())
}

/// The SVG with the lines of its `<style>` block sorted. layout-rs keeps its font classes in a
/// `HashMap` and writes them in its (random) order; placement is deterministic, so this is the
/// only part of the bytes that changed between runs.
fn sorted_styles(svg: &str) -> String {
    let (Some(open), Some(close)) = (svg.find("<style>\n"), svg.find("</style>")) else {
        return svg.to_owned();
    };
    let start = open + "<style>\n".len();
    if close < start {
        return svg.to_owned();
    }
    let mut lines: Vec<&str> = svg[start..close].lines().collect();
    lines.sort_unstable();
    let mut out = String::with_capacity(svg.len());
    out.push_str(&svg[..start]);
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&svg[close..]);
    out
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
        GraphFormat::Svg | GraphFormat::Png => svg_from_dot(&motcua::diagram::dot(&procedure, l))
            .map_err(|e| Fail::new(format!("không vẽ được SVG: {e}"), format!("cannot draw the SVG: {e}")))?,
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
