//! `motcua check-form SPEC DATA.json [--documents DOCS.json] [--today YYYY-MM-DD]`:
//! validates form data (and the submitted documents) with the procedure's form.
//!
//! `DATA.json` is the form data object; `DOCS.json` a list of submitted documents
//! (`[{"id": "birth_certificate", "originals": 1}]`). Date rules (`today()`) use `--today`,
//! else the local date.

use motcua::SubmittedDocument;
use serde_json::json;

use crate::args::SpecsArgs;
use crate::simulate::report_errors;
use crate::{Fail, Format, Lang, Outcome, project, render};

fn read_json(path: &str) -> Result<serde_json::Value, Fail> {
    let text = project::read(std::path::Path::new(path), path)?;
    serde_json::from_str(&text)
        .map_err(|e| Fail::new(format!("{path}: JSON không hợp lệ: {e}"), format!("{path}: invalid JSON: {e}")))
}

pub fn run(
    spec: &str,
    data_path: &str,
    documents: Option<&str>,
    today: Option<&str>,
    format: Format,
    args: &SpecsArgs,
    lang: Lang,
) -> Outcome {
    let data = read_json(data_path)?;
    let documents: Vec<SubmittedDocument> = match documents {
        Some(path) => serde_json::from_value(read_json(path)?).map_err(|e| {
            Fail::new(
                format!("{path}: danh sách giấy tờ không hợp lệ: {e}"),
                format!("{path}: invalid document list: {e}"),
            )
        })?,
        None => Vec::new(),
    };
    let today = match today {
        Some(d) => d.parse::<chrono::NaiveDate>().map_err(|_| {
            Fail::new(format!("ngày `{d}` không hợp lệ (YYYY-MM-DD)"), format!("invalid date `{d}` (YYYY-MM-DD)"))
        })?,
        None => chrono::Local::now().date_naive(),
    };
    let loaded = project::load_procedure(args, spec)?;
    let procedure = match loaded.result {
        Ok(p) => p,
        Err(e) => {
            report_errors(format, &loaded.source, e.diagnostics(), lang, render::colour());
            return Ok(false);
        }
    };
    let validation = procedure.form().validate(&data, &documents, today);
    let l = lang.code();
    match format {
        Format::Json => crate::print_json(&json!({
            "valid": validation.is_valid(),
            "problems": validation.problems,
        })),
        Format::Text if validation.is_valid() => {
            println!("✓ {}", lang.t("Tờ khai và giấy tờ hợp lệ", "The form and the documents are valid"));
        }
        Format::Text => {
            let headers = [lang.t("Vị trí", "Path"), lang.t("Mã", "Code"), lang.t("Nội dung", "Message")];
            let rows: Vec<Vec<String>> = validation
                .problems
                .iter()
                .map(|p| vec![p.path.clone(), p.code.as_str().to_owned(), render::escape_controls(p.message.get(l))])
                .collect();
            let n = rows.len();
            let mut out = crate::timeline::table_of(&headers, rows, crate::timeline::Width::detect(None));
            out.push_str(&match lang {
                Lang::Vi => format!("\n{n} lỗi trong tờ khai và giấy tờ\n"),
                Lang::En => format!("\n{n} problem{} in the form and documents\n", if n == 1 { "" } else { "s" }),
            });
            print!("{out}");
        }
    }
    Ok(validation.is_valid())
}
