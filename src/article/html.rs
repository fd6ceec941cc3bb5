//! Saved web pages (`.html`, `.htm`): parsed with html5ever (through `scraper`), as a
//! browser would, then reduced to the article: metadata from `<meta>`, `<link>`,
//! JSON-LD and `<time>`, and the main text without navigation, scripts, ads, share
//! bars, related links or comments. The body is that text, paragraphs separated by
//! blank lines; statement offsets are bytes into it (`extract --with-body` prints it).
//!
//! Known limits: bytes are decoded as UTF-8 (a page saved in another charset gets
//! replacement characters and a warning); the main text is found by markup
//! conventions (`itemprop=articleBody`, else the element with the most paragraph
//! text, else `<article>` or `<main>`) and class/id words, not by rendering, so text a site
//! inserts with JavaScript is missed (JSON-LD `articleBody` is used when the page
//! shows next to none of it), and a boilerplate box named in a way not listed here
//! stays in the text. `<pre>` whitespace is collapsed like any other.

use super::date::parse_date;
use super::file::{FileCtx, Sink, MAX_WHOLE_FILE};
use super::record::Fields;
use super::text::{emit, read_text};
use jiff::civil::Date;
use scraper::{ElementRef, Html, Node};
use serde_json::Value;

pub(crate) fn read(file: &FileCtx, sink: &mut Sink) -> anyhow::Result<()> {
    let Some(text) = read_text(file, sink, MAX_WHOLE_FILE) else {
        return Ok(());
    };
    emit(parse(&text), file, sink)
}

/// Reads one HTML document into the article's fields; the body is the main text,
/// paragraphs separated by blank lines, ending in a newline. Never fails: a page
/// with no recognisable article gets the text of its `<body>` less the
/// boilerplate, which may be empty.
pub(crate) fn parse(html: &str) -> Fields {
    let doc = Html::parse_document(html);
    let meta = Meta::collect(&doc);
    let roots = content_roots(&doc);
    let mut text = TextWriter::default();
    for root in &roots {
        text.element_children(*root);
        text.brk(Break::Paragraph);
    }
    let mut body = text.finish();
    // A page that renders its text with JavaScript shows little of it in the markup;
    // its JSON-LD often carries all of it.
    if let Some(ld_body) = meta.ld.body.as_deref() {
        if body.len() * 4 < ld_body.len() {
            body = paragraphs_of(ld_body);
        }
    }
    let title = meta
        .og_title
        .or(meta.ld.headline)
        .or_else(|| roots.iter().find_map(|r| first_heading(*r)))
        .or(meta.doc_title);
    Fields {
        title,
        date: meta.date.or(meta.ld.date).or(meta.time_date),
        url: meta.canonical.or(meta.og_url).or(meta.ld.url),
        source: meta.site_name.or(meta.ld.publisher),
        author: meta.author.or(meta.ld.author),
        body: Some(body),
        ..Fields::default()
    }
}

// ---------------------------------------------------------------------------
// Which elements are not the article's text

/// Tags whose content is never article prose.
const NOT_TEXT_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math",
    "canvas", "video", "audio", "picture", "img", "map", "form", "button", "input", "select",
    "textarea", "label", "dialog", "head", "title",
];

/// Landmarks that hold the rest of the site, not this article.
const ELSEWHERE_TAGS: &[&str] = &["nav", "aside", "footer", "menu"];
const ELSEWHERE_ROLES: &[&str] =
    &["navigation", "complementary", "contentinfo", "banner", "search", "dialog", "alertdialog"];

/// Words in a class or id (split at `-`, `_`, spaces) marking boxes of other content:
/// ads, promotion, sharing, related stories, comments, site furniture. Whole words
/// only, so "shadow" or "download" do not match "ad".
const ELSEWHERE_WORDS: &[&str] = &[
    "ad",
    "ads",
    "adv",
    "advert",
    "adverts",
    "advertisement",
    "advertising",
    "adsbygoogle",
    "adslot",
    "adunit",
    "dfp",
    "sponsor",
    "sponsored",
    "promo",
    "promos",
    "promotion",
    "promoted",
    "related",
    "relatedposts",
    "recommended",
    "recirc",
    "popular",
    "trending",
    "mostread",
    "readmore",
    "outbrain",
    "taboola",
    "share",
    "sharing",
    "sharedaddy",
    "social",
    "newsletter",
    "subscribe",
    "subscription",
    "signup",
    "paywall",
    "comment",
    "comments",
    "commentlist",
    "disqus",
    "respond",
    "breadcrumb",
    "breadcrumbs",
    "sidebar",
    "widget",
    "nav",
    "navbar",
    "navigation",
    "menu",
    "footer",
    "cookie",
    "cookies",
    "consent",
];

