//! A damaged index found out while reading it, so that a query says "index damaged:
//! run whosaid check" instead of panicking or answering wrong.
//!
//! Two things are caught on the way:
//! - **Panics inside Tantivy.** Tantivy trusts its files: bytes flipped in a posting
//!   list or a column can make it index past the end of a slice. [`guard`] runs a
//!   search and turns such a panic into [`Error::Damaged`]. A panic in whosaid's own
//!   code is a bug, not damage, and goes on unwinding as before (exit 101 with its
//!   location; a 500 in `serve`). [`install_panic_hook`], which the binary calls,
//!   tells the two apart by the panic's location and keeps the first kind off stderr
//!   (the error says it); without the hook every panic in a guarded search counts
//!   as damage.
//! - **A segment whose document count is not that of its files.** `meta.json` gives
//!   each segment's `max_doc`, and Tantivy believes it: too small hid statements
//!   without a word, too large made `timeline` read past its columns. [`checked`]
//!   compares it with the field norms' length (one byte per document, already in
//!   memory) when a searcher is opened.
//!
//! Known limits: bytes flipped where no panic follows (a posting, a column value)
//! still give wrong answers; finding those means reading every byte of the index,
//! which is what `whosaid check` does (see `index::check`), not every query.

use std::cell::Cell;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe, PanicHookInfo};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use tantivy::schema::Field;
use tantivy::Searcher;

use super::error::{Error, Result};

/// Whether [`install_panic_hook`] ran.
static HOOK: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// Guarded searches running on this thread.
    static GUARDED: Cell<usize> = const { Cell::new(0) };
}

/// Whether a panic on this thread happens within a guarded search: on a thread that
/// is in [`guard`], or on Tantivy's search pool (`Index::set_multithread_executor`
/// names its threads so), whose panics reach the searching thread's [`guard`].
fn in_guarded_search() -> bool {
    GUARDED.with(Cell::get) > 0
        || std::thread::current().name().is_some_and(|n| n.starts_with("tantivy-search-"))
}

/// What the hook saw of the last panic in a guarded search: one slot for the
/// process, so two searches of `serve` panicking at the same moment may swap their
/// messages.
static LAST: Mutex<Option<Seen>> = Mutex::new(None);

struct Seen {
    /// Raised in whosaid's own code: a bug.
    ours: bool,
    what: String,
}

/// Whether a panic at `file` is in whosaid's own source: below the folder this
/// file's own path starts from (`src/…` when built in the repository; the crate's
/// absolute folder when built by `cargo install`). Dependencies are elsewhere.
fn is_ours(file: &str) -> bool {
    const HERE: &str = file!();
    let root = HERE.strip_suffix("src/index/damage.rs").unwrap_or("");
    file.strip_prefix(root).is_some_and(|rest| rest.starts_with("src/"))
}

/// The panic's message.
fn message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "no message".into()
    }
}

/// Installs a panic hook that, during a [`guard`]ed search, records a panic raised
/// outside whosaid's code instead of printing it (the error that [`guard`] returns
/// says it in one line). Every other panic is printed as before.
pub fn install_panic_hook() {
    HOOK.store(true, Ordering::SeqCst);
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info: &PanicHookInfo<'_>| {
        if in_guarded_search() {
            let ours = info.location().is_some_and(|l| is_ours(l.file()));
            let mut what = message(info.payload());
            if let Some(l) = info.location() {
                what = format!("{what}, at {}:{}", short_path(l.file()), l.line());
            }
            *LAST.lock().unwrap_or_else(|p| p.into_inner()) = Some(Seen { ours, what });
            if !ours {
                return;
            }
        }
        previous(info);
    }));
}

/// A dependency's path from its crate's folder on (`tantivy-columnar-0.27.0/src/…`),
/// not the registry's location on this machine.
fn short_path(file: &str) -> &str {
    match file.rfind("/src/") {
        Some(at) => {
            let krate = file[..at].rfind('/').map_or(0, |slash| slash + 1);
            &file[krate..]
        }
        None => file,
    }
}

