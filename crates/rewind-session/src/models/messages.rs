//! What the page asks of the read models over its log ([`ModelRequest`], with the
//! [`ModelsView`] it asks for every frame) and what it is sent back ([`ModelReply`],
//! [`ModelsFrame`]), already rendered as text like the log's own [`Frame`](crate::Frame).

use serde::{Deserialize, Serialize};

use crate::messages::{ChangeRow, History};
use crate::tree::TreeRow;

/// A read model's id, given by the page (it stays the model's id when the page starts
/// the model's worker again).
pub type ModelId = u32;

/// Why a read model's file cannot be used, and where in it (line and column from 1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelProblem {
    /// Line in the file, when the problem has a place.
    pub line: Option<usize>,
    /// Column in the file, when the problem has a place.
    pub column: Option<usize>,
    /// What is wrong, in words.
    pub message: String,
}

impl std::fmt::Display for ModelProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "Line {l}, column {c}: {}", self.message),
            (Some(l), None) => write!(f, "Line {l}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// How far one read model is folded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelProgress {
    /// The model.
    pub id: ModelId,
    /// Events folded so far.
    pub folded: usize,
    /// Events in the log.
    pub total: usize,
}

impl ModelProgress {
    /// Every event is folded.
    pub fn done(&self) -> bool {
        self.folded >= self.total
    }
}

/// What the page shows of one read model.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelView {
    /// The model.
    pub id: ModelId,
    /// Expanded nodes of its state tree, by pointer.
    pub expanded: Vec<String>,
    /// Children listed under nodes where more than the default were asked for.
    pub shown: Vec<(String, usize)>,
    /// The selected field, whose history is listed.
    pub selected: Option<String>,
}

/// What the page shows of every read model, as it asks for it every frame.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelsView {
    /// The timeline's position (-1: before the first event).
    pub position: isize,
    /// The models shown, in the page's order.
    pub models: Vec<ModelView>,
    /// The what-if edits to fold the models with.
    pub edits: crate::edits::EditList,
    /// Show what the edits changed in each model's state at this position.
    pub compare_original: bool,
    /// Where events name their causation (for edits that skip an event's effects).
    pub flow_keys: rewind_core::FlowKeys,
}

/// What the current event did in one read model.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelStep {
    /// The event's position (0-based).
    pub position: usize,
    /// The key of the handler that takes it (`None`: no handler, the model ignores it).
    pub handler: Option<String>,
    /// The partition it went to, in a partitioned model.
    pub partition: Option<String>,
    /// What it changed in the model's state, at most [`CHANGES_SHOWN`](crate::CHANGES_SHOWN).
    pub changes: Vec<ChangeRow>,
    /// How many changes there are in all.
    pub changes_total: usize,
    /// jq's error: the event failed for this model and changed nothing.
    pub error: Option<String>,
    /// The handler gave no output: the state is unchanged.
    pub no_output: bool,
    /// What `debug` and `stderr` printed.
    pub messages: Vec<String>,
}

/// One read model's panel at one position.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelPanel {
    /// The model.
    pub id: ModelId,
    /// Its name, as its file gives it.
    pub name: String,
    /// Events folded so far.
    pub folded: usize,
    /// Events in the log.
    pub total: usize,
    /// Events a handler ran for, so far.
    pub handled: usize,
    /// Events that failed for this model, so far.
    pub failed: usize,
    /// The position shown: the timeline's, or the last event folded so far when the
    /// timeline is beyond it.
    pub position: isize,
    /// Visible rows of its state tree.
    pub tree: Vec<TreeRow>,
    /// The selected field exists at this position.
    pub selected_exists: bool,
    /// The current event in this model (`None` before the first event, or when the
    /// timeline is beyond what is folded).
    pub step: Option<ModelStep>,
    /// The selected field's history, when it differs from the last one sent.
    pub history: Option<History>,
    /// The failed events per slice of the density strip (the same slices as the log's
    /// [`Bucket`](crate::Bucket)s), when they differ from those last sent.
    pub failures: Option<Vec<u32>>,
    /// What the what-if edits changed in its state here, when comparing with the original.
    pub compare: Option<crate::messages::Comparison>,
}

/// Every read model's panel at one position.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelsFrame {
    /// The timeline's position, as asked (clamped to the log).
    pub position: isize,
    /// The panels, in the order asked (models not applied are left out).
    pub models: Vec<ModelPanel>,
}

/// What the page can ask of the read models.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ModelRequest {
    /// Read and compile a model's file, and start folding it (replacing the model of
    /// that id, if any).
    Apply {
        /// The id the page gives it.
        id: ModelId,
        /// The model's file (JSON with jq handlers).
        source: String,
    },
    /// Forget a model.
    Remove(ModelId),
    /// Every model's panel.
    Frame(ModelsView),
    /// A model's state as pretty JSON, for a download.
    Export {
        /// The model.
        id: ModelId,
        /// Position (clamped to what is folded).
        position: isize,
    },
    /// Pointers of the nodes of a model's state whose key or value holds the text.
    Search {
        /// The model.
        id: ModelId,
        /// Position searched.
        position: isize,
        /// Text looked for.
        query: String,
    },
    /// A value of a model's state as pretty JSON (copy).
    ValueJson {
        /// The model.
        id: ModelId,
        /// Position.
        position: isize,
        /// Pointer.
        pointer: String,
    },
}

/// The answer to a [`ModelRequest`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ModelReply {
    /// The model was read and folding began.
    Applied {
        /// Its id.
        id: ModelId,
        /// Its name.
        name: String,
    },
    /// The model's file cannot be used.
    Invalid {
        /// The id it was given.
        id: ModelId,
        /// Why, and where.
        problem: ModelProblem,
    },
    /// The model is gone (or was not there).
    Removed(ModelId),
    /// For [`ModelRequest::Frame`].
    Frame(Box<ModelsFrame>),
    /// For [`ModelRequest::Search`].
    Pointers(Vec<String>),
    /// JSON text (`None`: nothing at that pointer).
    Text(Option<String>),
    /// The request could not be answered.
    Error(String),
}
