// whosaid serve: the page's behaviour. Plain JavaScript, no framework, no build step.
//
// The state (query, filters, order and page) lives in the URL, so reload, back and
// links work.
// Every change asks the API again: /api/search for hits and facets, /api/who for the
// ranked speakers, and /api/search without the date filters (limit 0) for the
// histogram, so the whole date range stays visible while a part of it is chosen; a
// long run of empty periods in it is one narrow gap, so years with no statement do
// not squeeze the bars that have some.
// Text from the index only ever goes into the page as text (textContent), never as
// markup. A speaker is shown, and filtered on, by its label: "unnamed: analysts" for
// a description nobody is named by, never as if it were a person called that.
"use strict";

const PAGE = 20;          // hits per page
const TOP_FACETS = 12;    // facet values shown before "show all"
const WHO_SPEAKERS = 5;
const BAR_MAX_PX = 96;    // the bars' max-width in style.css
const GAP_PX = 22;        // a folded gap's width in style.css (#bars .gap)
const FOLD_EMPTY = 3;     // longer runs of empty periods fold into one gap, as `timeline` folds them
const MONTH_BARS = 48;    // more months than this (gaps folded) are drawn per year

const state = { q: "", speaker: [], source: "", kind: "", speaker_type: "", since: "", until: "", sort: "", offset: 0 };
const SINGLE_FILTERS = ["source", "kind", "speaker_type"];
const expanded = { speaker: false, source: false };
let generation = 0;
let periods = [];         // the histogram's bars and gaps: {label, since, until, count, gap?}
let drag = null;          // {anchor, last} while a range is being drawn

const $ = (selector) => document.querySelector(selector);

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props || {});
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

const number = (n) => n.toLocaleString("en-US");
// As the server labels speakers (index::entity::label).
const speakerLabel = (name, type) => (type === "unnamed" ? `unnamed: ${name}` : name);
const plural = (n, word) => `${number(n)} ${word}${n === 1 ? "" : "s"}`;

// ---- URL and API ---------------------------------------------------------------

function readUrl() {
  const p = new URLSearchParams(location.search);
  state.q = p.get("q") || "";
  state.speaker = p.getAll("speaker").filter(Boolean);
  for (const key of [...SINGLE_FILTERS, "since", "until"]) state[key] = p.get(key) || "";
  state.sort = ["date", "-date"].includes(p.get("sort")) ? p.get("sort") : "";
  state.offset = Math.max(0, Math.floor(Number(p.get("offset")) || 0));
}

// The query and filters as URL parameters; `dates: false` leaves since/until out;
// `page: true` adds the order and the offset.
function params({ dates = true, limit, page = false } = {}) {
  const p = new URLSearchParams();
  if (state.q.trim()) p.set("q", state.q.trim());
  for (const s of state.speaker) p.append("speaker", s);
  for (const key of SINGLE_FILTERS) if (state[key]) p.set(key, state[key]);
  if (dates) {
    if (state.since) p.set("since", state.since);
    if (state.until) p.set("until", state.until);
  }
  if (page && state.sort) p.set("sort", state.sort);
  if (page && state.offset) p.set("offset", String(state.offset));
  if (limit !== undefined) p.set("limit", String(limit));
  return p;
}

async function api(path, p) {
  const response = await fetch(`${path}?${p}`, { headers: { Accept: "application/json" } });
  let body;
  try {
    body = await response.json();
  } catch {
    throw new Error(`${path}: ${response.status} ${response.statusText}`);
  }
  if (!response.ok) throw new Error(body.error || `${response.status} ${response.statusText}`);
  return body;
}

// ---- Running a search ----------------------------------------------------------

