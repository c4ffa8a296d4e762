//! The installed page cache's methods driven directly, as SQLite calls them: a page renamed
//! past the database's end (no SQLite statement leaves one there today) must be dropped by the
//! next truncation, which must therefore be forwarded. A process of its own: the methods are
//! read back before SQLite initialises.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests

use rusqlite::ffi;

#[test]
fn a_page_renamed_past_the_end_is_dropped_by_the_next_truncation() {
    assert!(airlock_sqlite_vfs::install_page_cache());
    let mut methods = std::mem::MaybeUninit::<ffi::sqlite3_pcache_methods2>::zeroed();
    // SAFETY: GETPCACHE2 fills the struct it is given; nothing else in this process uses
    // SQLite yet.
    unsafe {
        assert_eq!(
            ffi::sqlite3_config(ffi::SQLITE_CONFIG_GETPCACHE2, methods.as_mut_ptr()),
            ffi::SQLITE_OK
        );
        assert_eq!(ffi::sqlite3_initialize(), ffi::SQLITE_OK);
    }
    // SAFETY: filled above.
    let m = unsafe { methods.assume_init() };
    let (create, cachesize, fetch, unpin, rekey, truncate, pagecount, destroy) = (
        m.xCreate.unwrap(),
        m.xCachesize.unwrap(),
        m.xFetch.unwrap(),
        m.xUnpin.unwrap(),
        m.xRekey.unwrap(),
        m.xTruncate.unwrap(),
        m.xPagecount.unwrap(),
        m.xDestroy.unwrap(),
    );
    let skipped_before = airlock_sqlite_vfs::truncations().1;
    // SAFETY: the methods are called on the one cache they created, in SQLite's order (a page
    // fetched before it is unpinned or renamed; renamed only while pinned; destroyed last).
    unsafe {
        let cache = create(4096, 16, 1);
        assert!(!cache.is_null());
        cachesize(cache, 100);
        let pages: Vec<_> = (1..=10).map(|key| fetch(cache, key, 2)).collect();
        assert!(pages.iter().all(|p| !p.is_null()));
        for page in &pages {
            unpin(cache, *page, 0);
        }
        // Nothing past page 10: skipped.
        truncate(cache, 11);
        assert_eq!(airlock_sqlite_vfs::truncations().1, skipped_before + 1);
        let five = fetch(cache, 5, 0);
        assert!(!five.is_null());
        rekey(cache, five, 5, 262_145);
        unpin(cache, five, 0);
        truncate(cache, 11);
        assert!(
            fetch(cache, 262_145, 0).is_null(),
            "page 262,145 survived a truncation to 11"
        );
        assert_eq!(pagecount(cache), 9);
        destroy(cache);
    }
}