/// The article's own furniture: metadata is read from it (a byline's `<time>`), but
/// its words are not the story's ("By Ann Lee", a photo caption, an embedded post).
const FURNITURE_TAGS: &[&str] = &["header", "figure", "figcaption", "h1"];
const FURNITURE_WORDS: &[&str] = &[
    "byline",
    "meta",
    "bio",
    "caption",
    "credit",
    "tags",
    "pullquote",
    "tweet",
    "instagram",
    "embed",
];

fn class_words(el: &scraper::node::Element) -> impl Iterator<Item = String> + '_ {
    let class = el.attr("class").unwrap_or("");
    let id = el.attr("id").unwrap_or("");
    // Each name's parts ("related", "posts") and the parts run together
    // ("relatedposts"), so "most-read" and "mostRead" are both "mostread".
    [class, id].into_iter().flat_map(str::split_whitespace).flat_map(|name| {
        let parts = name.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty());
        let joined: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
        parts.map(str::to_ascii_lowercase).chain(std::iter::once(joined.to_ascii_lowercase()))
    })
}

/// True for boxes that belong to the rest of the site (navigation, ads, related
/// stories, comments): neither their text nor their dates are the article's.
fn is_elsewhere(el: &scraper::node::Element) -> bool {
    let name = el.name();
    if ELSEWHERE_TAGS.contains(&name) {
        return true;
    }
    if el
        .attr("role")
        .is_some_and(|r| ELSEWHERE_ROLES.contains(&r.trim().to_ascii_lowercase().as_str()))
    {
        return true;
    }
    class_words(el).any(|w| ELSEWHERE_WORDS.contains(&w.as_str()))
}

/// True for elements whose text is left out of the body.
fn is_skipped(el: &scraper::node::Element) -> bool {
    let name = el.name();
    if NOT_TEXT_TAGS.contains(&name) || FURNITURE_TAGS.contains(&name) || is_hidden(el) {
        return true;
    }
    is_elsewhere(el) || class_words(el).any(|w| FURNITURE_WORDS.contains(&w.as_str()))
}

fn is_hidden(el: &scraper::node::Element) -> bool {
    el.attr("hidden").is_some()
        || el.attr("aria-hidden").is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        || el.attr("style").is_some_and(|s| {
            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            s.to_ascii_lowercase().contains("display:none")
        })
}

fn inside_elsewhere(el: ElementRef) -> bool {
    el.ancestors().filter_map(ElementRef::wrap).any(|a| is_elsewhere(a.value()))
}

// ---------------------------------------------------------------------------
// Metadata

#[derive(Default)]
struct Meta {
    og_title: Option<String>,
    doc_title: Option<String>,
    /// From `<meta>`: `article:published_time`, then microdata `datePublished`.
    date: Option<Date>,
    date_rank: usize,
    /// The first `<time datetime>` of the article (a publication one preferred).
    time_date: Option<Date>,
    time_preferred: bool,
    canonical: Option<String>,
    og_url: Option<String>,
    site_name: Option<String>,
    author: Option<String>,
    ld: LdArticle,
}

/// `<meta>` keys giving the publication date, most trusted first.
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date.issued",
    "dcterms.created",
    "dc.date",
    "date",
];

impl Meta {
    /// One pass over every element of the document.
    fn collect(doc: &Html) -> Meta {
        let mut m = Meta::default();
        for el in doc.root_element().descendent_elements() {
            let v = el.value();
            match v.name() {
                "meta" => m.meta(v),
                "link" => {
                    let rel = v.attr("rel").unwrap_or("");
                    if m.canonical.is_none()
                        && rel.split_whitespace().any(|r| r.eq_ignore_ascii_case("canonical"))
                    {
                        m.canonical = v.attr("href").and_then(clean);
                    }
                }
                "title" if m.doc_title.is_none() && !in_svg(el) => {
                    m.doc_title = clean(&text_of(el))
                }
                "script" => {
                    let ty = v.attr("type").unwrap_or("").trim();
                    if ty.eq_ignore_ascii_case("application/ld+json") {
                        m.ld.read_script(&text_of_raw(el));
                    }
                }
                "time" => m.time(el),
                _ => {}
            }
        }
        m
    }