async function run(push) {
  const mine = ++generation;
  document.body.dataset.state = "loading";
  if (push) {
    const query = params({ page: true }).toString();
    history.pushState(null, "", query ? `?${query}` : location.pathname);
  }
  const phrase = state.q.trim();
  try {
    const [search, who, histogram] = await Promise.all([
      api("/api/search", params({ limit: PAGE, page: true })),
      phrase && phrase !== "*" ? api("/api/who", params({ limit: WHO_SPEAKERS })) : null,
      histogramData(),
    ]);
    if (mine !== generation) return;
    $("#error").hidden = true;
    $("main").hidden = false;
    renderFilters();
    renderFacets(search.facets);
    renderHistogram(histogram);
    renderWho(who, search.total);
    renderHits(search);
  } catch (error) {
    if (mine !== generation) return;
    const box = $("#error");
    box.textContent = error.message;
    box.hidden = false;
    // Facets, bars and hits of an earlier search would look like this one's answer.
    $("main").hidden = true;
    renderFilters();
  } finally {
    if (mine === generation) document.body.dataset.state = "ready";
  }
}

// ---- Histogram -----------------------------------------------------------------

const monthNumber = (label) => Number(label.slice(0, 4)) * 12 + Number(label.slice(5, 7)) - 1;
const monthLabel = (n) => `${String(Math.floor(n / 12)).padStart(4, "0")}-${String((n % 12) + 1).padStart(2, "0")}`;
const dayLabel = (d) => d.toISOString().slice(0, 10);

// Bars for a run of months, years or days: one {label, since, until, count} per
// period from `first` to `last` (numbers as `next` counts them), empty ones too.
function fill(first, last, next, label, counts) {
  const out = [];
  for (let n = first; n <= last; n = next(n)) {
    const l = label(n);
    out.push({ label: l, since: l, until: l, count: counts.get(l) || 0 });
  }
  return out;
}

// Each run of more than FOLD_EMPTY empty periods becomes one gap, {gap: N, since,
// until, count: 0}, drawn as a narrow marked column: an index of 1987 and 2016
// would otherwise draw 28 empty years between its bars, squeezing them.
function foldEmpty(list) {
  const out = [];
  for (let i = 0; i < list.length; ) {
    let j = i;
    while (j < list.length && list[j].count === 0) j++;
    if (j - i > FOLD_EMPTY) {
      out.push({ gap: j - i, label: `${list[i].label} – ${list[j - 1].label}`, since: list[i].since, until: list[j - 1].until, count: 0 });
      i = j;
    } else if (j > i) {
      out.push(...list.slice(i, j));
      i = j;
    } else {
      out.push(list[i]);
      i += 1;
    }
  }
  return out;
}

const barCount = (list) => list.filter((p) => !p.gap).length;

// Counts per day when they span at most two months; else per month when that makes
// at most MONTH_BARS bars, else per year. Empty periods in between are filled in,
// long runs of them folded into gaps (foldEmpty).
async function histogramData() {
  const base = params({ dates: false, limit: 0 });
  const result = await api("/api/search", base);
  const months = result.facets.month;
  if (months.length === 0) return { by: "month", periods: [], total: result.total };
  const first = monthNumber(months[0].value);
  const last = monthNumber(months[months.length - 1].value);
  const counts = new Map();
  if (last - first < 2) {
    base.set("by", "day");
    const days = (await api("/api/search", base)).facets.day || [];
    if (days.length === 0) return { by: "day", periods: [], total: result.total };
    for (const c of days) counts.set(c.value, c.count);
    const [from, to] = [days[0].value, days[days.length - 1].value].map((d) => Date.parse(`${d}T00:00:00Z`));
    const periods = fill(from, to, (t) => t + 86400000, (t) => dayLabel(new Date(t)), counts);
    return { by: "day", periods: foldEmpty(periods), total: result.total };
  }
  for (const c of months) counts.set(c.value, c.count);
  const perMonth = foldEmpty(fill(first, last, (m) => m + 1, monthLabel, counts));
  if (barCount(perMonth) <= MONTH_BARS) return { by: "month", periods: perMonth, total: result.total };
  counts.clear();
  for (const c of months) {
    const year = c.value.slice(0, 4);
    counts.set(year, (counts.get(year) || 0) + c.count);
  }
  const yearLabel = (y) => String(y).padStart(4, "0");
  const perYear = fill(Math.floor(first / 12), Math.floor(last / 12), (y) => y + 1, yearLabel, counts);
  return { by: "year", periods: foldEmpty(perYear), total: result.total };
}

