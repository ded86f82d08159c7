//! What runs for development, tests and the offline demo, never in
//! production: the recorded-upstream server (`upstream-replay`).

pub mod replay;
