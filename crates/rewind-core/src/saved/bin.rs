//! The bytes of a saved index: numbers little-endian, tables as their length then their
//! items, names as their lengths then their text, small parts as JSON.

use std::io::{self, Write};

use crate::value::Str;

/// Writes the parts of a saved index.
pub(crate) struct Out<W: Write> {
    w: W,
}

/// A number written and read as little-endian bytes.
pub(crate) trait Le: Copy {
    const SIZE: usize;
    fn put(self, out: &mut Vec<u8>);
    fn get(bytes: &[u8]) -> Self;
}

macro_rules! le {
    ($($t:ty),*) => {$(
        impl Le for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            fn put(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn get(bytes: &[u8]) -> Self {
                let mut b = [0u8; std::mem::size_of::<$t>()];
                b.copy_from_slice(&bytes[..Self::SIZE]);
                <$t>::from_le_bytes(b)
            }
        }
    )*};
}
le!(u8, u16, u32, u64, i32, i64, f64);

/// Items written to the writer at once.
const CHUNK: usize = 1 << 14;

impl<W: Write> Out<W> {
    pub(crate) fn new(w: W) -> Self {
        Out { w }
    }

    pub(crate) fn into_inner(self) -> W {
        self.w
    }

    pub(crate) fn raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.w.write_all(bytes)
    }

    pub(crate) fn num<T: Le>(&mut self, x: T) -> io::Result<()> {
        let mut b = Vec::with_capacity(T::SIZE);
        x.put(&mut b);
        self.w.write_all(&b)
    }

    /// A table of numbers: its length, then its items.
    pub(crate) fn nums<T: Le>(&mut self, items: &[T]) -> io::Result<()> {
        self.nums_of(items.iter().copied())
    }

    /// A table of numbers given one by one (a table derived from another is not built
    /// before it is written).
    pub(crate) fn nums_of<T: Le>(
        &mut self,
        items: impl ExactSizeIterator<Item = T>,
    ) -> io::Result<()> {
        self.num(items.len() as u64)?;
        let mut buf = Vec::with_capacity(CHUNK * T::SIZE);
        for x in items {
            x.put(&mut buf);
            if buf.len() >= CHUNK * T::SIZE {
                self.w.write_all(&buf)?;
                buf.clear();
            }
        }
        self.w.write_all(&buf)
    }

    /// A table of pairs, as two tables: the first items, then the second.
    pub(crate) fn pairs<A: Le, B: Le>(&mut self, items: &[(A, B)]) -> io::Result<()> {
        self.nums_of(items.iter().map(|p| p.0))?;
        self.nums_of(items.iter().map(|p| p.1))
    }

    /// Names: their lengths, then their text.
    pub(crate) fn names(&mut self, names: &[Str]) -> io::Result<()> {
        let lens: Vec<u32> = names
            .iter()
            .map(|n| u32::try_from(n.len()).unwrap_or(u32::MAX))
            .collect();
        self.nums(&lens)?;
        for chunk in names.chunks(CHUNK) {
            let text: String = chunk.iter().map(|n| n.as_ref()).collect();
            self.w.write_all(text.as_bytes())?;
        }
        Ok(())
    }

    /// A small part, as JSON.
    pub(crate) fn json(&mut self, v: &impl serde::Serialize) -> io::Result<()> {
        let text = serde_json::to_vec(v).map_err(io::Error::other)?;
        self.num(text.len() as u64)?;
        self.w.write_all(&text)
    }
}

/// Reads the parts of a saved index; `None` wherever the bytes are not what was written
/// (a saved index that is cut short or damaged is never trusted).
pub(crate) struct In<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> In<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        In { bytes, at: 0 }
    }

    /// True once every byte was read.
    pub(crate) fn at_end(&self) -> bool {
        self.at == self.bytes.len()
    }

    pub(crate) fn raw(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let b = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(b)
    }

    pub(crate) fn num<T: Le>(&mut self) -> Option<T> {
        self.raw(T::SIZE).map(T::get)
    }

    fn len(&mut self) -> Option<usize> {
        usize::try_from(self.num::<u64>()?).ok()
    }

    pub(crate) fn nums<T: Le>(&mut self) -> Option<Vec<T>> {
        let n = self.len()?;
        let bytes = self.raw(n.checked_mul(T::SIZE)?)?;
        Some(bytes.chunks_exact(T::SIZE).map(T::get).collect())
    }

    pub(crate) fn pairs<A: Le, B: Le>(&mut self) -> Option<Vec<(A, B)>> {
        let n = self.len()?;
        let a = self.raw(n.checked_mul(A::SIZE)?)?;
        if self.len()? != n {
            return None;
        }
        let b = self.raw(n.checked_mul(B::SIZE)?)?;
        let firsts = a.chunks_exact(A::SIZE).map(A::get);
        Some(firsts.zip(b.chunks_exact(B::SIZE).map(B::get)).collect())
    }

    pub(crate) fn names(&mut self) -> Option<Vec<Str>> {
        let lens = self.nums::<u32>()?;
        let total = lens
            .iter()
            .try_fold(0usize, |t, &l| t.checked_add(l as usize))?;
        let text = std::str::from_utf8(self.raw(total)?).ok()?;
        let mut at = 0;
        lens.iter()
            .map(|&l| {
                let name = text.get(at..at + l as usize)?;
                at += l as usize;
                Some(Str::from(name))
            })
            .collect()
    }

    pub(crate) fn json<T: serde::de::DeserializeOwned>(&mut self) -> Option<T> {
        let n = self.len()?;
        serde_json::from_slice(self.raw(n)?).ok()
    }
}
