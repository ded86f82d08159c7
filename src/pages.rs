//! One file per page; `package/` has one file per tab, each holding the
//! tab's component and the server function that reads its row.

pub mod gallery;
pub mod home;
pub mod not_found;
pub mod package;
pub mod provides;
pub mod search;
