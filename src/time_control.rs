//! The timeline position, changed only through [`TimeCommand`]s.
//!
//! Positions are 0-based with -1 meaning "before the first event"; the page shows them
//! counted from 1 (`Event 0 of N` before the first event).

/// One way to move through time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeCommand {
    /// Go to exactly this position, clamped to the log (slider drags, URL, typed input).
    SetPosition(isize),
    /// Move by this many events, clamped (←/→, Shift, PgUp/PgDn).
    Step(isize),
    /// Before the first event.
    Start,
    /// The last event.
    End,
}

/// Where the timeline is, in a log of `len` events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeControl {
    position: isize,
    len: usize,
}

/// Whether a command moved the position.
#[must_use]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moved(pub bool);

impl TimeControl {
    /// A log of `len` events, opened at its first event (not at the end: a log is read from
    /// its start).
    pub fn opened(len: usize) -> Self {
        TimeControl {
            position: if len == 0 { -1 } else { 0 },
            len,
        }
    }

    /// 0-based position (-1 = before the first event).
    pub fn position(&self) -> isize {
        self.position
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True for a log without events.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The position as displayed: counted from 1, 0 before the first event.
    pub fn display_number(&self) -> usize {
        (self.position + 1) as usize
    }

    /// Applies one command.
    pub fn apply(&mut self, command: TimeCommand) -> Moved {
        let last = self.len as isize - 1;
        let target = match command {
            TimeCommand::SetPosition(p) => p,
            TimeCommand::Step(d) => self.position.saturating_add(d),
            TimeCommand::Start => -1,
            TimeCommand::End => last,
        }
        .clamp(-1, last);
        let moved = target != self.position;
        self.position = target;
        Moved(moved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_opens_at_its_first_event() {
        let t = TimeControl::opened(14);
        assert_eq!(t.position(), 0);
        assert_eq!(t.display_number(), 1);
    }

    #[test]
    fn stepping_past_either_end_stops_at_the_end() {
        let mut t = TimeControl::opened(5);
        assert_eq!(t.apply(TimeCommand::Step(100)), Moved(true));
        assert_eq!(t.position(), 4);
        assert_eq!(t.apply(TimeCommand::Step(1)), Moved(false));
        assert_eq!(t.apply(TimeCommand::Step(-100)), Moved(true));
        assert_eq!(t.position(), -1);
        assert_eq!(t.display_number(), 0);
    }

    #[test]
    fn set_position_is_clamped_and_start_end_jump() {
        let mut t = TimeControl::opened(10);
        let _ = t.apply(TimeCommand::SetPosition(42));
        assert_eq!(t.position(), 9);
        let _ = t.apply(TimeCommand::Start);
        assert_eq!(t.position(), -1);
        let _ = t.apply(TimeCommand::End);
        assert_eq!(t.position(), 9);
    }
}
