//! Skipping the long plain stretches of a text (a padded statement's comment, a long literal)
//! in blocks instead of byte by byte.

/// Bytes a block holds.
const BLOCK: usize = 32;

/// Where the first block from `i` that may hold a byte `special` accepts starts: `i` moved on
/// by whole blocks of `BLOCK` bytes none of which is special, stopping before a block that
/// holds one or is cut short by the end. The caller reads byte by byte from there; every
/// special byte is at or after the returned index.
///
/// Each block is tested with a fold that does not stop early, which the compiler turns into a
/// few vector instructions a block for a predicate made of comparisons; a byte-by-byte loop
/// with its match costs several instructions a byte.
#[inline]
pub(crate) fn skip_plain(b: &[u8], mut i: usize, special: impl Fn(u8) -> bool) -> usize {
    while let Some(block) = b.get(i..i.saturating_add(BLOCK)) {
        if block.iter().fold(false, |any, &c| any | special(c)) {
            break;
        }
        i += BLOCK;
    }
    i
}

/// Whether every byte of `b` is one `plain` accepts, a block at a time (no early exit
/// inside a block, so it vectorises).
#[inline]
pub(crate) fn all_plain(b: &[u8], plain: impl Fn(u8) -> bool) -> bool {
    b.chunks(BLOCK)
        .all(|block| block.iter().fold(true, |ok, &c| ok & plain(c)))
}

/// The bytes of `b` that `special` accepts, with their indices, in order: whole blocks
/// without one are skipped by [`skip_plain`], and a block that holds one is read byte by byte
/// to its end before the next block is tested (testing a block again after every special
/// byte would cost a block's fold a byte where they are dense).
pub(crate) struct Specials<'a, F> {
    b: &'a [u8],
    special: F,
    at: usize,
    block_end: usize,
}

impl<'a, F: Fn(u8) -> bool> Specials<'a, F> {
    pub(crate) fn new(b: &'a [u8], special: F) -> Self {
        Specials {
            b,
            special,
            at: 0,
            block_end: 0,
        }
    }
}

impl<F: Fn(u8) -> bool> Iterator for Specials<'_, F> {
    type Item = (usize, u8);

    #[inline]
    fn next(&mut self) -> Option<(usize, u8)> {
        loop {
            if self.at >= self.block_end {
                self.at = skip_plain(self.b, self.at, &self.special);
                self.block_end = self.at.saturating_add(BLOCK).min(self.b.len());
            }
            let k = self.at;
            let c = *self.b.get(k)?;
            self.at += 1;
            if (self.special)(c) {
                return Some((k, c));
            }
        }
    }
}

/// Where the two bytes `pair` first stand next to each other in `b`.
#[inline]
pub(crate) fn find_pair(b: &[u8], pair: [u8; 2]) -> Option<usize> {
    let [first, second] = pair;
    Specials::new(b, |c| c == first)
        .map(|(k, _)| k)
        .find(|&k| b.get(k + 1) == Some(&second))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn special(c: u8) -> bool {
        matches!(c, b'#' | b'(')
    }

    /// The first special byte at or after `i`, the plain way.
    fn first_special(b: &[u8], i: usize) -> usize {
        b.iter()
            .skip(i)
            .position(|&c| special(c))
            .map_or(b.len(), |k| k + i)
    }

    #[test]
    fn never_skips_a_special_byte() {
        // Every position of one special byte in texts around a few block lengths, from every
        // start: the skip stops at or before it, and a block-aligned start never passes it.
        for len in [0, 1, 31, 32, 33, 63, 64, 65, 100] {
            for at in 0..len {
                let mut b = vec![b'x'; len];
                if let Some(c) = b.get_mut(at) {
                    *c = b'#';
                }
                for from in 0..=len {
                    let k = skip_plain(&b, from, special);
                    assert!(k >= from, "moved back: {len} {at} {from}");
                    assert!(
                        k <= first_special(&b, from),
                        "skipped the special byte: len {len}, at {at}, from {from} -> {k}"
                    );
                }
            }
        }
    }

    #[test]
    fn skips_whole_plain_blocks_and_stops_before_a_short_one() {
        let b = vec![b'x'; 100];
        // 100 = 3 * 32 + 4: three blocks skipped, the last 4 bytes left to the caller.
        assert_eq!(skip_plain(&b, 0, special), 96);
        assert_eq!(skip_plain(&b, 5, special), 69);
        let mut c = vec![b'x'; 100];
        if let Some(x) = c.get_mut(40) {
            *x = b'(';
        }
        assert_eq!(skip_plain(&c, 0, special), 32);
        // From past it: one whole block (41..73), then too few bytes for another.
        assert_eq!(skip_plain(&c, 41, special), 73);
    }

    #[test]
    fn find_pair_is_the_first_occurrence() {
        let texts: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"*".to_vec(),
            b"*/".to_vec(),
            b"**/".to_vec(),
            b"/*/".to_vec(),
            [
                vec![b'x'; 40],
                b"*/".to_vec(),
                vec![b'x'; 40],
                b"*/".to_vec(),
            ]
            .concat(),
            [vec![b'*'; 70], b"/".to_vec()].concat(),
            [vec![b'*'; 31], b"/".to_vec(), vec![b'x'; 33]].concat(),
            [vec![b'x'; 32], b"*".to_vec(), vec![b'/'; 3]].concat(),
            vec![b'*'; 100],
        ];
        for t in texts {
            let plain = t.windows(2).position(|w| w == b"*/");
            assert_eq!(
                find_pair(&t, *b"*/"),
                plain,
                "{:?}",
                String::from_utf8_lossy(&t)
            );
        }
    }

    #[test]
    fn specials_are_every_special_byte_in_order() {
        for len in [0, 1, 31, 32, 33, 64, 65, 100, 200] {
            for every in [1, 2, 7, 31, 32, 33, 1000] {
                for offset in [0, 5, 31] {
                    let b: Vec<u8> = (0..len)
                        .map(|k| {
                            if k % every == offset % every {
                                b'#'
                            } else {
                                b'x'
                            }
                        })
                        .collect();
                    let plain: Vec<(usize, u8)> = b
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| special(**c))
                        .map(|(k, c)| (k, *c))
                        .collect();
                    assert_eq!(
                        Specials::new(&b, special).collect::<Vec<_>>(),
                        plain,
                        "len {len}, every {every}, offset {offset}"
                    );
                }
            }
        }
    }

    #[test]
    fn all_plain_is_all() {
        let plain = |c: u8| c.is_ascii_lowercase();
        for len in [0, 1, 31, 32, 33, 64, 70] {
            for at in 0..len {
                let mut b = vec![b'a'; len];
                assert!(all_plain(&b, plain));
                if let Some(c) = b.get_mut(at) {
                    *c = b'A';
                }
                assert!(!all_plain(&b, plain), "missed byte {at} of {len}");
            }
        }
    }
}
