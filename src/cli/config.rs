//! The command line: one clap struct, every setting also from an environment
//! variable, defaults that work on a developer machine.
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::upstream::distgit::SpecLimits;
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
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS", default_value_t = 32, global = true)]
    pub database_max_connections: u32,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web site (the default). Boxed: its settings outweigh the
    /// other commands' many times over.
    Serve(Box<ServeArgs>),
    /// Create the database if needed and apply migrations.
    Migrate,
    /// Load the bundled demo data: replays the recorded upstream responses
    /// through the same refresh path that production uses.
    LoadDemo(LoadDemoArgs),
    /// Serve recorded upstream responses over HTTP, for tests and offline work.
    UpstreamReplay(ReplayArgs),
    /// Write .gz and .br beside every file of a directory (the built site's
    /// assets), so they are served compressed without compressing per request.
    Precompress {
        /// Directory of assets (e.g. target/site/pkg).
        dir: PathBuf,
    },
    /// Run the bus worker alone (no web server).
    Worker(WorkerArgs),
    /// Serve one file's bytes at every path from a bare axum server (the
    /// benchmarks' yardstick for the page cache).
    #[command(hide = true)]
    BareServe {
        #[arg(long)]
        file: PathBuf,
        #[arg(long)]
        addr: String,
    },
    /// Read the repositories' metadata (files, provides, BuildRequires) of
    /// some release branches, or of every active one.
    Repos(ReposArgs),
    /// Fill the database from upstream, for some packages or all of them.
    /// Rerunning an interrupted or failed sync resumes it.
    Sync(SyncArgs),
}

#[derive(Debug, Args)]
pub struct ReposArgs {
    /// Branches to read (`rawhide`, `f42`, ...); every active one by default.
    pub branches: Vec<String>,
    #[command(flatten)]
    pub upstream: UpstreamArgs,
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

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Serve the web only; run the bus worker elsewhere (`worker`).
    #[arg(long, env = "NO_WORKER")]
    pub no_worker: bool,
    #[command(flatten)]
    pub worker: WorkerArgs,
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
    /// Memory for rendered pages kept ready to serve, in MiB.
    #[arg(long, env = "PAGE_CACHE_MB", default_value_t = 48)]
    pub page_cache_mb: u64,
    /// Address of `/metrics` (never the public port); `off` for none. When
    /// the address is taken the server says so and runs without it.
    #[arg(long, env = "METRICS_ADDR", default_value = "127.0.0.1:9464")]
    pub metrics_addr: String,
    /// Seconds a connection may take to send a request's headers.
    #[arg(long, env = "HEADER_READ_TIMEOUT", default_value_t = 10.0)]
    pub header_read_timeout: f64,
    /// Seconds one request may run.
    #[arg(long, env = "REQUEST_TIMEOUT", default_value_t = 30.0)]
    pub request_timeout: f64,
    /// Uncached renders in flight at once; more are answered 503 with Retry-After.
    #[arg(long, env = "MAX_CONCURRENT_RENDERS", default_value_t = 32)]
    pub max_concurrent_renders: usize,
    /// Uncached requests per second one client may make (pages not in the
    /// cache, search, the API); over it, 429 with Retry-After.
    #[arg(long, env = "RATE_LIMIT", default_value_t = 50)]
    pub rate_limit: u32,
    /// Such requests one client may make at once before the rate applies.
    #[arg(long, env = "RATE_LIMIT_BURST", default_value_t = 200)]
    pub rate_limit_burst: u32,
    /// Reverse proxies (comma-separated addresses) whose X-Forwarded-For names the client.
    #[arg(long, env = "TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Search from an in-memory index (`on`) or from PostgreSQL alone (`off`).
    #[arg(long, env = "SEARCH_INDEX", default_value = "on", value_parser = ["on", "off"])]
    pub search_index: String,
    /// Open live streams (`/packages/{name}/live`) this process serves; more get a 503.
    #[arg(long, env = "LIVE_MAX_STREAMS", default_value_t = crate::live::DEFAULT_MAX_STREAMS)]
    pub live_max_streams: usize,
    /// Contains lookups ("what provides it") the database runs at once; more
    /// wait their turn. About the database server's cores (default: this
    /// machine's).
    #[arg(long, env = "CONTAINS_LOOKUPS")]
    pub contains_lookups: Option<u32>,
}

