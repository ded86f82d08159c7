//! Connections of their own for "what provides it" lookups.
//!
//! A contains lookup takes from under a millisecond to tens of milliseconds
//! of database CPU. On the main pool, sixteen at once would share the cores
//! with each other and with page renders, so each would take about as long
//! as all of them together: the slow ones 3–4× their own time. Here they
//! queue for a few connections instead, first come first served, so a lookup
//! waits only for the work ahead of it, and pages keep the main pool.
//!
//! Each pool also sets its plan settings once per connection, so a lookup is
//! a single round trip (no BEGIN, SET LOCAL and COMMIT around it).

use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::Executor;

/// The two lookup pools; cheap to clone. Connections open on first use.
#[derive(Clone, Debug)]
pub struct LookupPools {
    /// path, name and capability lookups.
    pub exact: PgPool,
    /// contains lookups.
    pub contains: PgPool,
}

/// Exact lookups plan the same whatever the value: a cached generic plan
/// saves the ~2 ms of planning per call (ten times the execution).
const EXACT_SETTINGS: &str = "SET plan_cache_mode = force_generic_plan";

/// Contains lookups are planned for their pattern, since how common it is
/// decides the plan; parallel workers would run the query's parts at once
/// and in no order when only the first hundred rows are wanted.
const CONTAINS_SETTINGS: &str = "SET plan_cache_mode = force_custom_plan; SET max_parallel_workers_per_gather = 0";

impl LookupPools {
    /// Pools on the main pool's server, with its connect options, for
    /// `contains` lookups at once (`None`: this machine's cores).
    pub fn new(main: &PgPool, contains: Option<u32>) -> Self {
        // As many contains lookups at once as the database's cores can run;
        // more would only share them. Exact lookups are short: a few more
        // connections keep the cores busy while the app writes answers.
        let contains = contains.unwrap_or_else(cores).max(1);
        let pools =
            Self { exact: pool(main, contains * 2, EXACT_SETTINGS), contains: pool(main, contains, CONTAINS_SETTINGS) };
        // They close with the main pool (at shutdown; a test's database is
        // dropped after its pool closes).
        let (main, closing) = (main.clone(), pools.clone());
        tokio::spawn(async move {
            main.close_event().await;
            tokio::join!(closing.exact.close(), closing.contains.close());
        });
        pools
    }
}

/// This machine's cores (a database on the same machine has as many).
pub fn cores() -> u32 {
    std::thread::available_parallelism().map(|n| n.get() as u32).unwrap_or(2)
}

fn pool(main: &PgPool, size: u32, settings: &'static str) -> PgPool {
    PgPoolOptions::new()
        .max_connections(size)
        // Longer than the main pool's 5 s: lookups wait their turn here.
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                conn.execute(settings).await?;
                Ok(())
            })
        })
        .connect_lazy_with((*main.connect_options()).clone())
}
