//! The page's components; each file holds one component and the parts it is drawn from.

pub mod alert;
pub mod density;
pub mod diff_view;
pub mod draft;
pub mod drop_zone;
pub mod event_detail;
pub mod event_list;
pub mod fields_dialog;
pub mod flow_tree;
pub mod history_view;
pub mod json_text;
pub mod log_bar;
pub mod log_view;
pub mod open_controls;
pub mod progress;
pub mod read_models;
pub mod settled;
pub mod soon;
pub mod state_tree;
pub mod timeline;
pub mod welcome;
pub mod whatif;