    fn meta(&mut self, v: &scraper::node::Element) {
        let Some(key) = v.attr("property").or(v.attr("name")).or(v.attr("itemprop")) else {
            return;
        };
        let key = key.trim().to_ascii_lowercase();
        let content = v.attr("content").or(v.attr("datetime")).and_then(clean);
        let Some(content) = content else { return };
        match key.as_str() {
            "og:title" if self.og_title.is_none() => self.og_title = Some(content),
            "og:url" if self.og_url.is_none() => self.og_url = Some(content),
            "og:site_name" if self.site_name.is_none() => self.site_name = Some(content),
            // article:author is often a profile URL, not a name.
            "author" | "article:author" if self.author.is_none() && !content.contains("://") => {
                self.author = Some(content)
            }
            k => {
                if let Some(rank) = DATE_KEYS.iter().position(|d| *d == k) {
                    if let Some(d) = parse_date(&content)
                        .filter(|_| self.date.is_none() || rank < self.date_rank)
                    {
                        self.date = Some(d);
                        self.date_rank = rank;
                    }
                }
            }
        }
    }

    /// A `<time datetime>` outside related boxes and comments; one marked as the
    /// publication time (`itemprop=datePublished`, `pubdate`, a "published" class)
    /// wins over the first, which may be an update time.
    fn time(&mut self, el: ElementRef) {
        if self.time_preferred {
            return;
        }
        let v = el.value();
        let Some(date) = v.attr("datetime").and_then(parse_date) else {
            return;
        };
        let words: Vec<String> = class_words(v).collect();
        let published = v.attr("itemprop").is_some_and(|p| p.eq_ignore_ascii_case("datepublished"))
            || v.attr("pubdate").is_some()
            || words.iter().any(|w| w.starts_with("publish") || w == "pubdate");
        let updated = v.attr("itemprop").is_some_and(|p| p.eq_ignore_ascii_case("datemodified"))
            || words.iter().any(|w| w.starts_with("updat") || w.starts_with("modif"));
        if updated || inside_elsewhere(el) {
            return;
        }
        if published || self.time_date.is_none() {
            self.time_date = Some(date);
            self.time_preferred = published;
        }
    }
}

fn in_svg(el: ElementRef) -> bool {
    el.ancestors().filter_map(ElementRef::wrap).any(|a| a.value().name() == "svg")
}

/// Trims and collapses whitespace; empty means absent.
fn clean(s: &str) -> Option<String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

fn text_of(el: ElementRef) -> String {
    el.text().collect::<Vec<_>>().join(" ")
}

/// Script contents as written (one text node, but be safe with several).
fn text_of_raw(el: ElementRef) -> String {
    el.text().collect()
}

/// The first `<h1>`, else `<h2>`, in or just above the content: the headline when
/// the page has no `og:title` or JSON-LD.
fn first_heading(root: ElementRef) -> Option<String> {
    let scope = std::iter::once(root)
        .chain(root.ancestors().filter_map(ElementRef::wrap))
        .find(|a| matches!(a.value().name(), "article" | "main"))
        .unwrap_or(root);
    ["h1", "h2"].iter().find_map(|tag| {
        scope
            .descendent_elements()
            .find(|e| e.value().name() == *tag && !inside_elsewhere(*e))
            .and_then(|e| clean(&text_of(e)))
    })
}

/// The fields of the first article-like JSON-LD object (`NewsArticle`, `Article`,
/// `BlogPosting`, …); the date of any object with `datePublished` when none is.
#[derive(Default)]
struct LdArticle {
    found: bool,
    headline: Option<String>,
    date: Option<Date>,
    url: Option<String>,
    publisher: Option<String>,
    author: Option<String>,
    body: Option<String>,
}

impl LdArticle {
    fn read_script(&mut self, script: &str) {
        if self.found {
            return;
        }
        // Sites write raw newlines and tabs inside JSON-LD strings, which JSON
        // forbids; outside strings they are whitespace anyway.
        let sanitized: String = script
            .trim()
            .trim_start_matches("<![CDATA[")
            .trim_end_matches("]]>")
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        if let Ok(v) = serde_json::from_str::<Value>(&sanitized) {
            self.visit(&v, 0);
        }
    }