// The first and last day a since/until value (YYYY, YYYY-MM or YYYY-MM-DD) stands for.
function firstDay(v) {
  return v.length === 4 ? `${v}-01-01` : v.length === 7 ? `${v}-01` : v;
}
function lastDay(v) {
  if (v.length === 4) return `${v}-12-31`;
  if (v.length === 7) {
    const d = new Date(Date.UTC(Number(v.slice(0, 4)), Number(v.slice(5, 7)), 0));
    return dayLabel(d);
  }
  return v;
}

function inRange(period, since, until) {
  return (!since || lastDay(period.until) >= firstDay(since)) && (!until || firstDay(period.since) <= lastDay(until));
}

function renderHistogram(h) {
  periods = h.periods;
  const bars = $("#bars");
  bars.replaceChildren();
  const max = Math.max(1, ...periods.map((p) => p.count));
  periods.forEach((p, i) => {
    let bar;
    if (p.gap) {
      // Not a button: a gap is passed over by a drag, never chosen on its own.
      const what = plural(p.gap, h.by);
      bar = el("span", { className: "gap", title: `${what} with no statement: ${p.label}`, textContent: `⋯ ${what} ⋯` });
    } else {
      bar = el("button", { type: "button", title: `${p.label}: ${plural(p.count, "statement")}` });
      bar.style.height = p.count ? `${Math.max(3, Math.round((p.count / max) * 100))}%` : "0";
      if (!p.count) bar.classList.add("empty");
    }
    bar.dataset.index = String(i);
    bars.append(bar);
  });
  markRange(state.since || state.until ? [state.since, state.until] : null);
  // A label under a bar where the previous label has ended (about 7.5 pixels a
  // character at this size, and a space), so labels never overlap; the first bar
  // after a gap gets one when there is room, as the axis jumps there.
  const gaps = periods.length - barCount(periods);
  const width = (bars.clientWidth || 800) - gaps * GAP_PX - 2 * Math.max(0, periods.length - 1);
  const cell = Math.min(BAR_MAX_PX, width / Math.max(1, periods.length - gaps));
  const labelPx = Math.max(0, ...periods.map((p) => (p.gap ? 0 : p.label.length))) * 7.5 + 12;
  let x = 0;
  let free = 0;
  const cells = periods.map((p) => {
    const at = x;
    x += (p.gap ? GAP_PX : cell) + 2;
    if (p.gap || at < free) return el("span", { className: p.gap ? "gap" : "" });
    free = at + labelPx;
    return el("span", { textContent: p.label });
  });
  $("#axis").replaceChildren(...cells);
  const dated = periods.reduce((sum, p) => sum + p.count, 0);
  const notes = [];
  if (periods.length) notes.push(`Statements per ${h.by}. Click a bar, or drag across bars, to keep only those dates.`);
  else notes.push("No statement here is dated to the day.");
  if (gaps) notes.push(`⋯ marks ${h.by}s with no statement, left out.`);
  if (h.total > dated) notes.push(`${plural(h.total - dated, "statement")} without a day not drawn.`);
  $("#histogram-note").textContent = notes.join(" ");
}

// Marks the bars (and gaps) within [since, until] (null: none marked).
function markRange(range) {
  const bars = $("#bars");
  bars.classList.toggle("ranged", range !== null);
  for (const bar of bars.children) {
    const p = periods[Number(bar.dataset.index)];
    bar.classList.toggle("in-range", range !== null && inRange(p, range[0], range[1]));
  }
}

// The index of the bar or gap under the pointer, or null.
function barIndex(event) {
  const bar = event.target.closest && event.target.closest("#bars [data-index]");
  return bar ? Number(bar.dataset.index) : null;
}

