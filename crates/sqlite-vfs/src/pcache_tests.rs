use super::Bounds;

/// A B-tree split's renames: a page goes to the lock-byte page's number and back.
const LOCK_BYTE_PAGE: u32 = 262_145;

/// A cache that held pages 1 to `last`, after its commit's truncation.
fn committed(last: u32) -> Bounds {
    let mut b = Bounds::new();
    for key in 1..=last {
        b.holds(key);
    }
    assert!(!b.truncate(last + 1));
    b
}

#[test]
fn a_truncation_past_every_page_held_is_skipped() {
    let mut b = committed(100);
    // Pages created by the next transaction, then its commit's truncation.
    b.holds(101);
    b.holds(102);
    assert!(!b.truncate(103));
}

#[test]
fn a_truncation_below_a_page_held_is_forwarded() {
    let mut b = committed(100);
    // A rolled-back transaction created pages 101 and 102.
    b.holds(101);
    b.holds(102);
    assert!(b.truncate(101));
    assert!(!b.truncate(101));
}

#[test]
fn a_truncation_at_or_below_the_floor_is_forwarded() {
    let mut b = Bounds::new();
    b.holds(50);
    assert!(!b.truncate(101));
    // Pages up to 100 may be cached: a smaller database must drop them.
    assert!(b.truncate(100));
    assert!(b.truncate(40));
    assert!(b.truncate(1));
}

#[test]
fn a_page_renamed_through_a_far_number_and_back_is_not_held_there() {
    let mut b = Bounds::new();
    assert!(!b.truncate(101));
    b.holds(101);
    b.renamed(101, LOCK_BYTE_PAGE);
    b.renamed(60, 101);
    b.renamed(LOCK_BYTE_PAGE, 60);
    assert!(!b.truncate(102));
}

#[test]
fn a_page_left_at_a_far_number_is_dropped_by_the_next_truncation() {
    let mut b = Bounds::new();
    assert!(!b.truncate(101));
    b.renamed(60, LOCK_BYTE_PAGE);
    assert!(b.truncate(101));
    assert!(!b.truncate(101));
}

#[test]
fn a_page_renamed_below_the_floor_is_still_covered() {
    let mut b = Bounds::new();
    assert!(!b.truncate(101));
    b.holds(150);
    b.renamed(150, 90);
    assert!(!b.truncate(101));
    assert!(b.truncate(90));
}

#[test]
fn too_many_pages_held_make_every_truncation_forwarded_until_one_is() {
    let mut b = Bounds::new();
    for key in 1..=(super::MAX_LISTED as u32 + 1) {
        b.holds(key);
    }
    assert!(b.truncate(u32::MAX));
    assert!(!b.truncate(u32::MAX));
}

#[test]
fn a_new_cache_holds_nothing() {
    let mut b = Bounds::new();
    assert!(!b.truncate(1));
    assert!(!b.truncate(1_000));
}
