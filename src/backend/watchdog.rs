//! Telling a read model's handler that never returns, with no I/O: the models worker says
//! now and then where it folds; while it folds, silence longer than [`STOP_AFTER_MS`]
//! means a handler is stuck, and the page stops that worker (the page itself is never
//! blocked: the worker is another thread).

use rewind_session::{ModelId, ModelProgress};

/// Silence while folding after which the models worker is stopped.
pub const STOP_AFTER_MS: f64 = 5000.0;

/// What the page knows of the models worker's folding.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Watchdog {
    /// It is folding (a model was applied and not every model is folded).
    folding: bool,
    /// When it last said anything (milliseconds).
    last_heard: f64,
    /// The model and position it last said it folds.
    near: Option<(ModelId, u64)>,
}

/// A model whose handler ran too long, and near which position (0-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stuck {
    /// The model.
    pub model: ModelId,
    /// The position it was folding near.
    pub near: u64,
}

impl Watchdog {
    /// The worker said something at `now`.
    pub fn heard(&mut self, now: f64) {
        self.last_heard = now;
    }

    /// A model was applied at `now`: the worker folds it.
    pub fn applied(&mut self, now: f64) {
        self.folding = true;
        self.last_heard = now;
    }

    /// The worker folds `model` near `position`.
    pub fn folding_at(&mut self, now: f64, model: ModelId, position: u64) {
        self.near = Some((model, position));
        self.last_heard = now;
    }

    /// The worker finished a chunk: how far each model is.
    pub fn progress(&mut self, now: f64, progress: &[ModelProgress]) {
        self.folding = progress.iter().any(|p| !p.done());
        self.last_heard = now;
    }

    /// A fresh worker (or none): nothing is folding yet.
    pub fn reset(&mut self) {
        *self = Watchdog::default();
    }

    /// The model stuck in a handler at `now`, if the worker folds and has said nothing
    /// for longer than [`STOP_AFTER_MS`].
    pub fn check(&self, now: f64) -> Option<Stuck> {
        if !self.folding || now - self.last_heard <= STOP_AFTER_MS {
            return None;
        }
        let (model, near) = self.near?;
        Some(Stuck { model, near })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progress(folded: usize) -> [ModelProgress; 1] {
        [ModelProgress {
            id: 3,
            folded,
            total: 100,
        }]
    }

    #[test]
    fn silence_while_folding_names_the_model_and_its_position() {
        let mut w = Watchdog::default();
        assert_eq!(w.check(1e9), None, "nothing applied");
        w.applied(1000.0);
        w.folding_at(1100.0, 3, 40);
        assert_eq!(w.check(6000.0), None, "4.9 s of silence");
        assert_eq!(w.check(6101.0), Some(Stuck { model: 3, near: 40 }));
        w.progress(6200.0, &progress(50));
        assert_eq!(w.check(9000.0), None);
    }

    #[test]
    fn a_worker_done_folding_may_be_silent() {
        let mut w = Watchdog::default();
        w.applied(0.0);
        w.folding_at(10.0, 3, 0);
        w.progress(20.0, &progress(100));
        assert_eq!(w.check(60_000.0), None);
        w.reset();
        assert_eq!(w.check(60_000.0), None);
    }
}