// The dragged range's since and until. A drag that ends on a gap ends at the bar
// before it (or after it, dragging leftwards): a gap is never an end, so the chip
// names the periods with statements. Gaps are never first or last, nor adjacent.
function dragRange() {
  let [a, b] = [Math.min(drag.anchor, drag.last), Math.max(drag.anchor, drag.last)];
  if (periods[a].gap && a < b) a += 1;
  if (periods[b].gap && b > a) b -= 1;
  return [periods[a].since, periods[b].until];
}

function chooseDates(since, until) {
  // Choosing the range already chosen clears it.
  if (since === state.since && until === state.until) since = until = "";
  state.since = since;
  state.until = until;
  state.offset = 0;
  run(true);
}

function setUpHistogram() {
  const bars = $("#bars");
  bars.addEventListener("pointerdown", (event) => {
    const i = barIndex(event);
    if (i === null || periods[i].gap || event.button !== 0) return;
    event.preventDefault();
    drag = { anchor: i, last: i };
    markRange(dragRange());
  });
  bars.addEventListener("pointerover", (event) => {
    const i = barIndex(event);
    if (drag && i !== null) {
      drag.last = i;
      markRange(dragRange());
    }
  });
  document.addEventListener("pointerup", () => {
    if (!drag) return;
    const [since, until] = dragRange();
    drag = null;
    chooseDates(since, until);
  });
  // Keyboard: Enter or Space on a bar (a click with no pointer behind it).
  bars.addEventListener("click", (event) => {
    const i = barIndex(event);
    if (i !== null && !periods[i].gap && event.detail === 0) chooseDates(periods[i].since, periods[i].until);
  });
}

// ---- Facets and filters --------------------------------------------------------

function isActive(facet, value) {
  return facet === "speaker" ? state.speaker.includes(value) : state[facet] === value;
}

function toggle(facet, value) {
  if (facet === "speaker") {
    state.speaker = isActive(facet, value) ? state.speaker.filter((s) => s !== value) : [...state.speaker, value];
  } else {
    state[facet] = isActive(facet, value) ? "" : value;
  }
  state.offset = 0;
  run(true);
}

// A facet may have tens of thousands of values (every speaker of an archive): the
// page draws at most FACET_ROWS of them, and a filter box above the long facets
// narrows them as the user types, from the counts already fetched (no request).
const FACET_ROWS = 200;   // facet values drawn at most, however many match
const FILTERED_FACETS = ["speaker", "source"];
let lastFacets = {};

// Case and accents aside, so "brun" finds "Brunn" and "jose" finds "José".
const fold = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

function renderFacets(facets) {
  lastFacets = facets;
  for (const facet of ["speaker", "speaker_type", "source", "kind"]) renderFacet(facet);
}

