//! SQLite's own page cache, except that a truncation no cached page can reach is skipped.
//!
//! At the end of every write transaction SQLite truncates the page cache to the database's
//! size. Its default cache (`pcache1`) then walks only the hash slots of the page numbers
//! past that size, unless the largest number it has ever held is far past it: then it walks
//! the whole table. A B-tree split renames pages through a temporary number (the lock-byte
//! page, 262,145 with 4 KiB pages), which `pcache1` keeps as its largest, so nearly every
//! commit walked every slot: about 0.4 % of the writer's time with the default 2 MiB cache
//! and 5 % with 32 MiB (docs/benchmarks.md, forty-eighth pass).
//!
//! This cache forwards every call to `pcache1` and keeps, for each cache, a floor and the
//! numbers above it that may be cached (every page created or renamed above the floor; a
//! page `pcache1` evicts on its own stays listed, which only makes a truncation forwarded
//! that could have been skipped). A truncation to `limit` is forwarded when `limit` is at or
//! below the floor or a listed number is at or past it; otherwise no cached page is at or
//! past `limit` and there is nothing to drop. Every truncation leaves the floor at
//! `limit - 1` and the list empty: no page past that is cached any more.
//!
//! It must be installed before SQLite initialises ([`install_page_cache`]); installed later,
//! SQLite refuses it and keeps its own, which is as correct and only slower.

use std::collections::BTreeSet;
use std::ffi::{c_int, c_uint};
use std::sync::OnceLock;

use rusqlite::ffi;

/// Past this many listed numbers a cache stops listing and forwards every truncation until
/// the next one (a cache that never truncates would otherwise list every page it read).
const MAX_LISTED: usize = 4096;

/// `pcache1`'s per-cache methods (function pointers: shareable across threads).
struct Inner {
    create: unsafe extern "C" fn(c_int, c_int, c_int) -> *mut ffi::sqlite3_pcache,
    cachesize: unsafe extern "C" fn(*mut ffi::sqlite3_pcache, c_int),
    pagecount: unsafe extern "C" fn(*mut ffi::sqlite3_pcache) -> c_int,
    fetch: unsafe extern "C" fn(
        *mut ffi::sqlite3_pcache,
        c_uint,
        c_int,
    ) -> *mut ffi::sqlite3_pcache_page,
    unpin: unsafe extern "C" fn(*mut ffi::sqlite3_pcache, *mut ffi::sqlite3_pcache_page, c_int),
    rekey: unsafe extern "C" fn(
        *mut ffi::sqlite3_pcache,
        *mut ffi::sqlite3_pcache_page,
        c_uint,
        c_uint,
    ),
    truncate: unsafe extern "C" fn(*mut ffi::sqlite3_pcache, c_uint),
    destroy: unsafe extern "C" fn(*mut ffi::sqlite3_pcache),
    shrink: unsafe extern "C" fn(*mut ffi::sqlite3_pcache),
}

static INNER: OnceLock<Inner> = OnceLock::new();

/// Truncations forwarded to `pcache1` and skipped, process-wide (for tests and profiles).
static FORWARDED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
static SKIPPED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Skipped truncations that would have dropped a page: counted only in builds with debug
/// assertions, which forward every skipped truncation all the same and compare the cache's
/// page count (the tests' check of the rule against SQLite itself).
static MISSED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Truncations of page caches forwarded to SQLite's cache and skipped, since the process
/// started.
pub fn truncations() -> (u64, u64) {
    use std::sync::atomic::Ordering::Relaxed;
    (FORWARDED.load(Relaxed), SKIPPED.load(Relaxed))
}

/// Skipped truncations that dropped a page when forwarded all the same (builds with debug
/// assertions only; always 0 otherwise). Anything but 0 is a bug in the rule.
pub fn missed_truncations() -> u64 {
    MISSED.load(std::sync::atomic::Ordering::Relaxed)
}

/// What numbers a cache may hold.
#[derive(Debug)]
pub(crate) struct Bounds {
    /// Every page numbered at or below this may be cached.
    floor: c_uint,
    /// Numbers above `floor` that may be cached; `None` once more than [`MAX_LISTED`] were,
    /// until the next truncation (any number may then be cached).
    listed: Option<BTreeSet<c_uint>>,
}

impl Bounds {
    /// A new, empty cache holds nothing.
    pub(crate) fn new() -> Bounds {
        Bounds {
            floor: 0,
            listed: Some(BTreeSet::new()),
        }
    }

