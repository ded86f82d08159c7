//! `fedora-packages`: the web server, the bus worker and their maintenance
//! commands (see `cli`).
use std::io::IsTerminal;

use tokio_util::sync::CancellationToken;

// Search allocates and frees buffers of tens of kilobytes per query; glibc's
// malloc spent a third of a results page splitting and merging its chunks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    init_tracing();
    let stop = CancellationToken::new();
    tokio::spawn(cancel_on_signal(stop.clone()));
    fedora_packages::cli::run(stop, fedora_packages::PAGES).await
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
