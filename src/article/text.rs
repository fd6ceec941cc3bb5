//! Plain-text articles (`.txt`): the whole file is the body, exactly as stored.
//!
//! Known limits: no title or date inside the file is recognised (the date comes from
//! the path or `--date`); files with NUL bytes are taken for binary and skipped;
//! files over 16 MiB are skipped (see `MAX_ARTICLE`).

use super::file::{decode_lossy, read_capped, FileCtx, Sink, MAX_ARTICLE};
use super::record::Fields;

pub(crate) fn read(file: &FileCtx, sink: &mut Sink) -> anyhow::Result<()> {
    let Some(text) = read_text(file, sink, MAX_ARTICLE) else {
        return Ok(());
    };
    let fields = Fields { body: Some(text), ..Fields::default() };
    emit(fields, file, sink)
}

/// Reads a whole text file of at most `limit` bytes, or reports why not (too large,
/// unreadable, binary). A text or Markdown file is its article, so `MAX_ARTICLE`;
/// a web page is mostly markup around its text, so it may be larger.
pub(crate) fn read_text(file: &FileCtx, sink: &mut Sink, limit: u64) -> Option<String> {
    let bytes = match read_capped(file.path, limit) {
        Ok(b) => b,
        Err(reason) => {
            sink.skip_file(file.path, reason);
            return None;
        }
    };
    // Text never holds NUL; a file that does is an image or archive misnamed.
    if bytes.contains(&0) {
        sink.skip_file(file.path, "binary file (contains NUL bytes), skipped");
        return None;
    }
    sink.summary.files += 1;
    Some(decode_lossy(bytes, file.path, sink))
}

/// Passes on the file's one article, or a warning if it has no text.
pub(crate) fn emit(fields: Fields, file: &FileCtx, sink: &mut Sink) -> anyhow::Result<()> {
    match fields.into_article(file, None) {
        Ok(article) => sink.article(article),
        Err(reason) => {
            sink.skip_record(file.path, None, reason);
            Ok(())
        }
    }
}
