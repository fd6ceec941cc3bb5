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
//! https with the Mozilla roots or the authorities of `WHOSAID_CLUSTER_CA`; a user
//! and password by HTTP Basic authentication (the password from
//! `WHOSAID_CLUSTER_PASSWORD`, or in the address).
//!
//! Known limits: no client certificates, API keys or tokens; the statements of a file
//! that is gone stay in the cluster index until it is rebuilt.

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

/// The variable holding the password of the user an address names
/// (`https://USER@HOST:PORT/INDEX`), so that it is in neither the shell's history
/// nor the process list.
pub const PASSWORD_VAR: &str = "WHOSAID_CLUSTER_PASSWORD";
/// The variable naming a PEM file of the certificate authorities to trust for
/// https (Elasticsearch 8 makes its own: `config/certs/http_ca.crt`); without it,
/// the Mozilla roots.
pub const CA_VAR: &str = "WHOSAID_CLUSTER_CA";

/// Where statements go: a cluster's base address, an index in it, and who asks.
#[derive(Clone, PartialEq, Eq)]
pub struct Target {
    /// `http://host:port` or `https://host:port`, without a trailing slash.
    pub base: String,
    pub index: String,
    pub user: Option<String>,
    password: Option<String>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the password.
        write!(f, "Target({})", self.url())
    }
}

impl Target {
    /// Reads `http[s]://[USER[:PASSWORD]@]HOST:PORT/INDEX`; a user's password not in
    /// the address comes from [`PASSWORD_VAR`]. The index name must be one
    /// OpenSearch takes: lower case, no spaces or `\ / * ? " < > | , #`, not starting
    /// with `-`, `_`, `+`.
    pub fn parse(url: &str) -> Result<Target> {
        Target::parse_with(url, std::env::var(PASSWORD_VAR).ok())
    }

    fn parse_with(url: &str, password_var: Option<String>) -> Result<Target> {
        let usage = "give the cluster and index as http://HOST:PORT/INDEX (or https://USER@HOST:PORT/INDEX)";
        let (scheme, rest) = if let Some(rest) = url.strip_prefix("http://") {
            ("http", rest)
        } else if let Some(rest) = url.strip_prefix("https://") {
            ("https", rest)
        } else {
            bail!("{}: not an http:// or https:// address; {usage}", shown(url));
        };
        let Some((authority, index)) = rest.split_once('/') else {
            bail!("{}: no index named; {usage}", shown(url));
        };
        let index = index.trim_end_matches('/');
        if index.contains('@') {
            bail!(
                "{}: an '@' after the host: write a '/' or '@' in a user name or password as %2F or %40; {usage}",
                shown(url)
            );
        }
        let (userinfo, host) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        if host.is_empty() {
            bail!("{}: no host; {usage}", shown(url));
        }
        let (user, password) = match userinfo.map(|u| u.split_once(':').unwrap_or((u, ""))) {
            None => (None, None),
            Some(("", _)) => bail!("{}: an empty user name; {usage}", shown(url)),
            Some((user, "")) => (Some(percent_decoded(user)), password_var),
            Some((user, password)) => {
                (Some(percent_decoded(user)), Some(percent_decoded(password)))
            }
        };
        let bad_char = |c: char| c.is_ascii_uppercase() || " \\/*?\"<>|,#:".contains(c);
        if index.is_empty()
            || index.starts_with(['-', '_', '+'])
            || index.chars().any(bad_char)
            || index.len() > 255
        {
            bail!(
                "{}: {index:?} is not an index name OpenSearch takes (lower case, no spaces or \\/*?\"<>|,#:, not starting with - _ +); {usage}",
                shown(url)
            );
        }
        Ok(Target { base: format!("{scheme}://{host}"), index: index.to_string(), user, password })
    }

    /// `http[s]://[user@]host:port/index` again, never with the password.
    pub fn url(&self) -> String {
        format!("{}/{}", self.shown_base(), self.index)
    }

