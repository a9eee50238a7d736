//! Two small containers for the machine's bookkeeping: a map kept as a vector
//! of pairs (a handful of entries; far less code in the WASM module than a
//! B-tree per key type) and a time-ordered queue with first-in-first-out ties.

/// A map over few entries, in insertion order.
#[derive(Debug, Clone)]
pub(crate) struct VecMap<K, V>(Vec<(K, V)>);

impl<K: PartialEq, V> VecMap<K, V> {
    pub(crate) fn new() -> Self {
        VecMap(Vec::new())
    }

    pub(crate) fn get(&self, k: &K) -> Option<&V> {
        self.0.iter().find(|(key, _)| key == k).map(|(_, v)| v)
    }

    pub(crate) fn get_mut(&mut self, k: &K) -> Option<&mut V> {
        self.0.iter_mut().find(|(key, _)| key == k).map(|(_, v)| v)
    }

    /// Inserts or replaces; returns the replaced value.
    pub(crate) fn insert(&mut self, k: K, v: V) -> Option<V> {
        match self.get_mut(&k) {
            Some(slot) => Some(std::mem::replace(slot, v)),
            None => {
                self.0.push((k, v));
                None
            }
        }
    }

    pub(crate) fn remove(&mut self, k: &K) -> Option<V> {
        let i = self.0.iter().position(|(key, _)| key == k)?;
        Some(self.0.remove(i).1)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = (&K, &mut V)> {
        self.0.iter_mut().map(|(k, v)| (&*k, v))
    }
}

/// Items due at a simulated time; equal times come out in the order they went in.
#[derive(Debug, Clone)]
pub(crate) struct TimeQueue<T> {
    items: Vec<(u64, u64, T)>,
    seq: u64,
}

impl<T> TimeQueue<T> {
    pub(crate) fn new() -> Self {
        TimeQueue { items: Vec::new(), seq: 0 }
    }

    pub(crate) fn push(&mut self, at: u64, item: T) {
        self.seq += 1;
        let key = (at, self.seq);
        let i = self.items.partition_point(|(t, s, _)| (*t, *s) < key);
        self.items.insert(i, (at, self.seq, item));
    }

    /// When the first item is due.
    pub(crate) fn next_time(&self) -> Option<u64> {
        self.items.first().map(|(t, _, _)| *t)
    }

    /// The first item, if it is due at or before `now`.
    pub(crate) fn pop_due(&mut self, now: u64) -> Option<(u64, T)> {
        if self.next_time()? > now {
            return None;
        }
        let (t, _, item) = self.items.remove(0);
        Some((t, item))
    }

    /// Drops every item for which `keep` is false.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        self.items.retain(|(_, _, item)| keep(item));
    }

    pub(crate) fn clear(&mut self) {
        self.items.clear();
    }
}