impl ServeArgs {
    pub fn serve_config(&self) -> crate::server::router::ServeConfig {
        crate::server::router::ServeConfig {
            site_addr: self.site_addr.clone(),
            site_root: self.site_root.clone(),
            site_url: self.site_url.clone(),
            leptos_config: self.leptos_config.clone(),
            page_cache_mb: self.page_cache_mb,
            metrics_addr: (self.metrics_addr != "off").then(|| self.metrics_addr.clone()),
            search_index: self.search_index == "on",
            live_max_streams: self.live_max_streams,
            contains_lookups: self.contains_lookups,
            limits: crate::server::limits::Limits {
                header_read_timeout: std::time::Duration::from_secs_f64(self.header_read_timeout.max(0.1)),
                request_timeout: std::time::Duration::from_secs_f64(self.request_timeout.max(0.1)),
                max_concurrent: self.max_concurrent_renders.max(1),
                rate_per_second: self.rate_limit.max(1),
                rate_burst: self.rate_limit_burst.max(1),
                trusted_proxies: self.trusted_proxies.clone(),
            },
        }
    }
}

#[derive(Debug, Args)]
pub struct LoadDemoArgs {
    /// Directory of recorded upstream responses.
    #[arg(long, env = "DEMO_DIR", default_value = "demo/upstream")]
    pub dir: PathBuf,
    /// Load into a database that holds packages not loaded by `load-demo`.
    #[arg(long)]
    pub force: bool,
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

/// The bus worker: where to consume, and how to retry and sweep.
#[derive(Debug, Args, Clone)]
pub struct WorkerArgs {
    /// AMQP broker.
    #[arg(long, env = "AMQP_URL", default_value = "amqp://guest:guest@127.0.0.1:5672/%2f")]
    pub amqp_url: String,
    /// Durable queue name (retry and dead-letter queues are named after it).
    #[arg(long, env = "AMQP_QUEUE", default_value = "fedora-packages")]
    pub amqp_queue: String,
    /// Topic prefixes to consume (comma-separated), e.g. org.fedoraproject.stg for staging.
    #[arg(long, env = "TOPIC_PREFIXES", value_delimiter = ',', default_value = "org.fedoraproject.prod")]
    pub topic_prefixes: Vec<String>,
    /// Unacknowledged messages held at once (also the largest coalesced batch).
    #[arg(long, env = "AMQP_PREFETCH", default_value_t = 10000)]
    pub prefetch: u16,
    /// Most packages one batch of messages refreshes.
    #[arg(long, env = "WORKER_BATCH_PACKAGES", default_value_t = 500)]
    pub batch_packages: usize,
    /// A message naming more packages than this is re-published as parts of this many.
    #[arg(long, env = "WORKER_FANOUT_CHUNK", default_value_t = 100)]
    pub fanout_chunk: usize,
    /// Seconds a delivery may wait unprocessed before it is handed back to the
    /// queue (keep well under the broker's consumer timeout, 30 min by default).
    #[arg(long, env = "MESSAGE_HOLD_SECS", default_value_t = 600.0)]
    pub message_hold: f64,
    /// Largest message body read; larger ones are dead-lettered unparsed ("too large").
    #[arg(long, env = "MAX_MESSAGE_BYTES", default_value_t = 1 << 20)]
    pub max_message_bytes: usize,
    /// Packages refreshed at once.
    #[arg(long, env = "WORKER_CONCURRENCY", default_value_t = 32)]
    pub worker_concurrency: usize,
    /// Seconds before each retry of a message whose upstream fetch failed (comma-separated);
    /// after the last, it is dead-lettered.
    #[arg(long, env = "RETRY_DELAYS", value_delimiter = ',', default_value = "5,30,120,600,1800")]
    pub retry_delays: Vec<f64>,
    /// Seconds after which a source package is swept again (the first sweep
    /// starts this long after the worker).
    #[arg(long, env = "SWEEP_EVERY", default_value_t = 3600.0)]
    pub sweep_every: f64,
    /// Source packages a worker claims per sweep round (least recently swept first).
    #[arg(long, env = "SWEEP_BATCH", default_value_t = 50)]
    pub sweep_batch: i64,
    /// Requests per second the sweep sends to each upstream service.
    #[arg(long, env = "SWEEP_RATE", default_value_t = 5)]
    pub sweep_rate: u32,
    /// Every this many sweeps of a package, its mdapi tabs (overview info,
    /// contents, changelog) are refreshed too (README: the sweep's arithmetic).
    #[arg(long, env = "SWEEP_MDAPI_EVERY", default_value_t = 4)]
    pub sweep_mdapi_every: u32,
    /// Every this many sweeps of a package, its dependencies are refreshed too.
    #[arg(long, env = "SWEEP_DEEP_EVERY", default_value_t = 64)]
    pub sweep_deep_every: u32,
    /// Seconds between reads of every active branch's repository metadata
    /// (an unchanged repository costs one repomd.xml); 0 for none. Bus
    /// messages (`mdapi.repo.update`) trigger a branch's read in between.
    #[arg(long, env = "REPOS_EVERY", default_value_t = 3600.0)]
    pub repos_every: f64,
    #[command(flatten)]
    pub upstream: UpstreamArgs,
}

impl WorkerArgs {
    pub fn config(&self) -> crate::bus::BusConfig {
        let secs = |s: f64| std::time::Duration::from_secs_f64(s.max(0.001));
        crate::bus::BusConfig {
            amqp_url: self.amqp_url.clone(),
            queue: self.amqp_queue.clone(),
            prefixes: self
                .topic_prefixes
                .iter()
                .map(|p| p.trim().trim_end_matches('.').to_string())
                .filter(|p| !p.is_empty())
                .collect(),
            prefetch: self.prefetch.max(1),
            batch_max: usize::from(self.prefetch.max(1)),
            batch_packages: self.batch_packages.max(1),
            fanout_chunk: self.fanout_chunk.max(1),
            hold: secs(self.message_hold),
            max_message_bytes: self.max_message_bytes.max(1024),
            concurrency: self.worker_concurrency.max(1),
            retry_delays: self.retry_delays.iter().map(|s| secs(*s)).collect(),
            repos_every: (self.repos_every > 0.0).then(|| secs(self.repos_every)),
            sweep: crate::bus::sweep::SweepConfig {
                every: secs(self.sweep_every),
                batch: self.sweep_batch.max(1),
                rate: std::num::NonZeroU32::new(self.sweep_rate).unwrap_or(std::num::NonZeroU32::MIN),
                mdapi_every: self.sweep_mdapi_every.max(1),
                deep_every: self.sweep_deep_every.max(1),
                ..Default::default()
            },
        }
    }
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
    /// The mirror's `pub/fedora/linux` directory, where each release's
    /// repository metadata is read (`repos`, `sync --all`, the worker).
    #[arg(long, env = "REPOS_URL", default_value = "https://dl.fedoraproject.org/pub/fedora/linux")]
    pub repos_url: String,
    /// The architecture whose repositories are read (noarch comes with it).
    #[arg(long, env = "REPO_ARCH", default_value = "x86_64")]
    pub repo_arch: String,
    /// Every service under one base URL, as `upstream-replay` serves them
    /// (`{base}/koji/kojihub`, `{base}/mdapi`, `{base}/dl/pub/fedora/linux`,
    /// ...); overrides the URLs above.
    #[arg(long, env = "UPSTREAM_BASE_URL")]
    pub upstream_base_url: Option<String>,
    /// Requests in flight per service.
    #[arg(long, env = "UPSTREAM_CONCURRENCY", default_value_t = 8)]
    pub upstream_concurrency: usize,
    /// Total time allowed for one upstream request, in seconds.
    #[arg(long, env = "UPSTREAM_TIMEOUT", default_value_t = 30)]
    pub upstream_timeout: u64,
    /// Largest upstream response body, after decompression, in MiB; a larger
    /// one is an error for that call and the old data stays.
    #[arg(long, env = "UPSTREAM_MAX_BODY_MB", default_value_t = 32)]
    pub upstream_max_body_mb: u64,
    /// Longest Retry-After honoured, in seconds (a longer one is cut to this).
    #[arg(long, env = "UPSTREAM_MAX_RETRY_AFTER", default_value_t = 20)]
    pub upstream_max_retry_after: u64,
    /// Failed calls in a row that open a service's circuit breaker.
    #[arg(long, env = "UPSTREAM_BREAKER_FAILURES", default_value_t = 5)]
    pub upstream_breaker_failures: u32,
    /// Seconds an open circuit refuses calls before one probe goes through.
    #[arg(long, env = "UPSTREAM_BREAKER_COOLDOWN", default_value_t = 30)]
    pub upstream_breaker_cooldown: u64,
    /// Longest one refresh may wait on upstream, all its calls together, in seconds.
    #[arg(long, env = "REFRESH_DEADLINE", default_value_t = 120)]
    pub refresh_deadline: u64,
    /// Bytes of a spec file kept; a longer one is shown truncated, with a note.
    #[arg(long, env = "SPEC_MAX_BYTES", default_value_t = 2 << 20)]
    pub spec_max_bytes: usize,
    /// Bytes one spec macro may expand to; past it the value is shown unexpanded.
    #[arg(long, env = "SPEC_MAX_EXPANSION", default_value_t = 4096)]
    pub spec_max_expansion: usize,
}

impl UpstreamArgs {
    pub fn config(&self) -> UpstreamConfig {
        let secs = std::time::Duration::from_secs;
        let http = HttpConfig {
            concurrency: self.upstream_concurrency,
            timeout: secs(self.upstream_timeout.max(1)),
            max_body_bytes: self.upstream_max_body_mb.max(1) << 20,
            max_retry_after: secs(self.upstream_max_retry_after),
            breaker_failures: self.upstream_breaker_failures.max(1),
            breaker_cooldown: secs(self.upstream_breaker_cooldown),
            ..HttpConfig::default()
        };
        let spec_limits =
            SpecLimits { max_bytes: self.spec_max_bytes.max(1024), max_expanded: self.spec_max_expansion.max(64) };
        let refresh_deadline = secs(self.refresh_deadline.max(1));
        match &self.upstream_base_url {
            Some(base) => {
                tracing::warn!(base = %base, "UPSTREAM_BASE_URL is set: every upstream service is read from it, not from Fedora");
                UpstreamConfig {
                    http,
                    spec_limits,
                    refresh_deadline,
                    repo_arch: self.repo_arch.clone(),
                    ..UpstreamConfig::all_under(base)
                }
            }
            None => UpstreamConfig {
                koji_url: self.koji_url.clone(),
                bodhi_url: self.bodhi_url.clone(),
                bugzilla_url: self.bugzilla_url.clone(),
                mdapi_url: self.mdapi_url.clone(),
                distgit_url: self.distgit_url.clone(),
                repos_url: self.repos_url.clone(),
                repo_arch: self.repo_arch.clone(),
                http,
                spec_limits,
                refresh_deadline,
            },
        }
    }
}
