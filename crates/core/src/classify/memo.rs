//! Small per-thread memos of pure functions of a tool's name. A deployment calls a handful of
//! tools, and what their names say (keyword tiers, word splitting, hints) is the same on every
//! call; input text is never a key.

use std::cell::RefCell;
use std::thread::LocalKey;

/// Names kept per memo and thread; past it the oldest goes.
const CAPACITY: usize = 64;
/// Longer names are computed every time, not kept.
const MAX_NAME: usize = 256;

/// The values computed for the names seen last.
pub(crate) struct Memo<T> {
    entries: Vec<(Box<str>, T)>,
}

impl<T> Memo<T> {
    pub(crate) const fn new() -> Self {
        Memo {
            entries: Vec::new(),
        }
    }
}

/// The value for `key`: the memo's copy, or `f()` (then kept). Never panics: a memo that
/// cannot be used (the thread is ending, a nested use) only means `f` runs.
pub(crate) fn get_or<T: Clone + 'static>(
    memo: &'static LocalKey<RefCell<Memo<T>>>,
    key: &str,
    f: impl FnOnce() -> T,
) -> T {
    if key.len() > MAX_NAME {
        return f();
    }
    let hit = memo
        .try_with(|m| {
            let m = m.try_borrow().ok()?;
            m.entries
                .iter()
                .find(|(k, _)| &**k == key)
                .map(|(_, v)| v.clone())
        })
        .ok()
        .flatten();
    if let Some(v) = hit {
        return v;
    }
    let v = f();
    let _ = memo.try_with(|m| {
        if let Ok(mut m) = m.try_borrow_mut() {
            if m.entries.len() >= CAPACITY {
                m.entries.remove(0);
            }
            m.entries.push((key.into(), v.clone()));
        }
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static SQUARES: RefCell<Memo<usize>> = const { RefCell::new(Memo::new()) };
    }

    #[test]
    fn computes_once_per_name_and_stays_bounded() {
        let mut calls = 0;
        assert_eq!(
            get_or(&SQUARES, "abc", || {
                calls += 1;
                9
            }),
            9
        );
        assert_eq!(
            get_or(&SQUARES, "abc", || {
                calls += 1;
                0
            }),
            9
        );
        assert_eq!(calls, 1);
        for i in 0..3 * CAPACITY {
            let k = format!("k{i}");
            assert_eq!(get_or(&SQUARES, &k, || i * i), i * i);
        }
        assert!(SQUARES.with(|m| m.borrow().entries.len()) <= CAPACITY);
        // The first name was dropped: computed again.
        assert_eq!(get_or(&SQUARES, "abc", || 4), 4);
        let long = "x".repeat(MAX_NAME + 1);
        assert_eq!(get_or(&SQUARES, &long, || 1), 1);
        assert_eq!(get_or(&SQUARES, &long, || 2), 2);
    }
}
