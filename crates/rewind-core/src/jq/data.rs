//! What a run carries besides values: the program's look-up table and the buffer that
//! `debug` and `stderr` write to (per run, so nothing is printed and nothing is shared
//! between threads or runs).

use std::cell::RefCell;

use jaq_core::data::HasLut;
use jaq_core::DataT;

use super::value::JqValue;

/// jaq's data kind of read-model programs: values are [`JqValue`], global data is
/// [`RunData`].
pub(crate) struct Data;

impl DataT for Data {
    type V<'a> = JqValue;
    type Data<'a> = RunData<'a>;
}

/// A compiled program's look-up table.
pub(crate) type Lut = jaq_core::Lut<Data>;
/// A compiled program.
pub(crate) type Filter = jaq_core::Filter<Data>;
/// A native filter over [`Data`].
pub(crate) type Fun = jaq_core::native::Fun<Data>;

/// The global data of one run.
#[derive(Clone)]
pub(crate) struct RunData<'a> {
    /// The program's look-up table.
    pub(crate) lut: &'a Lut,
    /// What `debug` and `stderr` printed, as compact JSON.
    pub(crate) messages: &'a RefCell<Vec<String>>,
}

impl<'a> HasLut<'a, Data> for RunData<'a> {
    fn lut(&self) -> &'a Lut {
        self.lut
    }
}

impl RunData<'_> {
    /// Records a message of `debug` or `stderr`.
    pub(crate) fn log(&self, v: &JqValue) {
        self.messages.borrow_mut().push(v.to_string());
    }
}