    /// Page `key` may now be cached.
    pub(crate) fn holds(&mut self, key: c_uint) {
        if key <= self.floor {
            return;
        }
        if let Some(listed) = &mut self.listed {
            listed.insert(key);
            if listed.len() > MAX_LISTED {
                self.listed = None;
            }
        }
    }

    /// The page cached as `old` is now `new`.
    pub(crate) fn renamed(&mut self, old: c_uint, new: c_uint) {
        if let Some(listed) = &mut self.listed {
            listed.remove(&old);
        }
        self.holds(new);
    }

    /// Whether truncating to `limit` could drop a page, and the bounds after it.
    pub(crate) fn truncate(&mut self, limit: c_uint) -> bool {
        let reaches = limit <= self.floor
            || match &self.listed {
                Some(listed) => listed.range(limit..).next().is_some(),
                None => true,
            };
        self.floor = limit.saturating_sub(1);
        self.listed = Some(BTreeSet::new());
        reaches
    }
}

/// A cache: `pcache1`'s, and what it may hold.
struct Cache {
    inner: *mut ffi::sqlite3_pcache,
    bounds: Bounds,
}

/// Installs the cache as SQLite's page cache; `false` if SQLite refused it (it was already
/// initialised) and keeps its own. Call it before any SQLite call, while the process has
/// one thread: SQLite's configuration is not thread-safe.
pub fn install_page_cache() -> bool {
    // SAFETY: `install` runs once; the caller promises no other thread uses SQLite yet.
    *INSTALLED.get_or_init(|| unsafe { install() })
}

/// Whether [`install_page_cache`] installed the cache.
pub fn page_cache_installed() -> bool {
    INSTALLED.get() == Some(&true)
}

static INSTALLED: OnceLock<bool> = OnceLock::new();

unsafe fn install() -> bool {
    let mut default = std::mem::MaybeUninit::<ffi::sqlite3_pcache_methods2>::zeroed();
    // SAFETY: GETPCACHE2 fills the struct it is given with the configured methods (SQLite's
    // default unless someone configured another); allowed before initialisation.
    let rc = unsafe { ffi::sqlite3_config(ffi::SQLITE_CONFIG_GETPCACHE2, default.as_mut_ptr()) };
    if rc != ffi::SQLITE_OK {
        return false;
    }
    // SAFETY: filled by SQLite above (zeroed, so a missing method reads as `None`).
    let default = unsafe { default.assume_init() };
    let (
        Some(create),
        Some(cachesize),
        Some(pagecount),
        Some(fetch),
        Some(unpin),
        Some(rekey),
        Some(truncate),
        Some(destroy),
        Some(shrink),
    ) = (
        default.xCreate,
        default.xCachesize,
        default.xPagecount,
        default.xFetch,
        default.xUnpin,
        default.xRekey,
        default.xTruncate,
        default.xDestroy,
        default.xShrink,
    )
    else {
        return false;
    };
    if INNER
        .set(Inner {
            create,
            cachesize,
            pagecount,
            fetch,
            unpin,
            rekey,
            truncate,
            destroy,
            shrink,
        })
        .is_err()
    {
        return false;
    }
    let ours = ffi::sqlite3_pcache_methods2 {
        iVersion: default.iVersion,
        pArg: default.pArg,
        xInit: default.xInit,
        xShutdown: default.xShutdown,
        xCreate: Some(create_cache),
        xCachesize: Some(cachesize_cache),
        xPagecount: Some(pagecount_cache),
        xFetch: Some(fetch_page),
        xUnpin: Some(unpin_page),
        xRekey: Some(rekey_page),
        xTruncate: Some(truncate_cache),
        xDestroy: Some(destroy_cache),
        xShrink: Some(shrink_cache),
    };
    // SAFETY: SQLite copies the methods; it refuses them once initialised.
    let rc = unsafe { ffi::sqlite3_config(ffi::SQLITE_CONFIG_PCACHE2, &ours) };
    rc == ffi::SQLITE_OK
}

/// The methods `install` saved: set before SQLite can call any of ours.
fn inner() -> Option<&'static Inner> {
    INNER.get()
}

/// Our cache behind SQLite's handle.
///
/// # Safety
/// `p` is a handle `create_cache` returned and `destroy_cache` has not freed; SQLite calls a
/// cache's methods one at a time (under its connection's or its group's mutex).
unsafe fn cache<'a>(p: *mut ffi::sqlite3_pcache) -> &'a mut Cache {
    // SAFETY: the caller's promise.
    unsafe { &mut *p.cast::<Cache>() }
}

