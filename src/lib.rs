//! Rewind's web UI: a thin Yew layer over `rewind-core`. It holds no domain logic: it asks
//! the core for states and diffs, and keeps only what the page shows (which log, which
//! position, which error).

pub mod app;
pub mod components;
pub mod loader;
pub mod state;
pub mod time_control;