function renderFacet(facet) {
  const counts = lastFacets[facet] || [];
  // A speaker's label both shows it and selects exactly it.
  const valueOf = (c) => (facet === "speaker" ? c.label : c.value);
  const box = document.querySelector(`.facet-filter[data-facet="${facet}"]`);
  if (box) box.hidden = counts.length <= TOP_FACETS && !box.value;
  const wanted = box && !box.hidden ? fold(box.value.trim()) : "";
  const matches = wanted ? counts.filter((c) => fold(valueOf(c)).includes(wanted)) : counts;
  const limit = expanded[facet] || wanted ? FACET_ROWS : TOP_FACETS;
  const shown = matches.slice(0, limit);
  const list = $(`#facet-${facet}`);
  list.replaceChildren(
    ...shown.map((c) => {
      const value = valueOf(c);
      const button = el(
        "button",
        { type: "button", title: `${value}: ${plural(c.count, "statement")}` },
        el("span", { className: "name", textContent: value }),
        el("span", { className: "count", textContent: number(c.count) }),
      );
      if (facet === "speaker" && c.speaker_type) button.dataset.speakerType = c.speaker_type;
      button.setAttribute("aria-pressed", String(isActive(facet, value)));
      button.addEventListener("click", () => toggle(facet, value));
      return el("li", {}, button);
    }),
  );
  if (matches.length === 0) {
    list.append(el("li", { className: "muted small", textContent: wanted ? "no match" : "none" }));
  } else if (matches.length > limit && (limit === FACET_ROWS || box)) {
    const rest = number(matches.length - limit);
    const hint = box ? (wanted ? ": type more to narrow" : ": type to filter") : "";
    list.append(el("li", { className: "muted small facet-rest", textContent: `… and ${rest} more${hint}` }));
  }
  const more = document.querySelector(`.more-facet[data-facet="${facet}"]`);
  if (more) {
    more.hidden = wanted !== "" || counts.length <= TOP_FACETS;
    const all = counts.length > FACET_ROWS ? `show the top ${number(FACET_ROWS)}` : `show all ${number(counts.length)}`;
    more.textContent = expanded[facet] ? "show fewer" : all;
  }
}

function setUpFacetFilters() {
  for (const facet of FILTERED_FACETS) {
    const box = document.querySelector(`.facet-filter[data-facet="${facet}"]`);
    if (box) box.addEventListener("input", () => renderFacet(facet));
  }
}

function renderFilters() {
  const chips = [];
  const chip = (label, remove) => {
    const x = el("button", { type: "button", title: "remove this filter", textContent: "×" });
    x.addEventListener("click", () => {
      remove();
      state.offset = 0;
      run(true);
    });
    chips.push(el("span", { className: "chip" }, label, x));
  };
  for (const s of state.speaker) chip(`speaker: ${s}`, () => (state.speaker = state.speaker.filter((x) => x !== s)));
  if (state.source) chip(`source: ${state.source}`, () => (state.source = ""));
  if (state.kind) chip(`kind: ${state.kind}`, () => (state.kind = ""));
  if (state.speaker_type) chip(`speaker type: ${state.speaker_type}`, () => (state.speaker_type = ""));
  if (state.since || state.until) {
    const label = state.since === state.until ? state.since : `${state.since || "…"} – ${state.until || "…"}`;
    chip(`dates: ${label}`, () => (state.since = state.until = ""));
  }
  $("#chips").replaceChildren(...chips);
  $("#filters").hidden = chips.length === 0;
}

// ---- Statements ----------------------------------------------------------------

// Words of the query worth marking: no operators, no field:value terms.
function queryWords(q) {
  return (q.match(/[\p{L}\p{N}_:]+/gu) || [])
    .filter((w) => !w.includes(":") && !["AND", "OR", "NOT"].includes(w))
    .map((w) => w.toLowerCase());
}

// A word matches a query word when equal, or when one extends the other the way
// the stemmer would ("agree" marks "agreed" and "agreement").
function matchesQuery(word, words) {
  const w = word.toLowerCase();
  return words.some((q) => w === q || (q.length >= 4 && w.startsWith(q)) || (w.length >= 4 && q.startsWith(w) && q.length - w.length <= 2));
}