/// Runs `search`, turning a panic inside the index library into [`Error::Damaged`];
/// a panic in whosaid's own code goes on unwinding.
pub fn guard<T, E: From<Error>>(search: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
    GUARDED.with(|g| g.set(g.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(search));
    GUARDED.with(|g| g.set(g.get() - 1));
    match result {
        Ok(answer) => answer,
        Err(payload) => {
            let seen = LAST.lock().unwrap_or_else(|p| p.into_inner()).take();
            match seen {
                Some(Seen { ours: true, .. }) => resume_unwind(payload),
                Some(Seen { what, .. }) => {
                    Err(Error::Damaged(format!("Tantivy panicked: {what}")).into())
                }
                // The hook saw it outside a guarded search (a pool the search handed
                // work to, say): printed there, and not known to be the index's.
                None if HOOK.load(Ordering::SeqCst) => resume_unwind(payload),
                None => {
                    Err(Error::Damaged(format!("Tantivy panicked: {}", message(&*payload))).into())
                }
            }
        }
    }
}

/// Opens a searcher with `open`, then checks that each segment holds as many
/// documents as `meta.json` says (see the module comment), `norms` being an indexed
/// field with norms. A segment file missing is tried again twice: a reader that holds
/// no meta lock (see `directory`) can see an ingest delete a merged segment between
/// reading `meta.json` and opening its files.
pub(crate) fn checked(
    open: impl Fn() -> anyhow::Result<Searcher>,
    norms: Field,
) -> anyhow::Result<Searcher> {
    let mut attempt = 0;
    let searcher = loop {
        match open() {
            Err(e) if attempt < 2 && is_missing_file(&e) => attempt += 1,
            Err(e) => return Err(classify(Error::Other(e)).into()),
            Ok(searcher) => break searcher,
        }
    };
    for segment in searcher.segment_readers() {
        // A field without norms cannot tell: nothing to compare.
        let Ok(files) = segment.get_fieldnorms_reader(norms).map(|n| n.num_docs()) else {
            continue;
        };
        if files != segment.max_doc() {
            return Err(Error::Damaged(format!(
                "meta.json says segment {} holds {} documents, its files hold {files}",
                segment.segment_id().uuid_string(),
                segment.max_doc()
            ))
            .into());
        }
    }
    Ok(searcher)
}

/// Whether an error from reading the index says its files are damaged: a file that
/// `meta.json` names is missing, or bytes do not parse (Tantivy's "Data corrupted", a
/// stored document it cannot read back, a block that does not decompress, an I/O
/// error of kind `InvalidData` or `UnexpectedEof`). Not a file that cannot be reached
/// (permissions, a lock held, memory): that is no damage to repair.
pub fn is_damage(e: &anyhow::Error) -> bool {
    use std::io::ErrorKind::{Interrupted, OutOfMemory, PermissionDenied, TimedOut, WouldBlock};
    use std::io::ErrorKind::{InvalidData, UnexpectedEof};
    use tantivy::directory::error::OpenReadError;
    use tantivy::TantivyError;
    let io = |e: &std::io::Error| matches!(e.kind(), InvalidData | UnexpectedEof);
    // Tantivy's own reading: any failure but a refusal or a lack of resources (zstd
    // says "Data corruption detected" with kind Other).
    let read = |e: &std::io::Error| {
        !matches!(e.kind(), PermissionDenied | OutOfMemory | Interrupted | WouldBlock | TimedOut)
    };
    let open = |e: &OpenReadError| match e {
        OpenReadError::FileDoesNotExist(_) | OpenReadError::IncompatibleIndex(_) => true,
        OpenReadError::IoError { io_error, .. } => read(io_error),
    };
    e.chain().any(|c| {
        if let Some(t) = c.downcast_ref::<TantivyError>() {
            return match t {
                TantivyError::DataCorruption(_)
                | TantivyError::IncompatibleIndex(_)
                | TantivyError::DeserializeError(_) => true,
                TantivyError::OpenReadError(e) => open(e),
                TantivyError::IoError(e) => read(e),
                _ => false,
            };
        }
        c.downcast_ref::<OpenReadError>().is_some_and(open)
            || c.downcast_ref::<std::io::Error>().is_some_and(io)
    })
}

/// `e`, as [`Error::Damaged`] when it says the index's files are damaged (see
/// [`is_damage`]), so that it says to run `whosaid check`.
pub fn classify(e: Error) -> Error {
    match e {
        Error::Other(inner) if is_damage(&inner) => Error::Damaged(format!("{inner:#}")),
        e => e,
    }
}

fn is_missing_file(e: &anyhow::Error) -> bool {
    use tantivy::directory::error::OpenReadError;
    e.chain().any(|c| {
        matches!(
            c.downcast_ref::<tantivy::TantivyError>(),
            Some(tantivy::TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(_)))
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_dependencies_are_shortened_to_their_crate() {
        assert_eq!(
            short_path("/root/.cargo/registry/src/index.crates.io-x/tantivy-0.27.0/src/a.rs"),
            "tantivy-0.27.0/src/a.rs"
        );
        assert_eq!(short_path("src/index/mod.rs"), "src/index/mod.rs");
        assert!(is_ours("src/index/mod.rs"));
        assert!(!is_ours("/root/.cargo/registry/src/x/tantivy-0.27.0/src/a.rs"));
    }

    #[test]
    fn damage_is_told_from_files_that_cannot_be_reached() {
        use std::io::{Error as Io, ErrorKind};
        use tantivy::directory::error::OpenReadError;
        use tantivy::TantivyError;
        let tantivy = |e: TantivyError| anyhow::Error::from(e).context("opening index reader");
        let missing = OpenReadError::FileDoesNotExist("a.idx".into());
        assert!(is_damage(&tantivy(missing.into())));
        let zstd = TantivyError::IoError(Io::other("Data corruption detected").into());
        assert!(is_damage(&tantivy(zstd)));
        let denied =
            OpenReadError::wrap_io_error(Io::from(ErrorKind::PermissionDenied), "a".into());
        assert!(!is_damage(&tantivy(denied.into())));
        assert!(!is_damage(&anyhow::anyhow!("bad query")));
        let e = classify(Error::Other(tantivy(TantivyError::IoError(
            Io::from(ErrorKind::UnexpectedEof).into(),
        ))));
        assert!(e.to_string().starts_with("index damaged: run whosaid check"), "{e}");
    }

    #[test]
    fn a_panic_in_a_guarded_search_is_an_error_saying_the_index_is_damaged() {
        let r: Result<()> = guard(|| panic!("index out of bounds"));
        let e = r.unwrap_err().to_string();
        assert!(e.starts_with("index damaged: run whosaid check"), "{e}");
        assert!(e.contains("index out of bounds"), "{e}");
    }
}
