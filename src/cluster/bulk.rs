//! Statements into a cluster index with the `_bulk` API: gathered into requests of
//! about [`REQUEST_BYTES`], each statement under its own id (`index` action, so a
//! second run replaces what the first sent instead of adding to it). A request the
//! cluster cannot take now (429, 502, 503, 504, no answer) is sent again after a
//! growing pause; items refused for being too many at once (429) are sent again;
//! items refused for what they are (a field too long, a bad value) are counted with
//! their reasons, and the run goes on. Once an article's statements have all been
//! sent, the statements an earlier reading of it stored that this one no longer
//! finds (the article changed, or whosaid reads it better now) are deleted, so the
//! cluster holds each article's statements of the last reading only.
//!
//! Known limits: requests go one at a time from one thread (extraction runs in
//! parallel beside it); the pauses are fixed (0.5 s doubling, 7 tries, about a
//! minute), not read from the cluster.

use std::time::Duration;

use anyhow::{bail, Result};

use super::{reason, Client};

/// Bytes of action and document lines in one request: OpenSearch's guidance is 5 to
/// 15 MB; its limit (`http.max_content_length`) is 100 MB.
pub const REQUEST_BYTES: usize = 8 * 1024 * 1024;
/// Tries of one request before the run stops: pauses of 0.5, 1, 2, 4, 8 and 16 s.
const TRIES: u32 = 7;
/// Rejected items whose reason is kept for the report; the rest are counted.
const KEEP_REASONS: usize = 20;
/// Statement ids in one request deleting earlier readings' statements.
const MAX_TERMS: usize = 50_000;

/// A refused statement: its id and the cluster's reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub id: String,
    pub reason: String,
}

/// Statements on their way to one index.
pub struct Bulk<'a> {
    client: &'a Client,
    /// Action and document lines not sent yet, and the id of each pair.
    lines: Vec<u8>,
    ids: Vec<String>,
    /// Statements the cluster took.
    pub indexed: u64,
    /// Statements it refused, and the first reasons.
    pub rejected: u64,
    pub reasons: Vec<Rejected>,
    /// Requests sent again after a pause.
    pub retries: u64,
    /// Articles whose statements were all added, with their ids: their earlier
    /// statements go once the requests holding these are sent.
    finished: Vec<(String, Vec<String>)>,
    /// Statements of earlier readings deleted.
    pub removed: u64,
}

