//! The `registre-dcp` binary: `serve`, `migrate run|revert|status`, `schema`, `create-user`,
//! `seed`, `sauvegarde`, `restauration`.

use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use registre_dcp::config::{Cli, Command, LogFormat, MigrateAction};
use registre_dcp::{cli, graphql, migrations, server};

fn main() -> ExitCode {
    let _ = dotenvy::dotenv();
    let args = Cli::parse();
    init_tracing(args.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            tracing::error!(error = %e, "démarrage du runtime impossible");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "échec");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(config) => server::serve(*config).await,
        Command::Schema => {
            print!("{}", graphql::sdl());
            Ok(())
        }
        Command::Migrate { database, action } => {
            registre_dcp::db::wait_until_reachable(&database).await?;
            match action {
                MigrateAction::Run => {
                    let applied = migrations::run_pending(&database.url).await?;
                    if applied.is_empty() {
                        println!("Aucune migration en attente.");
                    }
                    for name in applied {
                        println!("Appliquée : {name}");
                    }
                }
                MigrateAction::Revert => match migrations::revert_last(&database.url).await? {
                    Some(version) => println!("Annulée : {version}"),
                    None => println!("Aucune migration appliquée."),
                },
                MigrateAction::Status => {
                    for m in migrations::status(&database.url).await? {
                        let mark = if m.applied {
                            "appliquée "
                        } else {
                            "en attente"
                        };
                        println!("[{mark}] {}", m.name);
                    }
                }
            }
            Ok(())
        }
        Command::CreateUser(args) => cli::create_user(args).await,
        Command::Seed(args) => cli::seed(args).await,
        Command::Sauvegarde(args) => cli::sauvegarde(args).await,
        Command::Restauration(args) => cli::restauration(args).await,
    }
}

/// Logs go to stderr, so that `registre-dcp schema > schema.graphql` stays clean. Colours
/// only on a terminal and without `NO_COLOR`: a log redirected to a file or a collector is
/// plain text (or JSON with `LOG_FORMAT=json`).
fn init_tracing(format: LogFormat) {
    use std::io::IsTerminal;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let couleurs = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(couleurs)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .init(),
        LogFormat::Text => builder.init(),
    }
}