// `text` as nodes, with the query's words in <mark>; marked words with only spaces,
// hyphens or apostrophes between them make one mark ("cease-fire").
function highlighted(text, words) {
  const parts = text.replace(/\s+/g, " ").trim().split(/([\p{L}\p{N}]+)/u).filter(Boolean);
  const marked = parts.map((part) => /^[\p{L}\p{N}]/u.test(part) && matchesQuery(part, words));
  for (let i = 1; i + 1 < parts.length; i++) {
    if (!marked[i] && marked[i - 1] && marked[i + 1] && /^[\s\-\u2010\u2011'\u2019]{1,2}$/u.test(parts[i])) marked[i] = true;
  }
  const out = [];
  for (let i = 0; i < parts.length; ) {
    let j = i;
    while (j < parts.length && marked[j] === marked[i]) j++;
    const run = parts.slice(i, j).join("");
    out.push(marked[i] ? el("mark", { textContent: run }) : run);
    i = j;
  }
  return out;
}

// `name` is a speaker's label (see speakerLabel).
function speakerButton(name, className) {
  if (!name) return el("span", { className: `${className} unknown`, textContent: "unknown speaker" });
  const button = el("button", { type: "button", className, textContent: name, title: `only statements by ${name}` });
  button.addEventListener("click", () => {
    if (!state.speaker.includes(name)) toggle("speaker", name);
  });
  return button;
}

function dateText(st) {
  return st.date || st.period || "undated";
}

function sourceLink(st) {
  if (st.url && /^https?:\/\//i.test(st.url)) {
    return el("a", { href: st.url, target: "_blank", rel: "noopener noreferrer", textContent: st.title || st.url });
  }
  const where = el("code", { textContent: st.path, title: `bytes ${st.span[0]}–${st.span[1]} of the article` });
  return st.title ? el("span", {}, `${st.title} · `, where) : where;
}

// The article page, scrolled to the statement.
function articleHref(st) {
  return `/article/${encodeURIComponent(st.article)}#statement-${encodeURIComponent(st.id)}`;
}

// The sentence around the statement (`context`, byte offsets), the statement in it
// highlighted; the statement alone when there is no context.
function quoted(st, words) {
  const c = st.context;
  if (!c) return el("blockquote", {}, ...highlighted(st.text, words));
  const bytes = new TextEncoder().encode(c.text);
  const part = (a, b) => new TextDecoder().decode(bytes.subarray(a, b));
  const [a, b] = c.statement;
  return el("blockquote", { className: "context" }, part(0, a), el("span", { className: "said" }, ...highlighted(part(a, b), words)), part(b, bytes.length));
}

function hitItem(st, words) {
  const meta = el("div", { className: "meta" });
  const speaker = st.speaker ? speakerLabel(st.speaker, st.speaker_type) : null;
  meta.append(el("span", {}, speakerButton(speaker, "speaker"), st.role ? `, ${st.role}` : null));
  const date = el("time", { textContent: dateText(st) });
  if (st.date) date.dateTime = st.date;
  date.title = st.date_precision ? `known to the ${st.date_precision}, from the ${st.date_source}` : "no date";
  meta.append(date, el("span", { className: "kind", textContent: st.kind }));
  if (st.source) meta.append(el("span", { textContent: st.source }));
  meta.append(sourceLink(st));
  meta.append(el("a", { href: articleHref(st), className: "article-link", textContent: "article", title: `article ${st.article}: the whole text, this statement marked` }));
  return el("li", { className: "hit" }, quoted(st, words), meta);
}

// One page of hits, and where it is: "hits 21–40 of 1,234 statements matching …".
function renderHits(result) {
  const words = queryWords(state.q);
  const what = state.q.trim() && state.q.trim() !== "*" ? ` “${state.q.trim()}”` : "";
  const [from, to, total] = [result.offset + 1, result.offset + result.hits.length, result.total];
  const paged = result.offset > 0 || result.hits.length < total;
  $("#results-title").textContent = !paged
    ? `${plural(total, "statement")} match${total === 1 ? "es" : ""}${what}`
    : result.hits.length
      ? `hits ${number(from)}–${number(to)} of ${plural(total, "statement")} matching${what}`
      : `no hits past ${number(result.offset)} of ${plural(total, "statement")} matching${what}`;
  $("#hits").replaceChildren(...result.hits.map((h) => hitItem(h, words)));
  $("#sort").value = state.sort;
  $("#pager").hidden = !paged;
  $("#prev").disabled = result.offset === 0;
  $("#next").disabled = to >= total;
  const pages = Math.max(1, Math.ceil(total / PAGE));
  $("#page-note").textContent = `page ${number(Math.floor(result.offset / PAGE) + 1)} of ${number(pages)}`;
}

// Another page of the same search, from its top.
function turnPage(offset) {
  state.offset = Math.max(0, offset);
  run(true).then(() => $("#results").scrollIntoView({ block: "start" }));
}

const MATCH_NOTE = {
  exact: "exact phrase",
  sloppy: "no exact match; the words near each other",
  words: "no phrase match; all the words anywhere",
  none: "no match",
};

// The who box counts the statements its own match found (an exact phrase, when
// there is one), the facets and hits count every statement with all the words: each
// says which, so their numbers are not read as the same count.
const WHO_COUNTS = { exact: "the exact phrase", sloppy: "the words near each other", words: "all the words" };

function renderWho(who, searchTotal) {
  const section = $("#who");
  section.hidden = who === null;
  const differs = who && who.match !== "none" && who.total !== searchTotal;
  const whoCount = differs ? `; the who box counts the ${number(who.total)} with ${WHO_COUNTS[who.match]}` : "";
  $("#facets-note").textContent = `Counts over the ${plural(searchTotal, "statement")} found${whoCount}.`;
  if (who === null) return;
  const note = who.match === "none" ? MATCH_NOTE.none : `${MATCH_NOTE[who.match]}: ${plural(who.total, "statement")}`;
  $("#who-title").replaceChildren(`Who said “${who.query}”? `, el("span", { className: "muted", textContent: `(${note})` }));
  const words = queryWords(who.query);
  $("#who-list").replaceChildren(
    ...who.speakers.map((s) => {
      const dates = s.first_date && s.last_date ? (s.first_date === s.last_date ? s.first_date : `${s.first_date} … ${s.last_date}`) : "undated";
      const counts = `${plural(s.statements, "statement")} in ${plural(s.articles, "article")}, ${dates}`;
      const quote = s.example.text.replace(/\s+/g, " ");
      const short = quote.length > 320 ? `${quote.slice(0, 317)}…` : quote;
      return el(
        "li",
        {},
        el("div", { className: "line" }, speakerButton(s.label, "name link"), el("span", { className: "muted small", textContent: counts })),
        el("p", { className: "quote" }, "“", ...highlighted(short, words), "”"),
      );
    }),
  );
}

// ---- Start ---------------------------------------------------------------------

async function showStats() {
  try {
    const s = await api("/api/stats", new URLSearchParams());
    const range = s.first_date ? ` · ${s.first_date} – ${s.last_date}` : "";
    const unnamed = s.unnamed_speakers ? ` (+ ${number(s.unnamed_speakers)} unnamed)` : "";
    $("#stats").textContent = `${plural(s.statements, "statement")} · ${plural(s.articles, "article")} · ${plural(s.speakers, "speaker")}${unnamed}${range}`;
  } catch (error) {
    $("#stats").textContent = error.message;
  }
}

function start() {
  readUrl();
  $("#q").value = state.q;
  $("#search").addEventListener("submit", (event) => {
    event.preventDefault();
    state.q = $("#q").value;
    state.offset = 0;
    run(true);
  });
  $("#clear").addEventListener("click", () => {
    Object.assign(state, { speaker: [], source: "", kind: "", speaker_type: "", since: "", until: "", offset: 0 });
    run(true);
  });
  $("#prev").addEventListener("click", () => turnPage(state.offset - PAGE));
  $("#next").addEventListener("click", () => turnPage(state.offset + PAGE));
  $("#sort").addEventListener("change", () => {
    state.sort = $("#sort").value;
    state.offset = 0;
    run(true);
  });
  for (const more of document.querySelectorAll(".more-facet")) {
    more.addEventListener("click", () => {
      expanded[more.dataset.facet] = !expanded[more.dataset.facet];
      run(false);
    });
  }
  window.addEventListener("popstate", () => {
    readUrl();
    $("#q").value = state.q;
    run(false);
  });
  setUpHistogram();
  setUpFacetFilters();
  showStats();
  run(false);
}

start();
