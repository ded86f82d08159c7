//! The command line: `serve` (the default), `worker`, `sync`, `repos`, `migrate`,
//! `load-demo`, `upstream-replay`, `precompress`. `config` is the one clap
//! struct; `commands` holds what each command does beyond wiring.

pub mod commands;
pub mod config;

use anyhow::Context;
use clap::Parser;
use tokio_util::sync::CancellationToken;

use crate::bus::WorkerStatus;
use crate::dev::replay::Faults;
use crate::server::router;
use crate::upstream::Upstream;
use config::{Cli, Command};

/// Parses the command line and runs the command until it ends or `stop`.
pub async fn run(stop: CancellationToken, pages: router::Pages) -> anyhow::Result<()> {
    let cli = Cli::parse();
    // No subcommand means `serve`, with its settings from the environment.
    let command = cli.command.or_else(|| Cli::parse_from(["fedora-packages", "serve"]).command);
    let Some(command) = command else { anyhow::bail!("no command") };
    match command {
        Command::Serve(args) => {
            let pool = commands::open_database(&cli.db, true).await?;
            let status = WorkerStatus::default();
            let worker = match args.no_worker {
                true => None,
                false => Some(tokio::spawn(commands::worker(
                    pool.clone(),
                    args.worker.clone(),
                    status.clone(),
                    stop.clone(),
                ))),
            };
            let served = router::serve(pool, args.serve_config(), status, stop.clone(), pages).await;
            stop.cancel();
            if let Some(worker) = worker {
                worker.await??;
            }
            served
        }
        Command::Precompress { dir } => commands::precompress(&dir),
        Command::BareServe { file, addr } => {
            let listener =
                tokio::net::TcpListener::bind(&addr).await.with_context(|| format!("cannot listen on {addr}"))?;
            crate::dev::bare::serve(&file, listener, stop).await.context("bare server failed")
        }
        Command::Worker(args) => {
            let pool = commands::open_database(&cli.db, true).await?;
            commands::worker(pool, args, WorkerStatus::default(), stop).await
        }
        Command::Migrate => commands::open_database(&cli.db, true).await.map(drop),
        Command::LoadDemo(args) => {
            let pool = commands::open_database(&cli.db, true).await?;
            commands::load_demo(&pool, &args.dir, args.force).await
        }
        Command::UpstreamReplay(args) => {
            let listener = tokio::net::TcpListener::bind(&args.addr)
                .await
                .with_context(|| format!("cannot listen on {}", args.addr))?;
            tracing::info!(addr = %args.addr, dir = %args.dir.display(), "serving recorded upstream responses");
            let faults = Faults::delayed(std::time::Duration::from_millis(args.delay_ms));
            crate::dev::replay::serve(args.dir, listener, faults, stop).await.context("replay server failed")
        }
        Command::Repos(args) => {
            let pool = commands::open_database(&cli.db, true).await?;
            let upstream = Upstream::new(&args.upstream.config())?;
            commands::repos(&pool, &upstream, args.branches).await
        }
        Command::Sync(args) => {
            let pool = commands::open_database(&cli.db, true).await?;
            let upstream = Upstream::new(&args.upstream.config())?;
            let packages = (!args.all).then_some(args.packages);
            commands::sync(&pool, &upstream, packages, args.tabs, args.concurrency).await
        }
    }
}