    /// `http[s]://[user@]host:port`: the base as messages show it, never with the
    /// password.
    fn shown_base(&self) -> String {
        match &self.user {
            None => self.base.clone(),
            Some(user) => {
                let (scheme, host) = self.base.split_once("://").unwrap_or(("http", &self.base));
                format!("{scheme}://{user}@{host}")
            }
        }
    }

    /// The `Authorization` header's value, for a user.
    fn authorization(&self) -> Option<String> {
        use base64::Engine as _;
        let user = self.user.as_ref()?;
        let pair = format!("{user}:{}", self.password.as_deref().unwrap_or(""));
        Some(format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair)))
    }
}

/// An address as said in a message: any password in it replaced by `***` (all up
/// to the last `@`, with or without a scheme, whatever the password holds).
fn shown(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), url),
    };
    match rest.rfind('@') {
        Some(at) if rest[..at].contains(':') => {
            let user = rest[..at].split(':').next().unwrap_or_default();
            format!("{scheme}{user}:***{}", &rest[at..])
        }
        _ => url.to_string(),
    }
}

/// `%XX` escapes decoded (a `@`, `:` or `/` in a user name or password is written
/// `%40`, `%3A`, `%2F` in an address).
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An HTTP client for one cluster index.
pub struct Client {
    agent: ureq::Agent,
    pub target: Target,
    authorization: Option<String>,
}

