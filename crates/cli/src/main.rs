//! `phongdich`: the one binary of Phòng Dịch. It parses flags, builds the configuration from
//! its layers, opens the store and hands over to the server, the demo seeder or the admin tools.

mod admin;
mod args;
mod bench;
mod demo;
mod device;
mod exposure;
mod launch;
mod settings;
mod sim;
mod telemetry;
mod venues;

use anyhow::Context;
use clap::Parser;

use crate::args::{Cli, Command};

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(flags) => {
            let settings = settings::Settings::load(&flags)?;
            telemetry::init(&settings.log_format);
            launch::serve(settings).await
        }
        Command::Demo(flags) => {
            let settings = settings::Settings::load(&flags)?;
            telemetry::init(&settings.log_format);
            demo::run(settings).await
        }
        Command::Migrate(flags) => {
            let settings = settings::Settings::load(&flags)?;
            telemetry::init(&settings.log_format);
            let store = launch::open_store(&settings).await?;
            println!(
                "Store ready ({:?}); unit list {}.",
                store.backend(),
                settings.units
            );
            if !settings.database_app_role.is_empty() {
                anyhow::ensure!(
                    store.backend() == phongdich_store::Backend::Postgres,
                    "database_app_role needs PostgreSQL (--database-url)"
                );
                store
                    .grant_app_role(&settings.database_app_role)
                    .await
                    .with_context(|| {
                        format!("granting rights to the role {}", settings.database_app_role)
                    })?;
                println!(
                    "Granted the server's rights to {} (no UPDATE, DELETE or TRUNCATE of audit rows).",
                    settings.database_app_role
                );
            }
            Ok(())
        }
        Command::Admin(admin) => admin::run(admin).await,
        Command::Venues(command) => venues::run(command).await,
        Command::Bench(command) => bench::run(command).await,
        Command::Sim(command) => sim::run(command).await,
        Command::Device(command) => device::run(command).await,
        Command::Exposure(args::ExposureCommand::Derive { tek, interval }) => {
            exposure::derive(&tek, interval)
        }
        Command::Openapi => {
            println!("{}", phongdich_server::openapi_json());
            Ok(())
        }
    }
}
