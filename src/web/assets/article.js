// whosaid serve: the article page, /article/ID. Reads /api/article?id=ID and shows
// the whole text with each statement marked (id "statement-ID", so a hit's link
// lands on it) and attributed: speaker, cue, date and kind on hover and in the
// list beside the text. Plain JavaScript, no framework, no build step.
// Text from the index only ever goes into the page as text (textContent), never as
// markup. Statement offsets are bytes of the UTF-8 body, so the body is cut as bytes.
"use strict";

const $ = (selector) => document.querySelector(selector);

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props || {});
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

// As the server labels speakers (index::entity::label).
const speakerLabel = (name, type) => (type === "unnamed" ? `unnamed: ${name}` : name);

// "Ann Lee — said — 2025-03-10 (from the dateline) — direct"
function attribution(st) {
  const who = st.speaker ? speakerLabel(st.speaker, st.speaker_type) : "unknown speaker";
  const when = st.date || st.period || "undated";
  const from = st.date_source && (st.date || st.period) ? ` (from the ${st.date_source})` : "";
  return `${who}${st.role ? `, ${st.role}` : ""} — ${st.cue || "no cue"} — ${when}${from} — ${st.kind}`;
}

// The body as text nodes and <mark>s: cut at every statement's start and end, each
// piece marked as the innermost statement over it; the first piece of a statement
// carries its anchor.
function markedBody(body, statements) {
  const bytes = new TextEncoder().encode(body);
  const decode = (a, b) => new TextDecoder().decode(bytes.subarray(a, b));
  const valid = statements.filter((st) => st.span[0] < st.span[1] && st.span[1] <= bytes.length);
  const cuts = [...new Set([0, bytes.length, ...valid.flatMap((st) => st.span)])].sort((a, b) => a - b);
  const anchored = new Set();
  const out = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [a, b] = [cuts[i], cuts[i + 1]];
    const over = valid.filter((st) => st.span[0] <= a && b <= st.span[1]);
    const text = decode(a, b);
    if (over.length === 0) {
      out.push(text);
      continue;
    }
    // Innermost: the one that starts last (then ends first).
    const st = over.reduce((x, y) => (y.span[0] > x.span[0] || (y.span[0] === x.span[0] && y.span[1] < x.span[1]) ? y : x));
    const mark = el("mark", { className: `statement kind-${st.kind}`, textContent: text, title: attribution(st) });
    mark.dataset.statement = st.id;
    for (const s of over) {
      if (!anchored.has(s.id) && s.span[0] === a) {
        anchored.add(s.id);
        if (s === st) mark.id = `statement-${s.id}`;
        else out.push(el("span", { id: `statement-${s.id}`, className: "anchor" }));
      }
    }
    out.push(mark);
  }
  return out;
}

function statementItem(st) {
  const link = el("a", { href: `#statement-${st.id}`, textContent: st.text.replace(/\s+/g, " ").slice(0, 160) + (st.text.length > 160 ? "…" : "") });
  link.addEventListener("click", (event) => {
    event.preventDefault();
    history.replaceState(null, "", `#statement-${st.id}`);
    focusStatement();
  });
  return el("li", {}, el("div", { className: "small" }, attribution(st)), el("blockquote", {}, link));
}

function render(view) {
  const a = view.article;
  document.title = `whosaid: ${a.title || a.id}`;
  $("#article-title").textContent = a.title || "(untitled)";
  const about = [];
  if (a.source) about.push(a.source);
  if (a.date) about.push(a.date);
  if (a.author) about.push(`by ${a.author}`);
  const parts = about.map((t) => el("span", { textContent: t }));
  if (a.url && /^https?:\/\//i.test(a.url)) {
    parts.push(el("a", { href: a.url, target: "_blank", rel: "noopener noreferrer", textContent: a.url }));
  } else if (a.url) {
    parts.push(el("span", { textContent: a.url }));
  }
  parts.push(el("code", { textContent: a.path }), el("code", { textContent: `article ${a.id}` }));
  $("#article-about").replaceChildren(...parts.flatMap((p, i) => (i ? [" · ", p] : [p])));
  $("#article-body").replaceChildren(...markedBody(a.body, view.statements));
  $("#statement-list").replaceChildren(...view.statements.map(statementItem));
  if (view.statements.length === 0) $("#statement-list").replaceChildren(el("li", { className: "muted", textContent: "No statements found in this article." }));
}

// The statement the address names, marked and scrolled into view: the browser's own
// jump to the anchor happened before the text was there.
function focusStatement() {
  for (const old of document.querySelectorAll(".statement.target")) old.classList.remove("target");
  const id = decodeURIComponent(location.hash.slice(1));
  if (!id.startsWith("statement-")) return;
  const target = document.getElementById(id);
  if (!target) return;
  const stId = id.slice("statement-".length);
  for (const mark of document.querySelectorAll(".statement")) {
    if (mark.dataset.statement === stId) mark.classList.add("target");
  }
  target.scrollIntoView({ block: "center" });
}

async function start() {
  const id = decodeURIComponent(location.pathname.slice("/article/".length));
  try {
    const response = await fetch(`/api/article?${new URLSearchParams({ id })}`, { headers: { Accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || `${response.status} ${response.statusText}`);
    render(body);
    focusStatement();
    document.body.dataset.state = "ready";
  } catch (error) {
    $("#error").textContent = error.message;
    $("#error").hidden = false;
    document.body.dataset.state = "error";
  }
  window.addEventListener("hashchange", focusStatement);
}

start();