/// A response: status and body text.
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Client {
    /// A client for `target`; for https, trusting the authorities of [`CA_VAR`]'s
    /// file when it is set.
    pub fn new(target: Target) -> Result<Client> {
        let mut tls = ureq::tls::TlsConfig::builder();
        if let Some(file) = std::env::var_os(CA_VAR).filter(|f| !f.is_empty()) {
            let path = std::path::Path::new(&file);
            let pem = std::fs::read(path)
                .with_context(|| format!("{CA_VAR}={}: cannot read it", path.display()))?;
            let certs: Vec<_> = ureq::tls::parse_pem(&pem)
                .filter_map(|item| match item {
                    Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                    _ => None,
                })
                .collect();
            if certs.is_empty() {
                bail!("{CA_VAR}={}: no PEM certificate in it", path.display());
            }
            tls = tls.root_certs(ureq::tls::RootCerts::from(certs));
        }
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(REQUEST_TIMEOUT))
            // Statuses are the cluster's answers, read and explained here.
            .http_status_as_error(false)
            .tls_config(tls.build())
            .build()
            .into();
        let authorization = target.authorization();
        Ok(Client { agent, target, authorization })
    }

    /// Sends one request; `None` body for GET/HEAD/DELETE. An error only when no
    /// answer came (refused, reset, timed out).
    pub fn send(&self, method: &str, path: &str, body: Option<(&str, &[u8])>) -> Result<Reply> {
        let url = format!("{}{path}", self.target.base);
        let sent = match (method, body) {
            ("GET", None) => self.auth(self.agent.get(&url)).call(),
            ("HEAD", None) => self.auth(self.agent.head(&url)).call(),
            ("DELETE", None) => self.auth(self.agent.delete(&url)).call(),
            ("PUT", Some((kind, bytes))) => {
                self.auth(self.agent.put(&url)).header("Content-Type", kind).send(bytes)
            }
            ("POST", Some((kind, bytes))) => {
                self.auth(self.agent.post(&url)).header("Content-Type", kind).send(bytes)
            }
            ("POST", None) => self.auth(self.agent.post(&url)).send_empty(),
            _ => bail!("{method} {path}: not a request whosaid makes"),
        };
        let shown = format!("{}{path}", self.target.shown_base());
        let mut response = match sent {
            Ok(response) => response,
            // The usual first try of a cluster with its own CA (Elasticsearch 8).
            // (rustls says so through an I/O error.)
            Err(why) if why.to_string().contains("peer certificate") => bail!(
                "{method} {shown}: no answer: the cluster's certificate is not trusted ({why}); \
                 name the PEM file of its certificate authority in {CA_VAR}"
            ),
            Err(e) => return Err(e).with_context(|| format!("{method} {shown}: no answer")),
        };
        let status = response.status().as_u16();
        match status {
            401 => bail!(
                "{}: the cluster asks who you are (401): name the user in the address \
                 (https://USER@HOST:PORT/INDEX) and put the password in {PASSWORD_VAR}",
                self.target.url()
            ),
            403 => bail!(
                "{}: the cluster's user {} may not do this (403, {method} {path})",
                self.target.url(),
                self.target.user.as_deref().unwrap_or("(none given)")
            ),
            _ => {}
        }
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

    /// `request` with the user's `Authorization`, when the address names one.
    fn auth<B>(&self, request: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
        match &self.authorization {
            Some(value) => request.header("Authorization", value),
            None => request,
        }
    }

    /// A 200 answer's JSON; any other status is an error saying `what` failed, with
    /// the cluster's reason.
    pub fn json(&self, reply: Reply, what: &str) -> Result<serde_json::Value> {
        if reply.status != 200 {
            bail!(
                "{}: {what} failed ({}): {}",
                self.target.url(),
                reply.status,
                reason(&reply.body)
            );
        }
        serde_json::from_str(&reply.body).with_context(|| {
            format!("{}: the cluster's answer to {what} is not JSON", self.target.url())
        })
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
        let t = Target::parse_with("http://127.0.0.1:9200/news", None).unwrap();
        assert_eq!((t.base.as_str(), t.index.as_str()), ("http://127.0.0.1:9200", "news"));
        assert_eq!(Target::parse_with("http://h:1/news/", None).unwrap().index, "news");
        for (bad, says) in [
            ("127.0.0.1:9200/news", "not an http:// or https://"),
            ("ftp://h/news", "not an http:// or https://"),
            ("http://h:9200", "no index named"),
            ("http://h:9200/News", "not an index name"),
            ("http://h:9200/_x", "not an index name"),
            ("http://@h/x", "empty user name"),
            ("https://ann:secret@/x", "no host"),
        ] {
            let err = Target::parse_with(bad, None).unwrap_err().to_string();
            assert!(err.contains(says), "{bad}: {err}");
            assert!(!err.contains("secret"), "{err}");
        }
    }

    #[test]
    fn a_user_is_sent_with_basic_authentication_and_never_shown_with_the_password() {
        // The password from the variable when the address has none.
        let t = Target::parse_with("https://ann@h:9200/news", Some("secret".into())).unwrap();
        assert_eq!(t.base, "https://h:9200");
        assert_eq!(t.url(), "https://ann@h:9200/news");
        // RFC 7617's example pair, "Aladdin:open sesame".
        let t = Target::parse_with("http://Aladdin:open sesame@h/x", Some("other".into())).unwrap();
        assert_eq!(t.authorization().unwrap(), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert_eq!(t.url(), "http://Aladdin@h/x");
        assert!(!format!("{t:?}").contains("sesame"));
        assert_eq!(shown("http://ann:secret@h:1/X"), "http://ann:***@h:1/X");
        assert_eq!(shown("ann:se@c/ret@h:1/X"), "ann:***@h:1/X");
        let e = Target::parse_with("https://ann:se/cret@h/x", None).unwrap_err().to_string();
        assert!(!e.contains("cret") && e.contains("%2F"), "{e}");
        let t = Target::parse_with("https://ann%40news:p%2Fw@h/x", None).unwrap();
        assert_eq!((t.user.as_deref(), t.password.as_deref()), (Some("ann@news"), Some("p/w")));
        assert_eq!(
            Target::parse_with("http://h/x", Some("s".into())).unwrap().authorization(),
            None
        );
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