    fn visit(&mut self, v: &Value, depth: usize) {
        if self.found || depth > 8 {
            return;
        }
        match v {
            Value::Array(items) => items.iter().for_each(|i| self.visit(i, depth + 1)),
            Value::Object(obj) => {
                if is_article_type(obj.get("@type")) {
                    self.take(obj);
                    return;
                }
                if self.date.is_none() {
                    self.date =
                        obj.get("datePublished").and_then(Value::as_str).and_then(parse_date);
                }
                if let Some(graph) = obj.get("@graph") {
                    self.visit(graph, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn take(&mut self, obj: &serde_json::Map<String, Value>) {
        self.found = true;
        let s = |k: &str| obj.get(k).and_then(Value::as_str).and_then(clean);
        self.headline = s("headline").or_else(|| s("name"));
        if let Some(d) = obj.get("datePublished").and_then(Value::as_str).and_then(parse_date) {
            self.date = Some(d);
        }
        self.url = s("url").or_else(|| match obj.get("mainEntityOfPage") {
            Some(Value::String(u)) => clean(u),
            Some(Value::Object(o)) => o.get("@id").and_then(Value::as_str).and_then(clean),
            _ => None,
        });
        self.publisher = obj.get("publisher").and_then(name_of);
        self.author = match obj.get("author") {
            Some(Value::Array(items)) => {
                let names: Vec<String> = items.iter().filter_map(name_of).collect();
                (!names.is_empty()).then(|| names.join(", "))
            }
            Some(a) => name_of(a),
            None => None,
        };
        self.body = obj.get("articleBody").and_then(Value::as_str).map(str::to_string);
    }
}

fn is_article_type(t: Option<&Value>) -> bool {
    let article_like = |s: &str| s.ends_with("Article") || s.ends_with("Posting") || s == "Report";
    match t {
        Some(Value::String(s)) => article_like(s),
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).any(article_like),
        _ => false,
    }
}

/// A person or organization: a string, or an object's `name`.
fn name_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => clean(s),
        Value::Object(o) => o.get("name").and_then(Value::as_str).and_then(clean),
        _ => None,
    }
}

/// JSON-LD `articleBody`: paragraphs as the site wrote them, blank-line separated.
fn paragraphs_of(text: &str) -> String {
    let mut out = TextWriter::default();
    for para in text.split('\n') {
        out.text(para);
        out.brk(Break::Paragraph);
    }
    out.finish()
}

// ---------------------------------------------------------------------------
// Where the article's text is

/// The elements holding the article's text, in document order.
///
/// `itemprop=articleBody` when the page marks it (every outermost one: some sites
/// split the body around ads); else the element with the most paragraph text and
/// those of its siblings with a fair share of it (text split around an ad or a
/// photo into several wrappers); else `<article>`, `<main>`, `<body>`.
fn content_roots(doc: &Html) -> Vec<ElementRef<'_>> {
    let root = doc.root_element();
    let is_body = |e: &ElementRef| {
        e.value()
            .attr("itemprop")
            .is_some_and(|p| p.split_whitespace().any(|w| w.eq_ignore_ascii_case("articlebody")))
    };
    let marked: Vec<ElementRef> = root
        .descendent_elements()
        .filter(|e| is_body(e) && !e.ancestors().filter_map(ElementRef::wrap).any(|a| is_body(&a)))
        .collect();
    if !marked.is_empty() {
        return marked;
    }
    let best = Scorer::best(root);
    if !best.is_empty() {
        return best;
    }
    let fallback = root
        .descendent_elements()
        .find(|e| is_container(e.value()) && !inside_elsewhere(*e))
        .or_else(|| root.descendent_elements().find(|e| e.value().name() == "body"));
    vec![fallback.unwrap_or(root)]
}

fn is_container(el: &scraper::node::Element) -> bool {
    matches!(el.name(), "article" | "main")
        || el.attr("role").is_some_and(|r| r.eq_ignore_ascii_case("main"))
}

/// Deeper nesting than this is not read: real pages stay far below it, and the
/// walks recurse.
const MAX_DEPTH: usize = 256;

/// Paragraphs shorter than this ("Advertisement", "Share this:") do not count.
const MIN_PARAGRAPH: usize = 25;
/// A paragraph beside the best element joins it from this length on.
const MIN_SIBLING_PARAGRAPH: usize = 80;

/// A `<p>`, or a `<div>` holding no blocks: some sites use no `<p>` at all.
fn is_paragraph(el: ElementRef) -> bool {
    let name = el.value().name();
    name == "p"
        || (name == "div" && !el.child_elements().any(|c| BLOCK_TAGS.contains(&c.value().name())))
}

fn text_len(el: ElementRef) -> usize {
    el.text().map(|t| t.trim().len()).sum()
}

/// A paragraph's length for scoring: 0 when it is short, or mostly links (a list
/// of headlines, a menu written as a `<div>`).
fn paragraph_score(el: ElementRef) -> usize {
    let len = text_len(el);
    if len < MIN_PARAGRAPH {
        return 0;
    }
    let linked: usize =
        el.descendent_elements().filter(|e| e.value().name() == "a").map(text_len).sum();
    if linked * 2 > len {
        0
    } else {
        len
    }
}

/// Scores elements by the paragraph text they hold: each visible paragraph's length
/// counts fully for its parent and half for its grandparent (so text split over
/// several wrappers still scores for their common parent), skipping boxes that
/// are not the article.
struct Scorer<'a> {
    elements: Vec<ElementRef<'a>>,
    scores: Vec<usize>,
}

