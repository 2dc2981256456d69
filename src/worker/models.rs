//! The models worker ([`Role::Models`](crate::protocol::Role::Models)): it holds the log's
//! events and the read models the page applies, folds them a chunk at a time — posting
//! how far they are after each chunk and yielding to its event loop, so that the page's
//! frames are answered meanwhile — and answers the page's questions about them.
//!
//! While folding it says now and then which model is at which event: if a handler never
//! returns, the page hears nothing more, stops this worker and can say where it stuck.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use rewind_session::models::FOLD_CHUNK;
use rewind_session::{ModelId, ModelReply, ModelRequest, Models};
use web_sys::DedicatedWorkerGlobalScope;

use super::post;
use crate::protocol::{FromWorker, ModelAsk};

/// How often, at most, the worker says where it is folding (milliseconds).
const HEARTBEAT_MS: f64 = 200.0;

/// The read models this worker folds, and whether its fold loop runs.
#[derive(Default)]
pub struct Held {
    /// The models, once the log is loaded.
    pub models: RefCell<Option<Models>>,
    /// The fold loop is running.
    folding: Cell<bool>,
}

/// Answers one question about the models; starts folding what is left to fold (a model
/// applied, or what-if edits that a frame brought).
pub fn handle(scope: &DedicatedWorkerGlobalScope, held: &Rc<Held>, ask: ModelAsk) {
    let ModelAsk { id, request } = ask;
    let refold = matches!(request, ModelRequest::Apply { .. } | ModelRequest::Frame(_));
    let reply = match held.models.borrow_mut().as_mut() {
        Some(models) => models.handle(request),
        None => ModelReply::Error("the log is not loaded yet".into()),
    };
    post(scope, FromWorker::ModelReply { id, reply });
    if refold {
        start_folding(scope, held);
    }
}

/// Starts the fold loop, unless it runs already.
pub fn start_folding(scope: &DedicatedWorkerGlobalScope, held: &Rc<Held>) {
    if held.folding.replace(true) {
        return;
    }
    let (scope, held) = (scope.clone(), held.clone());
    wasm_bindgen_futures::spawn_local(async move {
        loop {
            let progress = {
                let mut models = held.models.borrow_mut();
                let Some(models) = models.as_mut().filter(|m| m.folding()) else {
                    break;
                };
                let mut heard = Heartbeat::default();
                models.fold(FOLD_CHUNK, &mut |model, position| {
                    heard.beat(&scope, model, position)
                })
            };
            post(&scope, FromWorker::ModelProgress(progress));
            yield_now(&scope).await;
        }
        held.folding.set(false);
    });
}

/// When the worker last said where it folds, and which model.
#[derive(Default)]
struct Heartbeat {
    last: Option<(ModelId, f64)>,
}

impl Heartbeat {
    /// Says where folding is when the model changed or [`HEARTBEAT_MS`] passed.
    fn beat(&mut self, scope: &DedicatedWorkerGlobalScope, model: ModelId, position: usize) {
        let now = js_sys::Date::now();
        let due = match self.last {
            Some((m, at)) => m != model || now - at >= HEARTBEAT_MS,
            None => true,
        };
        if due {
            self.last = Some((model, now));
            post(
                scope,
                FromWorker::ModelFolding {
                    model,
                    position: position as u64,
                },
            );
        }
    }
}

/// Lets the worker's event loop run (the page's questions are answered) before the next
/// chunk.
async fn yield_now(scope: &DedicatedWorkerGlobalScope) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = scope.set_timeout_with_callback(&resolve);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Keeps the log's events for the models (the log's own fold is dropped).
pub fn loaded(held: &Held, log: std::sync::Arc<rewind_core::Log>) {
    *held.models.borrow_mut() = Some(Models::new(log));
}
