//! `motcua-server`: the same as `motcua serve`.

use clap::Parser;

/// motcua as an HTTP service. / Dịch vụ HTTP của motcua.
#[derive(Parser)]
#[command(name = "motcua-server", version)]
struct Cli {
    #[command(flatten)]
    serve: motcua_server::ServeArgs,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match cli.serve.run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error[serve_failed]: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