impl<'a> Scorer<'a> {
    /// The best-scoring element, with those of its siblings that score at least a
    /// fifth of it or are long paragraphs; empty when the page has no paragraph.
    fn best(root: ElementRef<'a>) -> Vec<ElementRef<'a>> {
        let mut s = Scorer { elements: Vec::new(), scores: Vec::new() };
        s.walk(root, &mut Vec::new());
        // The first of equal scores: the earliest in the document.
        let Some((i, &top)) = s
            .scores
            .iter()
            .enumerate()
            .filter(|(_, score)| **score > 0)
            .max_by_key(|(i, score)| (**score, std::cmp::Reverse(*i)))
        else {
            return Vec::new();
        };
        let best = s.elements[i];
        let Some(parent) = best.parent().and_then(ElementRef::wrap) else {
            return vec![best];
        };
        let score_of: std::collections::HashMap<_, usize> =
            s.elements.iter().zip(&s.scores).map(|(e, score)| (e.id(), *score)).collect();
        parent
            .child_elements()
            .filter(|sib| {
                sib.id() == best.id()
                    || (!is_skipped(sib.value())
                        && (score_of
                            .get(&sib.id())
                            .is_some_and(|score| *score > 0 && score * 5 >= top)
                            || (is_paragraph(*sib)
                                && paragraph_score(*sib) >= MIN_SIBLING_PARAGRAPH)))
            })
            .collect()
    }

    fn walk(&mut self, el: ElementRef<'a>, parents: &mut Vec<usize>) {
        if parents.len() > MAX_DEPTH || is_skipped(el.value()) {
            return;
        }
        if is_paragraph(el) {
            let len = paragraph_score(el);
            if len > 0 {
                let n = parents.len();
                if let Some(&p) = parents.last() {
                    self.scores[p] += len;
                }
                if n >= 2 {
                    self.scores[parents[n - 2]] += len / 2;
                }
            }
            return;
        }
        let idx = self.elements.len();
        self.elements.push(el);
        self.scores.push(0);
        parents.push(idx);
        for child in el.child_elements() {
            self.walk(child, parents);
        }
        parents.pop();
    }
}

// ---------------------------------------------------------------------------
// Text

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Break {
    Line,
    Paragraph,
}

/// Tags that start and end a paragraph of the body.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "pre",
    "table",
    "tr",
    "hr",
    "address",
    "details",
    "summary",
    "center",
    "body",
    "html",
];

/// Builds the body: whitespace collapsed as a browser does, block elements as
/// paragraphs separated by one blank line, `<br>` as a line break, `<q>` in
/// curly quotation marks.
#[derive(Default)]
struct TextWriter {
    out: String,
    pending: Option<Break>,
    space: bool,
    /// The next word attaches to the last one (after an opening quotation mark,
    /// before a closing one).
    glue: bool,
    depth: usize,
}

impl TextWriter {
    fn brk(&mut self, b: Break) {
        self.pending = Some(self.pending.map_or(b, |p| p.max(b)));
    }