impl<'a> Bulk<'a> {
    pub fn new(client: &'a Client) -> Bulk<'a> {
        Bulk {
            client,
            lines: Vec::with_capacity(REQUEST_BYTES + 64 * 1024),
            ids: Vec::new(),
            indexed: 0,
            rejected: 0,
            reasons: Vec::new(),
            retries: 0,
            finished: Vec::new(),
            removed: 0,
        }
    }

    /// Says that every statement of `article` has been added (`ids`, none when a
    /// reading finds none).
    pub fn article_done(&mut self, article: &str, ids: Vec<String>) {
        self.finished.push((article.to_string(), ids));
    }

    /// Adds one document (its JSON, one line) under `id`; sends when the request
    /// is full.
    pub fn add(&mut self, id: &str, document: &[u8]) -> Result<()> {
        self.lines.extend_from_slice(b"{\"index\":{\"_id\":");
        serde_json::to_writer(&mut self.lines, id)?;
        self.lines.extend_from_slice(b"}}\n");
        self.lines.extend_from_slice(document);
        self.lines.push(b'\n');
        self.ids.push(id.to_string());
        if self.lines.len() >= REQUEST_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    /// Sends what is gathered.
    pub fn flush(&mut self) -> Result<()> {
        let mut lines = std::mem::take(&mut self.lines);
        let mut ids = std::mem::take(&mut self.ids);
        let mut tries = 0;
        while !ids.is_empty() {
            tries += 1;
            let again = self.send(&lines, &ids, tries)?;
            if again.is_empty() {
                break;
            }
            // Items refused as too many at once: those alone, after a pause.
            let (l, i) = pick(&lines, &ids, &again);
            (lines, ids) = (l, i);
            self.retries += 1;
            std::thread::sleep(pause(tries));
        }
        self.lines = Vec::with_capacity(REQUEST_BYTES + 64 * 1024);
        self.remove_earlier()
    }

    /// Deletes the statements of the finished articles that are not among those
    /// just sent: in requests of at most [`MAX_TERMS`] ids (a `terms` query's limit
    /// is 65,536).
    fn remove_earlier(&mut self) -> Result<()> {
        let finished = std::mem::take(&mut self.finished);
        let mut start = 0;
        while start < finished.len() {
            let (mut end, mut terms) = (start, 0);
            while end < finished.len()
                && (end == start || terms + finished[end].1.len() < MAX_TERMS)
            {
                terms += finished[end].1.len() + 1;
                end += 1;
            }
            let part = &finished[start..end];
            let articles: Vec<&str> = part.iter().map(|(a, _)| a.as_str()).collect();
            let ids: Vec<&str> =
                part.iter().flat_map(|(_, ids)| ids.iter().map(String::as_str)).collect();
            let query = serde_json::json!({"query": {"bool": {
                "filter": [{"terms": {"article": articles}}],
                "must_not": [{"terms": {"id": ids}}]
            }}});
            // conflicts=proceed: a statement replaced meanwhile is no reason to stop.
            let path = format!("/{}/_delete_by_query?conflicts=proceed", self.client.target.index);
            let reply = self.post(&path, "application/json", query.to_string().as_bytes(), 1)?;
            let v: serde_json::Value = serde_json::from_str(&reply.body).unwrap_or_default();
            if reply.status >= 300 || v["failures"].as_array().is_some_and(|f| !f.is_empty()) {
                bail!(
                    "{}: deleting the statements earlier readings of {} articles stored failed ({}): {}",
                    self.client.target.url(),
                    articles.len(),
                    reply.status,
                    reason(&reply.body)
                );
            }
            self.removed += v["deleted"].as_u64().unwrap_or(0);
            start = end;
        }
        Ok(())
    }

    /// One request of `lines` (the pairs of `ids`), sent again while the cluster is
    /// busy or away; returns the positions of items to send again (429).
    fn send(&mut self, lines: &[u8], ids: &[String], tries: u32) -> Result<Vec<usize>> {
        let path = format!("/{}/_bulk", self.client.target.index);
        let reply = self.post(&path, "application/x-ndjson", lines, tries)?;
        if reply.status >= 300 {
            bail!(
                "{}: a bulk request was refused ({}): {}",
                self.client.target.url(),
                reply.status,
                reason(&reply.body)
            );
        }
        let v: serde_json::Value = serde_json::from_str(&reply.body).map_err(|e| {
            anyhow::anyhow!("{}: the bulk answer is not JSON ({e})", self.client.target.url())
        })?;
        let items = v["items"].as_array().map(Vec::as_slice).unwrap_or_default();
        if items.len() != ids.len() {
            bail!(
                "{}: the bulk answer has {} items for {} statements",
                self.client.target.url(),
                items.len(),
                ids.len()
            );
        }
        let mut again = Vec::new();
        for (n, item) in items.iter().enumerate() {
            // One key: the action ("index").
            let result = item.as_object().and_then(|o| o.values().next()).unwrap_or(item);
            let status = result["status"].as_u64().unwrap_or(0);
            match status {
                200..=299 => self.indexed += 1,
                429 if tries < TRIES => again.push(n),
                _ => {
                    self.rejected += 1;
                    if self.reasons.len() < KEEP_REASONS {
                        let e = &result["error"];
                        let why = match (e["type"].as_str(), e["reason"].as_str()) {
                            (Some(t), Some(r)) => format!("{t}: {r}"),
                            _ => format!("status {status}"),
                        };
                        self.reasons.push(Rejected { id: ids[n].clone(), reason: why });
                    }
                }
            }
        }
        Ok(again)
    }
}

impl Bulk<'_> {
    /// POSTs `body`, sent again after a pause while the cluster is busy or away (429,
    /// 502, 503, 504, no answer), up to [`TRIES`] tries counting from `tries`.
    fn post(&mut self, path: &str, kind: &str, body: &[u8], tries: u32) -> Result<super::Reply> {
        let mut tries = tries;
        loop {
            let answer = self.client.send("POST", path, Some((kind, body)));
            match answer {
                Ok(reply) if !matches!(reply.status, 429 | 502 | 503 | 504) => return Ok(reply),
                Ok(reply) if tries >= TRIES => bail!(
                    "{}: the cluster stayed busy or away ({} after {tries} tries): {}",
                    self.client.target.url(),
                    reply.status,
                    reason(&reply.body)
                ),
                Err(e) if tries >= TRIES => {
                    return Err(e.context(format!("the cluster did not answer {tries} tries")))
                }
                _ => {
                    self.retries += 1;
                    std::thread::sleep(pause(tries));
                    tries += 1;
                }
            }
        }
    }
}

/// The pause after try number `tries` (from 1): 0.5 s, doubling, at most 16 s.
fn pause(tries: u32) -> Duration {
    let pause = Duration::from_millis(500).saturating_mul(1 << tries.saturating_sub(1).min(6));
    pause.min(Duration::from_secs(16))
}

/// The action and document lines of the pairs at `positions`, and their ids.
fn pick(lines: &[u8], ids: &[String], positions: &[usize]) -> (Vec<u8>, Vec<String>) {
    let all: Vec<&[u8]> = lines.split_inclusive(|b| *b == b'\n').collect();
    let mut out = Vec::new();
    let mut kept = Vec::new();
    for &n in positions {
        if let (Some(action), Some(doc)) = (all.get(2 * n), all.get(2 * n + 1)) {
            out.extend_from_slice(action);
            out.extend_from_slice(doc);
            kept.push(ids[n].clone());
        }
    }
    (out, kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picking_keeps_whole_pairs() {
        let lines = b"a0\nd0\na1\nd1\na2\nd2\n";
        let ids: Vec<String> = ["x", "y", "z"].iter().map(|s| s.to_string()).collect();
        let (l, i) = pick(lines, &ids, &[0, 2]);
        assert_eq!(l, b"a0\nd0\na2\nd2\n");
        assert_eq!(i, ["x", "z"]);
    }

    #[test]
    fn pauses_double_up_to_sixteen_seconds() {
        let ms: Vec<u128> = (1..=7).map(|t| pause(t).as_millis()).collect();
        assert_eq!(ms, [500, 1000, 2000, 4000, 8000, 16000, 16000]);
    }
}
