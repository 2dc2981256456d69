//! What-if on the page: the edits the person made (sent with every view to both workers),
//! comparing with the original, the Edit event dialog, and what the worker last said of
//! the edits. Changed only through [`WhatIfAction`]s; no I/O happens here.

use std::rc::Rc;

use rewind_session::{EditList, EditsInfo};

/// The page's what-if edits.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WhatIf {
    /// The edits, as made.
    pub edits: EditList,
    /// Show what the edits changed at the current position, in State and the models.
    pub compare: bool,
    /// The event whose Edit event dialog is open.
    pub editing: Option<u32>,
    /// What the worker last said of these edits (`None` until it has).
    pub info: Option<Rc<EditsInfo>>,
}

/// What can happen to the what-if edits.
#[derive(Clone, Debug, PartialEq)]
pub enum WhatIfAction {
    /// **Skip this event**, pressed on the event at this position.
    ToggleSkip(u32),
    /// **Skip with its effects**, pressed on the event at this position.
    ToggleSkipCaused(u32),
    /// Open the Edit event dialog for the event at this position.
    Edit(u32),
    /// The dialog's text replaces the event (the worker found nothing wrong with it).
    Replace(u32, String),
    /// **Restore event**: the event gets its own type and data back.
    Unreplace(u32),
    /// Close the Edit event dialog.
    CloseEditor,
    /// **Compare with original** on or off.
    Compare(bool),
    /// **Reset what-if**: no edits.
    Reset,
    /// The worker's word on the edits.
    Info(EditsInfo),
}

impl WhatIf {
    /// True while any edit exists.
    pub fn active(&self) -> bool {
        !self.edits.is_empty()
    }

    /// What the worker said of the edits on screen, once it said it.
    pub fn current_info(&self) -> Option<&EditsInfo> {
        self.info.as_deref().filter(|i| i.list == self.edits)
    }

    /// Applies `action`; false when nothing changed.
    pub fn apply(&mut self, action: WhatIfAction) -> bool {
        match action {
            WhatIfAction::ToggleSkip(p) => self.edits.toggle_skip(p),
            WhatIfAction::ToggleSkipCaused(p) => self.edits.toggle_skip_caused(p),
            WhatIfAction::Edit(p) => self.editing = Some(p),
            WhatIfAction::Replace(p, text) => {
                self.edits.replace(p, text);
                self.editing = None;
            }
            WhatIfAction::Unreplace(p) => {
                self.edits.unreplace(p);
                self.editing = None;
            }
            WhatIfAction::CloseEditor => self.editing = None,
            WhatIfAction::Compare(on) => self.compare = on,
            WhatIfAction::Reset => {
                self.edits = EditList::default();
                self.compare = false;
                self.editing = None;
            }
            WhatIfAction::Info(info) => {
                if self.info.as_deref() == Some(&info) {
                    return false;
                }
                self.info = Some(Rc::new(info));
            }
        }
        true
    }

    /// The edits of a log just opened: none (positions are another log's).
    pub fn forget(&mut self) {
        *self = WhatIf::default();
    }
}