    fn text(&mut self, t: &str) {
        if t.starts_with(char::is_whitespace) {
            self.space = true;
        }
        for (i, word) in t.split_whitespace().enumerate() {
            if i > 0 {
                self.space = true;
            }
            if word.is_ascii() || !word.contains(is_invisible) {
                self.word(word);
            } else {
                let visible: String = word.chars().filter(|c| !is_invisible(*c)).collect();
                if !visible.is_empty() {
                    self.word(&visible);
                }
            }
        }
        if t.ends_with(char::is_whitespace) {
            self.space = true;
        }
    }

    fn word(&mut self, word: &str) {
        if !self.out.is_empty() && !self.glue {
            match self.pending {
                Some(Break::Paragraph) => self.out.push_str("\n\n"),
                Some(Break::Line) => self.out.push('\n'),
                _ if self.space => self.out.push(' '),
                _ => {}
            }
        }
        self.pending = None;
        self.space = false;
        self.glue = false;
        self.out.push_str(word);
    }

    fn element_children(&mut self, el: ElementRef) {
        if self.depth > MAX_DEPTH {
            return;
        }
        self.depth += 1;
        for child in el.children() {
            match child.value() {
                Node::Text(t) => self.text(t),
                Node::Element(_) => {
                    if let Some(e) = ElementRef::wrap(child) {
                        self.element(e);
                    }
                }
                _ => {}
            }
        }
        self.depth -= 1;
    }

    fn element(&mut self, el: ElementRef) {
        let v = el.value();
        let name = v.name();
        if name == "br" {
            self.brk(Break::Line);
            return;
        }
        if is_skipped(v) {
            // A skipped box between two words still separates them.
            self.space = true;
            return;
        }
        let block = BLOCK_TAGS.contains(&name);
        if block {
            self.brk(Break::Paragraph);
        } else if matches!(name, "td" | "th") {
            self.space = true;
        }
        if name == "q" {
            // Browsers show <q> in quotation marks; the extractor needs them.
            self.word("\u{201c}");
            self.glue = true;
            self.element_children(el);
            self.glue = true;
            self.word("\u{201d}");
        } else {
            self.element_children(el);
        }
        if block {
            self.brk(Break::Paragraph);
        }
    }

    fn finish(mut self) -> String {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        self.out
    }
}

