//! `fedora-packages`: the web server and its maintenance commands.
use std::io::IsTerminal;

use anyhow::Context;
use clap::Parser;
use fedora_packages::bus::WorkerStatus;
use fedora_packages::replay::{FaultPlan, Faults};
use fedora_packages::server::config::{Cli, Command};
use fedora_packages::server::{commands, router};
use fedora_packages::upstream::Upstream;
use tokio_util::sync::CancellationToken;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    init_tracing();
    let cli = Cli::parse();
    // No subcommand means `serve`, with its settings from the environment.
    let command = cli.command.or_else(|| Cli::parse_from(["fedora-packages", "serve"]).command);
    let Some(command) = command else { anyhow::bail!("no command") };
    let stop = CancellationToken::new();
    tokio::spawn(cancel_on_signal(stop.clone()));
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
            let served = router::serve(pool, args, status, stop.clone()).await;
            stop.cancel();
            if let Some(worker) = worker {
                worker.await??;
            }
            served
        }
        Command::Precompress { dir } => commands::precompress(&dir),
        Command::Worker(args) => {
            let pool = commands::open_database(&cli.db, true).await?;
            commands::worker(pool, args, WorkerStatus::default(), stop).await
        }
        Command::Migrate => commands::open_database(&cli.db, true).await.map(drop),
        Command::LoadDemo(args) => {
            let pool = commands::open_database(&cli.db, true).await?;
            commands::load_demo(&pool, &args.dir).await
        }
        Command::UpstreamReplay(args) => {
            let listener = tokio::net::TcpListener::bind(&args.addr)
                .await
                .with_context(|| format!("cannot listen on {}", args.addr))?;
            tracing::info!(addr = %args.addr, dir = %args.dir.display(), "serving recorded upstream responses");
            let faults = Faults::new(FaultPlan { delay_ms: args.delay_ms, ..FaultPlan::default() });
            fedora_packages::replay::serve(args.dir, listener, faults).await.context("replay server failed")
        }
        Command::Sync(args) => {
            let pool = commands::open_database(&cli.db, true).await?;
            let upstream = Upstream::new(&args.upstream.config())?;
            let packages = (!args.all).then_some(args.packages);
            commands::sync(&pool, &upstream, packages, args.tabs, args.concurrency).await
        }
    }
}

/// SIGTERM or Ctrl-C: stop taking work, finish what is in flight, exit.
async fn cancel_on_signal(stop: CancellationToken) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
    stop.cancel();
}

/// Human-readable logs on a terminal, JSON lines otherwise (for log collectors).
fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if std::io::stdout().is_terminal() {
        builder.init();
    } else {
        builder.json().init();
    }
}
