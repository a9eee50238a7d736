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

    pub(crate) fn clear(&mut self) {
        self.items.clear();
    }
}

/// At most one deadline per timer, as quinn-proto's `TimerTable`: a timer (its kind and
/// the leg or request it is for) is set, set again (which moves it) or stopped, so the
/// earliest deadline is always one at which something happens. Equal deadlines come out
/// in the order they were set.
#[derive(Debug, Clone)]
pub(crate) struct TimerTable<T> {
    /// (deadline, order set, timer), sorted.
    armed: Vec<(u64, u64, T)>,
    seq: u64,
}

impl<T: PartialEq> TimerTable<T> {
    pub(crate) fn new() -> Self {
        TimerTable { armed: Vec::new(), seq: 0 }
    }

    /// Arms `timer` for `at`, replacing its earlier deadline if it had one.
    pub(crate) fn set(&mut self, timer: T, at: u64) {
        self.stop(&timer);
        self.seq += 1;
        let key = (at, self.seq);
        let i = self.armed.partition_point(|(t, s, _)| (*t, *s) < key);
        self.armed.insert(i, (at, self.seq, timer));
    }

    /// Disarms `timer`; nothing happens if it was not armed.
    pub(crate) fn stop(&mut self, timer: &T) {
        self.armed.retain(|(_, _, t)| t != timer);
    }

    /// The earliest deadline.
    pub(crate) fn next_time(&self) -> Option<u64> {
        self.armed.first().map(|(t, _, _)| *t)
    }

    /// The first timer due at or before `now`, disarmed.
    pub(crate) fn pop_due(&mut self, now: u64) -> Option<T> {
        if self.next_time()? > now {
            return None;
        }
        Some(self.armed.remove(0).2)
    }

    /// Disarms every timer.
    pub(crate) fn clear(&mut self) {
        self.armed.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::TimerTable;

    #[test]
    fn a_timer_set_again_moves_and_a_stopped_one_never_fires() {
        let mut t = TimerTable::new();
        t.set("dial", 35_000);
        t.set("say", 1_000);
        t.set("bye", 1_000);
        assert_eq!(t.next_time(), Some(1_000));
        t.set("say", 2_000);
        assert_eq!((t.pop_due(1_500), t.pop_due(1_500)), (Some("bye"), None), "say moved to 2 s");
        t.stop(&"dial");
        t.stop(&"nothing");
        assert_eq!((t.next_time(), t.pop_due(99_000), t.pop_due(99_000)), (Some(2_000), Some("say"), None));
        t.set("a", 5);
        t.set("b", 5);
        t.set("c", 4);
        assert_eq!(
            [t.pop_due(5), t.pop_due(5), t.pop_due(5)],
            [Some("c"), Some("a"), Some("b")],
            "equal deadlines in the order set"
        );
        t.set("x", 1);
        t.clear();
        assert_eq!(t.next_time(), None);
    }
}
