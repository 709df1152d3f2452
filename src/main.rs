//! The `registre-dcp` binary: `serve`, `migrate run|revert|status`, `schema`, `create-user`,
//! `seed`.

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
    }
}

/// Logs go to stderr, so that `registre-dcp schema > schema.graphql` stays clean.
fn init_tracing(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
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
