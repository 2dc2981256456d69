//! The page's read models: which are applied (their files, as the person wrote them),
//! what each panel shows (expanded nodes, selected field, the last panel the worker
//! sent), and the editor. Changed only through [`ModelAction`]s; no I/O happens here.

use std::collections::HashSet;
use std::rc::Rc;

use rewind_session::{
    History, ModelId, ModelPanel, ModelProblem, ModelProgress, ModelView, ModelsFrame, ModelsView,
    Shown, CHILDREN_SHOWN,
};

/// Where a read model is.
#[derive(Clone, Debug, PartialEq)]
pub enum ModelStatus {
    /// Sent to the models worker; no answer yet.
    Applying,
    /// Read and folding (or folded).
    Applied {
        /// Its name, as its file gives it.
        name: String,
    },
    /// Its file cannot be used (one restored from the browser or a link).
    Invalid(ModelProblem),
    /// Its handler ran too long and its worker was stopped: what the panel says.
    Stopped(String),
}

/// One read model on the page.
#[derive(Clone, Debug, PartialEq)]
pub struct PageModel {
    /// Its id (given by the page).
    pub id: ModelId,
    /// Its file, as written.
    pub source: Rc<str>,
    /// Where it is.
    pub status: ModelStatus,
    /// How far it is folded.
    pub progress: Option<ModelProgress>,
    /// Expanded nodes of its state tree.
    pub expanded: Rc<HashSet<String>>,
    /// Children listed under nodes where more were asked for.
    pub shown: Rc<Shown>,
    /// The selected field.
    pub selected: Option<String>,
    /// What the worker last sent for its panel.
    pub panel: Option<Rc<ModelPanel>>,
    /// The selected field's history, as last sent.
    pub history: Option<Rc<History>>,
    /// Failed events per slice of the density strip, as last sent.
    pub failures: Rc<Vec<u32>>,
}

impl PageModel {
    fn new(id: ModelId, source: Rc<str>) -> Self {
        PageModel {
            id,
            source,
            status: ModelStatus::Applying,
            progress: None,
            expanded: Rc::new([String::new()].into_iter().collect()),
            shown: Rc::default(),
            selected: None,
            panel: None,
            history: None,
            failures: Rc::default(),
        }
    }

    /// Its name once known, else a placeholder.
    pub fn name(&self) -> &str {
        match &self.status {
            ModelStatus::Applied { name } => name,
            _ => "read model",
        }
    }

    /// The models worker folds it.
    pub fn wanted(&self) -> bool {
        matches!(
            self.status,
            ModelStatus::Applying | ModelStatus::Applied { .. }
        )
    }

    /// Forgets what was shown of another log.
    fn log_changed(&mut self) {
        self.progress = None;
        self.panel = None;
        self.history = None;
        self.failures = Rc::default();
        if matches!(self.status, ModelStatus::Applied { .. }) {
            self.status = ModelStatus::Applying;
        }
    }
}

/// The editor of a read model, while it is open.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Editor {
    /// The text it opened with (a template chosen replaces it in the text box).
    pub source: String,
    /// Why the last file applied cannot be used.
    pub problem: Option<ModelProblem>,
    /// The model applied from it, waiting for the worker's answer.
    pub pending: Option<ModelId>,
    /// The model it edits, replaced once the new one is read.
    pub replacing: Option<ModelId>,
}

/// The read models and their editor.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ModelsState {
    /// The models, in the order applied.
    pub list: Rc<Vec<PageModel>>,
    /// The id the next model gets.
    next_id: ModelId,
    /// The editor, when open.
    pub editor: Option<Editor>,
    /// Why the read models cannot be folded, when their worker failed.
    pub error: Option<String>,
}

/// What can happen to the read models.
#[derive(Clone, Debug, PartialEq)]
pub enum ModelAction {
    /// Open the editor, with a model's file (`None`: empty), editing model `replacing`.
    OpenEditor {
        /// The text to start from.
        source: String,
        /// The model edited, if any.
        replacing: Option<ModelId>,
    },
    /// Close the editor.
    CloseEditor,
    /// Apply the editor's file.
    Apply(String),
    /// The worker read a model.
    Applied {
        /// The model.
        id: ModelId,
        /// Its name.
        name: String,
    },
    /// The worker could not use a model's file.
    Invalid {
        /// The model.
        id: ModelId,
        /// Why and where.
        problem: ModelProblem,
    },
    /// How far the models are folded.
    Progress(Vec<ModelProgress>),
    /// The panels, from the worker.
    Frame(Rc<ModelsFrame>),
    /// A handler ran too long: the model's worker was stopped near a position.
    Stopped {
        /// The model.
        id: ModelId,
        /// The position (0-based) it was folding near.
        near: Option<u64>,
    },
    /// The models' worker failed.
    Failed(String),
    /// Remove a model.
    Remove(ModelId),
    /// Expand or collapse a node of a model's tree.
    Toggle(ModelId, String),
    /// List more children of a node of a model's tree.
    ShowMore(ModelId, String),
    /// Select a field of a model (its history is listed).
    Select(ModelId, String),
    /// Select a field and expand everything above it.
    Reveal(ModelId, String),
    /// The models remembered by the browser or carried by a link: they replace those
    /// shown (unless they are the same).
    Restore(Vec<String>),
}

/// What the page says when a handler ran too long.
pub fn stopped_message(name: &str, near: Option<u64>) -> String {
    let near = near.map_or_else(String::new, |p| format!(" near event {}", p + 1));
    format!(
        "Stopped: a handler of {name} ran longer than 5 s{near}; the page is fine — fix the handler and apply again."
    )
}

