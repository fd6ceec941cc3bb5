//! A search cluster (OpenSearch, or Elasticsearch 8) as the place statements go and
//! questions are answered: the address of its index (`http://HOST:PORT/INDEX`), the
//! index's mapping, and a client for it.
//!
//! - [`bulk`]: statements gathered into bulk requests, retried, items counted.
//! - [`dsl`]: whosaid's query language and filters as OpenSearch query DSL.
//! - [`engine`]: `query`, `stats` and `timeline` answered by the cluster.
//! - `who`: `who` answered by the cluster.
//!
//! The mapping is `scripts/cluster/opensearch-index.json`, compiled in: the file
//! `export` users `PUT` by hand is the one `ingest --to` creates the index with.
//!
//! Known limits: plain HTTP only (no TLS, no authentication: a cluster behind
//! either is reached through a local proxy or tunnel); statements of an article
//! that changed are replaced by id, so one that a new reading no longer finds stays
//! in the cluster until the index is rebuilt.

pub mod bulk;
pub mod dsl;
pub mod engine;
mod who;

pub use engine::Engine;

use std::time::Duration;

use anyhow::{bail, Context, Result};

/// The OpenSearch index body: settings (the `whosaid_exact` analyzer) and mappings.
pub const MAPPING: &str = include_str!("../../scripts/cluster/opensearch-index.json");

/// How long one request may take, connection to last byte: a bulk request of
/// [`bulk::REQUEST_BYTES`] takes well under a second on a healthy cluster.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// Where statements go: a cluster's base address and an index in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `http://host:port`, without a trailing slash.
    pub base: String,
    pub index: String,
}

impl Target {
    /// Reads `http://HOST:PORT/INDEX`. The index name must be one OpenSearch takes:
    /// lower case, no spaces or `\ / * ? " < > | , #`, not starting with `-`, `_`, `+`.
    pub fn parse(url: &str) -> Result<Target> {
        let usage = "give the cluster and index as http://HOST:PORT/INDEX";
        let Some(rest) = url.strip_prefix("http://") else {
            if url.starts_with("https://") {
                bail!("{url}: https is not supported yet; reach the cluster over http (a local proxy or tunnel)");
            }
            bail!("{url}: not an http:// address; {usage}");
        };
        let Some((host, index)) = rest.split_once('/') else {
            bail!("{url}: no index named; {usage}");
        };
        let index = index.trim_end_matches('/');
        if host.is_empty() || host.contains('@') {
            bail!("{url}: no host, or a user name in it (not supported); {usage}");
        }
        let bad_char = |c: char| c.is_ascii_uppercase() || " \\/*?\"<>|,#:".contains(c);
        if index.is_empty()
            || index.starts_with(['-', '_', '+'])
            || index.chars().any(bad_char)
            || index.len() > 255
        {
            bail!(
                "{url}: {index:?} is not an index name OpenSearch takes (lower case, no spaces or \\/*?\"<>|,#:, not starting with - _ +); {usage}"
            );
        }
        Ok(Target { base: format!("http://{host}"), index: index.to_string() })
    }

    /// `http://host:port/index` again.
    pub fn url(&self) -> String {
        format!("{}/{}", self.base, self.index)
    }
}

/// An HTTP client for one cluster index.
pub struct Client {
    agent: ureq::Agent,
    pub target: Target,
}

