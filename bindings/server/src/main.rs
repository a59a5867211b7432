//! `motcua-server`: the same as `motcua serve`.

use clap::{CommandFactory as _, FromArgMatches as _};

/// motcua as an HTTP service. / Dịch vụ HTTP của motcua.
#[derive(clap::Parser)]
#[command(name = "motcua-server", version)]
struct Cli {
    /// Language of the options' help: vi (default) or en. / Ngôn ngữ của trợ giúp.
    #[arg(long, value_parser = ["vi", "en"])]
    lang: Option<String>,
    #[command(flatten)]
    serve: motcua_server::ServeArgs,
}

fn main() -> std::process::ExitCode {
    // The help is built in the language asked for, so `--lang` is read before the parse.
    let args: Vec<String> = std::env::args().collect();
    let english = args.windows(2).any(|w| w[0] == "--lang" && w[1] == "en") || args.iter().any(|a| a == "--lang=en");
    motcua_server::set_english_help(english);
    let cli = match Cli::command().try_get_matches().and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    match cli.serve.run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error[serve_failed]: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