unsafe extern "C" fn create_cache(
    page: c_int,
    extra: c_int,
    purgeable: c_int,
) -> *mut ffi::sqlite3_pcache {
    let Some(m) = inner() else {
        return std::ptr::null_mut();
    };
    // SAFETY: forwarded as SQLite called it.
    let inner = unsafe { (m.create)(page, extra, purgeable) };
    if inner.is_null() {
        return inner;
    }
    let cache = Box::new(Cache {
        inner,
        bounds: Bounds::new(),
    });
    Box::into_raw(cache).cast()
}

unsafe extern "C" fn cachesize_cache(p: *mut ffi::sqlite3_pcache, size: c_int) {
    if let Some(m) = inner() {
        // SAFETY: `p` is ours (SQLite's promise); forwarded to the cache it wraps.
        unsafe { (m.cachesize)(cache(p).inner, size) }
    }
}

unsafe extern "C" fn pagecount_cache(p: *mut ffi::sqlite3_pcache) -> c_int {
    match inner() {
        // SAFETY: as above.
        Some(m) => unsafe { (m.pagecount)(cache(p).inner) },
        None => 0,
    }
}

unsafe extern "C" fn fetch_page(
    p: *mut ffi::sqlite3_pcache,
    key: c_uint,
    create: c_int,
) -> *mut ffi::sqlite3_pcache_page {
    let Some(m) = inner() else {
        return std::ptr::null_mut();
    };
    // SAFETY: as above.
    let c = unsafe { cache(p) };
    // SAFETY: forwarded as SQLite called it.
    let page = unsafe { (m.fetch)(c.inner, key, create) };
    // Only a fetch that may create a page adds one; a lookup finds one already counted.
    if create != 0 && !page.is_null() {
        c.bounds.holds(key);
    }
    page
}

unsafe extern "C" fn unpin_page(
    p: *mut ffi::sqlite3_pcache,
    page: *mut ffi::sqlite3_pcache_page,
    discard: c_int,
) {
    if let Some(m) = inner() {
        // SAFETY: as above.
        unsafe { (m.unpin)(cache(p).inner, page, discard) }
    }
}

unsafe extern "C" fn rekey_page(
    p: *mut ffi::sqlite3_pcache,
    page: *mut ffi::sqlite3_pcache_page,
    old: c_uint,
    new: c_uint,
) {
    if let Some(m) = inner() {
        // SAFETY: as above.
        let c = unsafe { cache(p) };
        // SAFETY: forwarded as SQLite called it.
        unsafe { (m.rekey)(c.inner, page, old, new) };
        c.bounds.renamed(old, new);
    }
}

unsafe extern "C" fn truncate_cache(p: *mut ffi::sqlite3_pcache, limit: c_uint) {
    use std::sync::atomic::Ordering::Relaxed;
    if let Some(m) = inner() {
        // SAFETY: as above.
        let c = unsafe { cache(p) };
        if c.bounds.truncate(limit) {
            FORWARDED.fetch_add(1, Relaxed);
            // SAFETY: forwarded as SQLite called it.
            unsafe { (m.truncate)(c.inner, limit) }
        } else {
            SKIPPED.fetch_add(1, Relaxed);
            #[cfg(debug_assertions)]
            // SAFETY: as above.
            unsafe {
                let before = (m.pagecount)(c.inner);
                (m.truncate)(c.inner, limit);
                if (m.pagecount)(c.inner) != before {
                    MISSED.fetch_add(1, Relaxed);
                }
            }
        }
    }
}

unsafe extern "C" fn destroy_cache(p: *mut ffi::sqlite3_pcache) {
    if p.is_null() {
        return;
    }
    // SAFETY: `p` came from `Box::into_raw` in `create_cache`; SQLite destroys it once.
    let c = unsafe { Box::from_raw(p.cast::<Cache>()) };
    if let Some(m) = inner() {
        // SAFETY: forwarded as SQLite called it.
        unsafe { (m.destroy)(c.inner) }
    }
}

unsafe extern "C" fn shrink_cache(p: *mut ffi::sqlite3_pcache) {
    if let Some(m) = inner() {
        // SAFETY: as above.
        unsafe { (m.shrink)(cache(p).inner) }
    }
}

#[cfg(test)]
#[path = "pcache_tests.rs"]
mod tests;
