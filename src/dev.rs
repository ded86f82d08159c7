//! What runs for development, tests, benchmarks and the offline demo, never
//! in production: the recorded-upstream server (`upstream-replay`) and the
//! benchmarks' yardstick (`bare-serve`).

pub mod bare;
pub mod replay;