/// A response: status and body text.
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Client {
    pub fn new(target: Target) -> Client {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(REQUEST_TIMEOUT))
            // Statuses are the cluster's answers, read and explained here.
            .http_status_as_error(false)
            .build()
            .into();
        Client { agent, target }
    }

    /// Sends one request; `None` body for GET/HEAD/DELETE. An error only when no
    /// answer came (refused, reset, timed out).
    pub fn send(&self, method: &str, path: &str, body: Option<(&str, &[u8])>) -> Result<Reply> {
        let url = format!("{}{path}", self.target.base);
        let sent = match (method, body) {
            ("GET", None) => self.agent.get(&url).call(),
            ("HEAD", None) => self.agent.head(&url).call(),
            ("DELETE", None) => self.agent.delete(&url).call(),
            ("PUT", Some((kind, bytes))) => {
                self.agent.put(&url).header("Content-Type", kind).send(bytes)
            }
            ("POST", Some((kind, bytes))) => {
                self.agent.post(&url).header("Content-Type", kind).send(bytes)
            }
            ("POST", None) => self.agent.post(&url).send_empty(),
            _ => bail!("{method} {path}: not a request whosaid makes"),
        };
        let mut response = sent.with_context(|| format!("{method} {url}: no answer"))?;
        let status = response.status().as_u16();
        let body = if method == "HEAD" {
            String::new()
        } else {
            response
                .body_mut()
                .with_config()
                .limit(256 * 1024 * 1024)
                .read_to_string()
                .with_context(|| format!("{method} {url}: reading the answer"))?
        };
        Ok(Reply { status, body })
    }

    /// Creates the index with [`MAPPING`] unless it exists; says whether it did.
    pub fn ensure_index(&self) -> Result<bool> {
        let path = format!("/{}", self.target.index);
        let there = self.send("HEAD", &path, None)?;
        match there.status {
            200 => return Ok(false),
            404 => {}
            status => bail!(
                "{}: the cluster answered {status} when asked whether the index exists",
                self.target.url()
            ),
        }
        let made = self.send("PUT", &path, Some(("application/json", MAPPING.as_bytes())))?;
        match made.status {
            200 | 201 => Ok(true),
            // Another whosaid made it meanwhile.
            400 if made.body.contains("resource_already_exists_exception") => Ok(false),
            status => bail!(
                "{}: creating the index failed ({status}): {}",
                self.target.url(),
                reason(&made.body)
            ),
        }
    }

    /// Makes what was sent searchable now (a bulk is searchable after the index's
    /// refresh interval, a second by default).
    pub fn refresh(&self) -> Result<()> {
        let reply = self.send("POST", &format!("/{}/_refresh", self.target.index), None)?;
        if reply.status >= 300 {
            bail!(
                "{}: refresh failed ({}): {}",
                self.target.url(),
                reply.status,
                reason(&reply.body)
            );
        }
        Ok(())
    }
}

/// The `error.reason` of an OpenSearch error body, else the body's start.
pub fn reason(body: &str) -> String {
    let parsed: Option<serde_json::Value> = serde_json::from_str(body).ok();
    let error = parsed.as_ref().map(|v| &v["error"]);
    match error {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(e) if e["reason"].is_string() => {
            format!(
                "{}: {}",
                e["type"].as_str().unwrap_or("error"),
                e["reason"].as_str().unwrap_or("")
            )
        }
        _ => body.chars().take(300).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_and_bad_ones_say_what_to_write() {
        let t = Target::parse("http://127.0.0.1:9200/news").unwrap();
        assert_eq!((t.base.as_str(), t.index.as_str()), ("http://127.0.0.1:9200", "news"));
        assert_eq!(Target::parse("http://h:1/news/").unwrap().index, "news");
        for (bad, says) in [
            ("127.0.0.1:9200/news", "not an http://"),
            ("https://h/news", "https is not supported"),
            ("http://h:9200", "no index named"),
            ("http://h:9200/News", "not an index name"),
            ("http://h:9200/_x", "not an index name"),
            ("http://u:p@h/x", "user name"),
        ] {
            let err = Target::parse(bad).unwrap_err().to_string();
            assert!(err.contains(says), "{bad}: {err}");
        }
    }

    #[test]
    fn the_mapping_is_json_with_settings_and_mappings() {
        let v: serde_json::Value = serde_json::from_str(MAPPING).unwrap();
        assert!(v["settings"]["analysis"]["analyzer"]["whosaid_exact"].is_object());
        assert_eq!(v["mappings"]["dynamic"], "strict");
    }

    #[test]
    fn reasons_come_from_the_error_body() {
        let body = r#"{"error":{"type":"mapper_parsing_exception","reason":"failed to parse"},"status":400}"#;
        assert_eq!(reason(body), "mapper_parsing_exception: failed to parse");
        assert_eq!(reason("plain"), "plain");
    }
}