impl ModelsState {
    fn model_mut(&mut self, id: ModelId) -> Option<&mut PageModel> {
        Rc::make_mut(&mut self.list).iter_mut().find(|m| m.id == id)
    }

    fn add(&mut self, source: Rc<str>) -> ModelId {
        let id = self.next_id;
        self.next_id += 1;
        Rc::make_mut(&mut self.list).push(PageModel::new(id, source));
        id
    }

    fn remove(&mut self, id: ModelId) {
        Rc::make_mut(&mut self.list).retain(|m| m.id != id);
    }

    /// The models the worker should fold, with their files.
    pub fn wanted(&self) -> Vec<(ModelId, Rc<str>)> {
        self.list
            .iter()
            .filter(|m| m.wanted())
            .map(|m| (m.id, m.source.clone()))
            .collect()
    }

    /// The files to remember and to share: every model but those that cannot be used.
    pub fn sources(&self) -> Vec<String> {
        self.list
            .iter()
            .filter(|m| m.wanted())
            .map(|m| m.source.to_string())
            .collect()
    }

    /// What to ask the worker for, at `position`.
    pub fn view(&self, position: isize) -> Option<ModelsView> {
        let models: Vec<ModelView> = self
            .list
            .iter()
            .filter(|m| m.wanted())
            .map(|m| ModelView {
                id: m.id,
                expanded: m.expanded.iter().cloned().collect(),
                shown: m.shown.iter().map(|(k, v)| (k.clone(), *v)).collect(),
                selected: m.selected.clone(),
            })
            .collect();
        (!models.is_empty()).then_some(ModelsView {
            position,
            models,
            ..ModelsView::default()
        })
    }

    /// Another log is open: the models are folded again over it.
    pub fn log_changed(&mut self) {
        for m in Rc::make_mut(&mut self.list).iter_mut() {
            m.log_changed();
        }
        self.error = None;
    }

    fn frame(&mut self, frame: &ModelsFrame) {
        for panel in &frame.models {
            let Some(m) = self.model_mut(panel.id) else {
                continue;
            };
            if let Some(f) = &panel.failures {
                m.failures = Rc::new(f.clone());
            }
            if let Some(h) = &panel.history {
                m.history = Some(Rc::new(h.clone()));
            }
            m.progress = Some(ModelProgress {
                id: panel.id,
                folded: panel.folded,
                total: panel.total,
            });
            let mut shown = panel.clone();
            shown.history = None;
            shown.failures = None;
            m.panel = Some(Rc::new(shown));
        }
    }

    /// Applies `action`; false when nothing changed.
    pub fn apply(&mut self, action: ModelAction) -> bool {
        match action {
            ModelAction::OpenEditor { source, replacing } => {
                self.editor = Some(Editor {
                    source,
                    replacing,
                    ..Editor::default()
                })
            }
            ModelAction::CloseEditor => {
                if let Some(pending) = self.editor.take().and_then(|e| e.pending) {
                    self.remove(pending);
                }
            }
            ModelAction::Apply(source) => {
                let id = self.add(source.into());
                let editor = self.editor.get_or_insert_with(Editor::default);
                editor.pending = Some(id);
                editor.problem = None;
            }
            ModelAction::Applied { id, name } => {
                if let Some(m) = self.model_mut(id) {
                    m.status = ModelStatus::Applied { name };
                }
                if let Some(editor) = self.editor.take_if(|e| e.pending == Some(id)) {
                    if let Some(old) = editor.replacing {
                        self.remove(old);
                    }
                }
            }
            ModelAction::Invalid { id, problem } => {
                match self.editor.as_mut().filter(|e| e.pending == Some(id)) {
                    Some(editor) => {
                        editor.pending = None;
                        editor.problem = Some(problem);
                        self.remove(id);
                    }
                    None => {
                        if let Some(m) = self.model_mut(id) {
                            m.status = ModelStatus::Invalid(problem);
                        }
                    }
                }
            }
            ModelAction::Progress(progress) => {
                for p in progress {
                    if let Some(m) = self.model_mut(p.id) {
                        m.progress = Some(p);
                    }
                }
            }
            ModelAction::Frame(frame) => self.frame(&frame),
            ModelAction::Stopped { id, near } => {
                if let Some(m) = self.model_mut(id) {
                    m.status = ModelStatus::Stopped(stopped_message(m.name(), near));
                    m.panel = None;
                }
            }
            ModelAction::Failed(message) => self.error = Some(message),
            ModelAction::Remove(id) => self.remove(id),
            ModelAction::Toggle(id, pointer) => {
                let Some(m) = self.model_mut(id) else {
                    return false;
                };
                let expanded = Rc::make_mut(&mut m.expanded);
                if !expanded.remove(&pointer) {
                    expanded.insert(pointer);
                }
            }
            ModelAction::ShowMore(id, pointer) => {
                let Some(m) = self.model_mut(id) else {
                    return false;
                };
                let shown = Rc::make_mut(&mut m.shown);
                let now = shown.get(&pointer).copied().unwrap_or(CHILDREN_SHOWN);
                shown.insert(pointer, now + CHILDREN_SHOWN);
            }
            ModelAction::Select(id, pointer) => {
                let Some(m) = self.model_mut(id) else {
                    return false;
                };
                m.selected = Some(pointer);
            }
            ModelAction::Reveal(id, pointer) => {
                let Some(m) = self.model_mut(id) else {
                    return false;
                };
                Rc::make_mut(&mut m.expanded).extend(super::ancestors(&pointer));
                m.selected = Some(pointer);
            }
            ModelAction::Restore(sources) => {
                if sources == self.sources() {
                    return false;
                }
                Rc::make_mut(&mut self.list).clear();
                for source in sources {
                    self.add(source.into());
                }
            }
        }
        true
    }
}
