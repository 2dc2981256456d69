//! One component per file.

pub mod alert;
pub mod open_controls;
pub mod state_view;
pub mod timeline;
