//! The command line: one clap struct, every setting also from an environment
//! variable, defaults that work on a developer machine.
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::upstream::{HttpConfig, UpstreamConfig};

#[derive(Debug, Parser)]
#[command(name = "fedora-packages", version, about = "Fedora Packages: every service's view of a package on one page")]
pub struct Cli {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args)]
pub struct DbArgs {
    /// PostgreSQL connection URL.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/fedora_packages",
        global = true
    )]
    pub database_url: String,
    /// Largest number of pooled database connections.
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS", default_value_t = 16, global = true)]
    pub database_max_connections: u32,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web site (the default).
    Serve(ServeArgs),
    /// Create the database if needed and apply migrations.
    Migrate,
    /// Load the bundled demo data: replays the recorded upstream responses
    /// through the same refresh path that production uses.
    LoadDemo(LoadDemoArgs),
    /// Serve recorded upstream responses over HTTP, for tests and offline work.
    UpstreamReplay(ReplayArgs),
    /// Fill the database from upstream, for some packages or all of them.
    /// Rerunning an interrupted or failed sync resumes it.
    Sync(SyncArgs),
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Packages to refresh (source or sub-package names).
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub packages: Vec<String>,
    /// Every package dist-git lists.
    #[arg(long)]
    pub all: bool,
    /// Only these tabs (repeatable); all tabs by default.
    #[arg(long = "tab", value_parser = parse_tab)]
    pub tabs: Vec<crate::model::Tab>,
    /// Packages refreshed at once.
    #[arg(long, env = "SYNC_CONCURRENCY", default_value_t = 4)]
    pub concurrency: usize,
    #[command(flatten)]
    pub upstream: UpstreamArgs,
}

fn parse_tab(s: &str) -> Result<crate::model::Tab, String> {
    crate::model::Tab::from_slug(s).ok_or_else(|| {
        let all: Vec<&str> = crate::model::Tab::ALL.iter().map(|t| t.slug()).collect();
        format!("unknown tab {s:?}; one of {}", all.join(", "))
    })
}

#[derive(Debug, Args, Default)]
pub struct ServeArgs {
    /// Address to listen on (overrides Leptos.toml).
    #[arg(long, env = "LEPTOS_SITE_ADDR")]
    pub site_addr: Option<String>,
    /// Directory of the built site: wasm, JS, CSS (overrides Leptos.toml).
    #[arg(long, env = "LEPTOS_SITE_ROOT")]
    pub site_root: Option<String>,
    /// Absolute base URL used in canonical links.
    #[arg(long, env = "SITE_URL", default_value = "https://packages.fedoraproject.org")]
    pub site_url: String,
    /// Runtime Leptos settings.
    #[arg(long, env = "LEPTOS_CONFIG", default_value = "Leptos.toml")]
    pub leptos_config: PathBuf,
}

#[derive(Debug, Args)]
pub struct LoadDemoArgs {
    /// Directory of recorded upstream responses.
    #[arg(long, env = "DEMO_DIR", default_value = "demo/upstream")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// Directory of recorded upstream responses.
    #[arg(long, default_value = "demo/upstream")]
    pub dir: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8089")]
    pub addr: String,
    /// Delay added to every answer, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub delay_ms: u64,
}

/// Base URLs of the upstream services, defaulting to Fedora production.
#[derive(Debug, Args, Clone)]
pub struct UpstreamArgs {
    #[arg(long, env = "KOJI_URL", default_value = "https://koji.fedoraproject.org/kojihub")]
    pub koji_url: String,
    #[arg(long, env = "BODHI_URL", default_value = "https://bodhi.fedoraproject.org")]
    pub bodhi_url: String,
    #[arg(long, env = "BUGZILLA_URL", default_value = "https://bugzilla.redhat.com")]
    pub bugzilla_url: String,
    #[arg(long, env = "MDAPI_URL", default_value = "https://mdapi.fedoraproject.org")]
    pub mdapi_url: String,
    #[arg(long, env = "DISTGIT_URL", default_value = "https://src.fedoraproject.org")]
    pub distgit_url: String,
    /// Every service under one base URL, as `upstream-replay` serves them
    /// (`{base}/koji/kojihub`, `{base}/mdapi`, ...); overrides the five above.
    #[arg(long, env = "UPSTREAM_BASE_URL")]
    pub upstream_base_url: Option<String>,
    /// Requests in flight per service.
    #[arg(long, env = "UPSTREAM_CONCURRENCY", default_value_t = 8)]
    pub upstream_concurrency: usize,
    /// Total time allowed for one upstream request, in seconds.
    #[arg(long, env = "UPSTREAM_TIMEOUT", default_value_t = 30)]
    pub upstream_timeout: u64,
}

impl UpstreamArgs {
    pub fn config(&self) -> UpstreamConfig {
        let http = HttpConfig {
            concurrency: self.upstream_concurrency,
            timeout: std::time::Duration::from_secs(self.upstream_timeout.max(1)),
            ..HttpConfig::default()
        };
        match &self.upstream_base_url {
            Some(base) => UpstreamConfig { http, ..UpstreamConfig::all_under(base) },
            None => UpstreamConfig {
                koji_url: self.koji_url.clone(),
                bodhi_url: self.bodhi_url.clone(),
                bugzilla_url: self.bugzilla_url.clone(),
                mdapi_url: self.mdapi_url.clone(),
                distgit_url: self.distgit_url.clone(),
                http,
            },
        }
    }
}
