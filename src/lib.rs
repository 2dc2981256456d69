//! Rewind's web UI: a thin Yew layer over `rewind-core`. It holds no domain logic: it asks
//! the core for states, tree rows, diffs, history and filtered events, and keeps only what
//! the page shows (which log, which position, what is expanded and selected).

pub mod app;
pub mod backend;
pub mod components;
pub mod download;
pub mod loader;
pub mod protocol;
pub mod state;
pub mod time_control;
pub mod url;
pub mod worker;
