//! # rewind-session
//!
//! A loaded log as Rewind's page sees it: the page asks for a [`View`] (a position, the
//! expanded nodes, a filter, the rows of the event list in view) and gets back a
//! [`Frame`] holding only what is on screen, already rendered as text. The browser keeps
//! the [`Session`] in a Web Worker; natively it is an ordinary struct, tested like the
//! rest. It has no web dependency: [`rewind_core`] loads and folds the log, this crate
//! decides what of it the page shows, within which limits and in which words.
//!
//! * [`session`]: the [`Session`], answering [`Request`]s;
//! * [`messages`]: what the page sends and receives, and how much of each is sent;
//! * [`tree`]: the visible rows of a state tree; [`density`](mod@density): the strip above the
//!   timeline; [`search`]: finding keys and values in a state;
//! * [`models`]: the read models over the log ([`Models`]), folded a chunk at a time, and
//!   their panels;
//! * [`edits`]: the what-if edits the page holds, and what it is told of them;
//! * [`flows`]: an event's cause, effects and flow, and the flow's tree;
//! * [`filter`]: the event list's filter; [`field_choice`]: the keys offered in the
//!   Fields dialog.

pub mod density;
pub mod edits;
pub mod field_choice;
pub mod filter;
pub mod flows;
pub mod messages;
pub mod models;
pub mod search;
pub mod session;
pub mod tree;

pub use density::{density, Bucket};
pub use edits::{EditEntry, EditList, EditsInfo};
pub use field_choice::{FieldChoices, FieldNames};
pub use filter::EventFilter;
pub use flows::{FlowLink, FlowTreeRow, FlowView};
pub use messages::*;
pub use models::{
    ModelId, ModelPanel, ModelProblem, ModelProgress, ModelReply, ModelRequest, ModelStep,
    ModelView, Models, ModelsFrame, ModelsView,
};
pub use session::Session;
pub use tree::{Shown, TreeRow, CHILDREN_SHOWN};
