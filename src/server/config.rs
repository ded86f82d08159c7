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
}

impl UpstreamArgs {
    pub fn config(&self) -> UpstreamConfig {
        UpstreamConfig {
            koji_url: self.koji_url.clone(),
            bodhi_url: self.bodhi_url.clone(),
            bugzilla_url: self.bugzilla_url.clone(),
            mdapi_url: self.mdapi_url.clone(),
            distgit_url: self.distgit_url.clone(),
            http: HttpConfig::default(),
        }
    }
}