/// Characters that are in the markup but not in the words: soft hyphens, zero-width
/// spaces and joiners, byte-order marks.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn paragraphs_whitespace_entities_and_inline_markup() {
        let page = parse(
            "<html><body><article><p>Ann  <b>Lee</b>\n said &ldquo;no&rdquo;&nbsp;today.</p>\
             <p>Second<br>line, <q>quoted</q> and soft\u{ad}hyphen.</p></article></body></html>",
        );
        assert_eq!(
            page.body.as_deref().unwrap_or(""),
            "Ann Lee said “no” today.\n\nSecond\nline, “quoted” and softhyphen.\n"
        );
    }

    #[test]
    fn boilerplate_is_left_out() {
        let page = parse(
            "<body><nav><p>Home News Sport and a long menu of many sections</p></nav>\
             <main><article><header><h1>Headline</h1><p class=byline>By Tom Baker</p></header>\
             <p>The first paragraph of the article, long enough to count.</p>\
             <div class=\"ad-slot\"><p>Buy our product today, it is a very good one.</p></div>\
             <div class=\"share-tools\">Share this</div>\
             <figure><img src=x><figcaption>Ann Lee at the meeting.</figcaption></figure>\
             <p>The second paragraph of the article, also long enough.</p>\
             <section id=comments><p>I disagree with all of this, wrote a reader.</p></section>\
             </article><aside><p>Related: another story that is long enough</p></aside></main></body>",
        );
        assert_eq!(
            page.body.as_deref().unwrap_or(""),
            "The first paragraph of the article, long enough to count.\n\nThe second paragraph of the article, also long enough.\n"
        );
        assert_eq!(page.title.as_deref(), Some("Headline"));
    }

    #[test]
    fn words_in_class_names_match_whole() {
        // "shadow", "download" and "overflow-hidden" are not ads or hidden boxes.
        let page = parse(
            "<body><div class=\"shadow overflow-hidden\" id=download><p>Visible text of the article body here.</p></div></body>",
        );
        assert_eq!(page.body.as_deref().unwrap_or(""), "Visible text of the article body here.\n");
    }

    #[test]
    fn metadata_from_meta_link_and_json_ld() {
        let page = parse(
            r#"<html><head><title>T | Site</title>
            <link rel="canonical" href="https://example.com/a">
            <meta property="og:site_name" content="Example News">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebPage","datePublished":"2001-01-01"},
              {"@type":["NewsArticle"],"headline":"Line
break","datePublished":"2024-05-06T23:10:00-04:00","author":[{"@type":"Person","name":"Ann Lee"},"Tom Baker"],
               "publisher":{"@type":"Organization","name":"Wire"}}]}</script>
            </head><body><p>Short.</p></body></html>"#,
        );
        assert_eq!(page.title.as_deref(), Some("Line break"));
        assert_eq!(page.date, Some(date(2024, 5, 6)));
        assert_eq!(page.url.as_deref(), Some("https://example.com/a"));
        assert_eq!(page.source.as_deref(), Some("Example News"));
        assert_eq!(page.author.as_deref(), Some("Ann Lee, Tom Baker"));
    }

    #[test]
    fn dates_meta_before_json_ld_before_time() {
        let meta = r#"<meta property="article:published_time" content="2023-02-03T10:00:00Z">"#;
        let ld = r#"<script type="application/ld+json">{"@type":"Article","datePublished":"2022-01-01"}</script>"#;
        let time = r#"<aside><time datetime="2019-09-09">x</time></aside>
            <article><time class="updated" datetime="2021-07-08">u</time><time datetime="2021-07-07">t</time></article>"#;
        let d = |html: &str| parse(html).date;
        assert_eq!(d(&format!("{meta}{ld}{time}")), Some(date(2023, 2, 3)));
        assert_eq!(d(&format!("{ld}{time}")), Some(date(2022, 1, 1)));
        assert_eq!(d(time), Some(date(2021, 7, 7)));
        assert_eq!(
            d(
                r#"<time datetime="2020-01-02">a</time><time itemprop="datePublished" datetime="2020-01-01">b</time>"#
            ),
            Some(date(2020, 1, 1))
        );
    }

    #[test]
    fn text_split_around_an_ad_is_joined_and_the_deck_left_out() {
        let page = parse(
            "<main><h2>A deck that is not the story, above the text</h2>\
             <div class=part><p>The first paragraph of the story, which is long.</p>\
             <p>The second paragraph of the story, which is long too.</p></div>\
             <div class=ad-box><p>An advertisement, long enough to be counted here.</p></div>\
             <div class=part><p>The third paragraph of the story, after the ad.</p></div>\
             <div class=links><a href=a>One more headline here</a> and <a href=b>another headline</a></div></main>",
        );
        assert_eq!(
            page.body.as_deref().unwrap_or(""),
            "The first paragraph of the story, which is long.\n\nThe second paragraph of the story, which is long too.\n\nThe third paragraph of the story, after the ad.\n"
        );
    }

    #[test]
    fn article_body_split_around_ads_is_joined() {
        let page = parse(
            "<div itemprop=articleBody><p>One.</p></div><div class=ad>Ad</div><div itemprop=articleBody><p>Two.</p></div>",
        );
        assert_eq!(page.body.as_deref().unwrap_or(""), "One.\n\nTwo.\n");
    }

    #[test]
    fn json_ld_body_when_the_markup_has_next_to_none() {
        let page = parse(
            r#"<script type="application/ld+json">{"@type":"NewsArticle","articleBody":"First paragraph of the story, as the site's script would render it.\nSecond paragraph, with more of the story in it."}</script><body><div id=app>Loading</div></body>"#,
        );
        assert_eq!(
            page.body.as_deref().unwrap_or(""),
            "First paragraph of the story, as the site's script would render it.\n\nSecond paragraph, with more of the story in it.\n"
        );
    }

    #[test]
    fn empty_and_broken_pages_do_not_fail() {
        assert_eq!(parse("").body.as_deref(), Some(""));
        assert_eq!(
            parse("<p>unclosed <b>bold <i>text").body.as_deref(),
            Some("unclosed bold text\n")
        );
        let deep = "<div>".repeat(5000) + "deep" + &"</div>".repeat(5000);
        let _ = parse(&deep);
    }
}
