"use strict";
// The web page: search, exact-phrase search, answers by jurisdiction with a figures table and a year
// comparison, citations that open the report (or the source file) at the cited span, exports, and its
// state in the URL. Report text is always inserted as text nodes, never as HTML.

const TEXT = {
  zh: { title: "报告库检索", hybrid: "语义+关键词", phrase: "精确措辞", allPlaces: "全部地区", allYears: "全部年份",
        search: "检索", answer: "按地区回答", compare: "按年份对比", close: "关闭", placeholder: "输入问题或措辞，如：各地如何落实行政机关负责人出庭应诉",
        loading: "正在检索…", answering: "正在整理各地回答…", results: n => `共 ${n} 条结果`, none: "没有找到相关内容。可换个说法、换检索方式或减少筛选条件。",
        occurrences: n => `共 ${n} 处`, overview: "概览", sources: "出处",
        without: "未涉及此问题的地区", withoutExplain: "范围内这些地区的报告已全部检索，没有一段与此问题相关：它们对此没有记载（并不表示没有开展相关工作）。",
        noGroups: "范围内没有报告涉及这个问题。", notCovered: "报告库不涉及这个问题：没有可以引用的报告。", nothingInScope: "筛选范围内没有报告：",
        weak: "没有很匹配的结果：以下均为弱匹配。", strong: "强匹配", weakMatch: "弱匹配",
        planned: "计划（工作要点等），非已完成的工作", mixed: "部分出自计划", csv: "导出 CSV", md: "导出 Markdown", json: "导出 JSON",
        figuresCsv: "导出数据表 CSV", place: "地区", year: "年份", what: "统计项", value: "数值", source: "出处",
        figures: "数据表", noFigures: "引用的内容中没有回答此问题的数字。", yearByYear: label => `${label}：逐年对比`,
        silent: titles => `未提及（${titles}）`, reportSays: "报告内容",
        typical: n => `典型：与其他 ${n} 个地区的说法相近`, distinctive: label => `独有：仅见于 ${label}`,
        docNumber: "文号", sentence: "句子", report: "报告", error: "出错了：", empty: "请输入问题或措辞。", chars: "字符",
        showRaw: "查看原文件", showClean: "查看清洗后文本", rawChars: "原文件字符",
        types: { annual_report: "年度报告", work_plan: "工作要点/计划", government_work_report: "政府工作报告", notice: "通知", opinion: "意见/办法", other: "其他" } },
  en: { title: "Report archive search", hybrid: "Semantic + keyword", phrase: "Exact phrase", allPlaces: "All places", allYears: "All years",
        search: "Search", answer: "Answer by jurisdiction", compare: "Compare years", close: "Close", placeholder: "A question or wording, e.g. how did each city handle administrative appearance in court",
        loading: "Searching…", answering: "Collecting answers per jurisdiction…", results: n => `${n} results`, none: "Nothing found. Try other words, another mode, or fewer filters.",
        occurrences: n => `${n} occurrences`, overview: "Overview", sources: "Sources",
        without: "Jurisdictions that say nothing about it", withoutExplain: "Every passage of these jurisdictions' reports in scope was searched and none addresses the question: their reports are silent on it (which does not mean nothing was done).",
        noGroups: "No report in scope addresses this question.", notCovered: "The archive does not cover this question: there is nothing to quote.", nothingInScope: "No report in scope: ",
        weak: "Nothing matches well: every result below is a weak match.", strong: "strong match", weakMatch: "weak match",
        planned: "planned (from a plan such as a 工作要点), not reported as done", mixed: "partly from a plan", csv: "Export CSV", md: "Export Markdown", json: "Export JSON",
        figuresCsv: "Export figures CSV", place: "Jurisdiction", year: "Year", what: "What it counts", value: "Value", source: "Source",
        figures: "Figures", noFigures: "No figure in the quoted evidence answers this question.", yearByYear: label => `${label}, year by year`,
        silent: titles => `silent (${titles})`, reportSays: "What the report says",
        typical: n => `typical: close to what the other ${n} groups say`, distinctive: label => `distinctive: only ${label}`,
        docNumber: "Document no.", sentence: "Sentence", report: "Report", error: "Error: ", empty: "Type a question or a wording.", chars: "characters",
        showRaw: "Show the source file", showClean: "Show the clean text", rawChars: "source file characters",
        types: { annual_report: "annual report", work_plan: "work plan", government_work_report: "government work report", notice: "notice", opinion: "opinion", other: "other" } },
};
let lang = "zh";
let rendered = null; // what the results show, to draw it again in the other language: ["answer"|"search"|"phrase", data, query]
const $ = id => document.getElementById(id);
const t = key => TEXT[lang][key];

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "onclick") node.addEventListener("click", value); else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? "")));
  return node;
}

function highlighted(text, spans) {
  const out = document.createDocumentFragment();
  let at = 0;
  for (const [start, end] of spans || []) {
    out.append(text.slice(at, start), el("mark", {}, text.slice(start, end)));
    at = end;
  }
  out.append(text.slice(at));
  return out;
}

function setStatus(message, kind = "") { $("status").className = kind; $("status").textContent = message; }

async function call(url, options) {
  const response = await fetch(url, options);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const detail = Array.isArray(body.detail) ? body.detail.map(d => `${(d.loc || []).slice(-1)[0]}: ${d.msg}`).join("; ") : body.detail;
    throw new Error(detail || response.statusText);
  }
  return body;
}

// ---- state in the URL: q, view (search | phrase | answer), jurisdiction, year, compare, lang ----

function currentState(view) {
  const state = new URLSearchParams();
  state.set("q", $("q").value.trim());
  state.set("view", view);
  if ($("jurisdiction").value) state.set("jurisdiction", $("jurisdiction").value);
  if ($("year").value) state.set("year", $("year").value);
  if ($("compare").checked) state.set("compare", "years");
  if (lang !== "zh") state.set("lang", lang);
  return state;
}

function remember(view) {
  const url = `?${currentState(view)}`;
  if (url !== location.search) history.pushState(null, "", url);
}

function choose(select, value) {
  // A shared link may name a place or year the archive lacks: keep it, so the answer can say so.
  if (value && ![...select.options].some(option => option.value === value)) select.append(el("option", { value }, value));
  select.value = value;
}

async function restore() {
  const state = new URLSearchParams(location.search);
  lang = state.get("lang") === "en" ? "en" : "zh";
  applyLanguage();
  $("q").value = state.get("q") || "";
  choose($("jurisdiction"), state.get("jurisdiction") || "");
  choose($("year"), state.get("year") || "");
  $("compare").checked = state.get("compare") === "years";
  const view = state.get("view");
  $("mode").value = view === "phrase" ? "phrase" : "hybrid";
  if (!$("q").value) { $("results").replaceChildren(); setStatus(""); rendered = null; return; }
  if (view === "answer") await answerQuestion(false); else await search(false);
}

// ---- search and phrase search ----

function filters() {
  const params = new URLSearchParams();
  if ($("jurisdiction").value) params.set("jurisdiction", $("jurisdiction").value);
  if ($("year").value) params.set("year", $("year").value);
  return params;
}

function scopeNotice(notice) {
  // The server says in English why no report is in scope; the page words it in its own language.
  if (lang === "en") return t("nothingInScope") + notice;
  const place = $("jurisdiction").value, year = $("year").value;
  if (place && notice.startsWith(`${place} is not`)) return `${place} 不在报告库中。`;
  if (year && notice.startsWith("no report from")) return `报告库中没有 ${year} 年的报告。`;
  if (notice.includes("each filter alone")) return `报告库中没有 ${place} ${year} 年的报告（每个筛选条件单独都有报告）。`;
  return t("nothingInScope") + notice;
}

function where(item) { return [item.jurisdiction || "?", item.year || "?", item.doc_number].filter(Boolean).join(" · "); }

async function download(url, options, fallbackName) {
  try {
    const response = await fetch(url, options);
    if (!response.ok) throw new Error(response.statusText);
    const name = (response.headers.get("content-disposition") || "").match(/filename="([^"]+)"/)?.[1] || fallbackName;
    const link = el("a", { href: URL.createObjectURL(await response.blob()), download: name });
    document.body.append(link); link.click(); link.remove();
  } catch (error) { setStatus(t("error") + error.message, "error"); }
}

function exportButtons(prefix, urlFor, options = undefined, extra = []) {
  const button = (id, label, format, name) => el("button", { type: "button", id: `${prefix}-${id}`,
    onclick: () => download(urlFor(format), options, name) }, t(label));
  return el("div", { class: "exports" }, button("csv", "csv", "csv", "export.csv"), button("md", "md", "markdown", "export.md"),
    button("json", "json", "json", "export.json"), ...extra);
}

async function search(push = true) {
  const q = $("q").value.trim();
  if (!q) { setStatus(t("empty"), "error"); return; }
  const phrase = $("mode").value === "phrase";
  if (push) remember(phrase ? "phrase" : "search");
  const params = filters();
  params.set("q", q);
  if (!phrase) { params.set("mode", "hybrid"); params.set("k", "20"); }
  setStatus(t("loading"), "loading");
  $("results").replaceChildren();
  try {
    const path = `/api/${phrase ? "phrase" : "search"}`;
    const data = await call(`${path}?${params}`);
    rendered = [phrase ? "phrase" : "search", data, `${path}?${params}`];
    renderSearch();
  } catch (error) { setStatus(t("error") + error.message, "error"); }
}

function renderSearch() {
  const [kind, data, url] = rendered;
  $("results").replaceChildren();
  setStatus(kind === "phrase" ? t("occurrences")(data.results.length) : t("results")(data.results.length));
  if (data.notice) { $("results").append(el("p", { class: "empty", id: "notice" }, scopeNotice(data.notice))); return; }
  if (!data.results.length) { $("results").append(el("p", { class: "empty" }, t("none"))); return; }
  $("results").append(exportButtons("export", format => `${url}&format=${format}`));
  if (kind === "search" && !data.strong_matches) $("results").append(el("p", { class: "empty", id: "weak-only" }, t("weak")));
  if (kind === "phrase") renderPhrase(data.results); else renderPassages(data.results);
}

function renderPassages(results) {
  for (const p of results) {
    $("results").append(el("div", { class: "card passage" },
      el("div", { class: "meta" }, `${where(p)} · `, el("a", { onclick: () => openReport(p) }, p.title),
        " · ", el("span", { class: `match ${p.match}` }, p.match === "strong" ? t("strong") : t("weakMatch"))),
      el("div", {}, highlighted(p.text, p.highlights))));
  }
}

function renderPhrase(results) {
  const table = el("table", { id: "occurrences" }, el("tr", {}, el("th", {}, t("place")), el("th", {}, t("year")), el("th", {}, t("docNumber")), el("th", {}, t("sentence"))));
  for (const p of results) {
    table.append(el("tr", {}, el("td", {}, p.jurisdiction || ""), el("td", {}, p.year || ""), el("td", {}, p.doc_number || ""),
      el("td", {}, el("a", { onclick: () => openReport(p) }, highlighted(p.text, p.highlights)))));
  }
  $("results").append(table);
}

// ---- answers ----

function answerBody() {
  const body = { question: $("q").value.trim(), group_by: "jurisdiction" };
  if ($("jurisdiction").value) body.jurisdiction = $("jurisdiction").value;
  if ($("year").value) body.year = $("year").value;
  if ($("compare").checked) body.compare = "years";
  return body;
}

async function answerQuestion(push = true) {
  if (!$("q").value.trim()) { setStatus(t("empty"), "error"); return; }
  if (push) remember("answer");
  setStatus(t("answering"), "loading");
  $("results").replaceChildren();
  const body = answerBody();
  try {
    const data = await call("/api/answer", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    rendered = ["answer", data, body];
    setStatus("");
    renderAnswer();
  } catch (error) { setStatus(t("error") + error.message, "error"); }
}

function groupHeading(g) {
  const types = g.doc_types.map(type => t("types")[type] || type).join("、");
  const stance = g.stance === "reported" ? "" : ` · ${t(g.stance)}`;
  return el("h2", {}, g.label, el("span", { class: "group-meta" }, ` · ${g.years.join("、") || "?"} · ${types}`),
    el("span", { class: "stance" }, stance));
}

function renderAnswer() {
  const [, data, body] = rendered;
  $("results").replaceChildren();
  const sources = [];
  const cite = s => {
    let n = sources.findIndex(x => x.doc_id === s.doc_id && x.start === s.start && x.end === s.end) + 1;
    if (!n) { sources.push(s); n = sources.length; }
    return el("a", { class: "cite", "data-cite": n, onclick: () => openReport(s) }, `[${n}]`);
  };
  const reports = {};
  for (const g of data.groups) for (const p of g.passages) reports[p.doc_id] = p;
  if (data.notice) { $("results").append(el("p", { class: "empty", id: "notice" }, scopeNotice(data.notice))); return; }
  const post = { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  if (data.groups.length) {
    $("results").append(exportButtons("answer-export", format => `/api/answer?format=${format}&figures=true`, post,
      [el("button", { type: "button", id: "figures-csv", onclick: () => download("/api/answer?format=csv&figures=true", post, "figures.csv") }, t("figuresCsv"))]));
  }
  if (data.overview.length) {
    const note = s => s.note_kind === "typical" ? t("typical")(s.note_about) : s.note_kind === "distinctive" ? t("distinctive")(s.note_about) : s.note;
    $("results").append(el("div", { class: "card" }, el("h2", {}, t("overview")),
      el("ul", { class: "summary" }, ...data.overview.map(s => el("li", {}, s.text, cite(s), " ", el("span", { class: "note" }, note(s)))))));
  }
  const figures = data.groups.flatMap(g => g.figures.map(f => [g, f]));
  if (data.groups.length) {
    const card = el("div", { class: "card", id: "figures" }, el("h2", {}, t("figures")));
    if (figures.length) {
      const table = el("table", { id: "figures-table" }, el("tr", {}, ...["place", "year", "what", "value", "source"].map(k => el("th", {}, t(k)))));
      let previous = null;
      for (const [g, f] of figures) {
        table.append(el("tr", { class: g === previous ? "" : "first-of-group" }, el("td", {}, g === previous ? "" : g.label), el("td", {}, f.year || "?"),
          el("td", {}, f.what), el("td", { class: "value" }, `${f.value} ${f.unit}`), el("td", {}, cite(f))));
        previous = g;
      }
      card.append(table);
    } else card.append(el("p", { class: "empty" }, t("noFigures")));
    $("results").append(card);
  }
  const groups = Object.fromEntries(data.groups.map(g => [g.key, g]));
  for (const place of data.comparison || []) {
    const table = el("table", { class: "comparison" }, el("tr", {}, el("th", {}, t("year")), el("th", {}, t("reportSays")), el("th", {}, t("figures"))));
    for (const entry of place.years) {
      const g = groups[entry.group];
      if (!g) {
        const titles = entry.titles.join("；");
        table.append(el("tr", { class: "silent" }, el("td", {}, entry.year || "?"), el("td", { colspan: 2 }, t("silent")(titles))));
        continue;
      }
      table.append(el("tr", {}, el("td", {}, entry.year || "?"),
        el("td", {}, ...g.summary.flatMap(s => [s.text, cite(s), " "])),
        el("td", {}, ...g.figures.flatMap(f => [`${f.what} ${f.value} ${f.unit}`, cite(f), el("br")]))));
    }
    $("results").append(el("div", { class: "card comparison-card" }, el("h2", {}, t("yearByYear")(place.label)), table));
  }
  for (const g of data.groups) {
    $("results").append(el("div", { class: "card group" }, groupHeading(g),
      el("ul", { class: "summary" }, ...g.summary.map(s => el("li", {}, s.text, cite(s))))));
  }
  if (!data.groups.length) $("results").append(el("p", { class: "empty", id: "not-covered" }, data.covered === false ? t("notCovered") : t("noGroups")));
  if (data.without_evidence.length) {
    $("results").append(el("div", { class: "card", id: "without" }, el("h2", {}, t("without")),
      el("p", { class: "note" }, t("withoutExplain")), el("p", {}, data.without_evidence.join("、"))));
  }
  if (sources.length) {
    $("results").append(el("div", { class: "card" }, el("h2", {}, t("sources")), el("ol", {}, ...sources.map(s => {
      const p = reports[s.doc_id] || {};
      return el("li", {}, el("a", { onclick: () => openReport(s) }, p.title || s.doc_id),
        ` (${where(p)}), ${p.source || ""}, ${t("chars")} ${s.start}–${s.end}` + (s.raw_start === undefined ? "" : `（${t("rawChars")} ${s.raw_start}–${s.raw_end}）`));
    }))));
  }
}

// ---- the report viewer: clean text, or the source file's text, with the cited span marked ----

let viewing = null; // [citation, document with raw text or null]

async function openReport(citation, raw = false) {
  try {
    const doc = await call(`/api/documents/${encodeURIComponent(citation.doc_id)}${raw ? "?raw=true" : ""}`);
    viewing = [citation, raw];
    $("viewer-title").textContent = doc.title;
    $("viewer-meta").textContent = [doc.jurisdiction, doc.year, doc.doc_number, doc.publish_date, doc.source].filter(Boolean).join(" · ");
    const text = raw ? doc.raw_text : doc.clean_text;
    const [start, end] = raw ? [citation.raw_start, citation.raw_end] : [citation.start, citation.end];
    const mark = el("mark", { id: "cited" }, text.slice(start, end));
    $("viewer-text").replaceChildren(text.slice(0, start), mark, text.slice(end));
    $("raw-toggle").hidden = citation.raw_start === undefined;
    $("raw-toggle").textContent = raw ? t("showClean") : t("showRaw");
    $("viewer").hidden = false;
    mark.scrollIntoView({ block: "center" });
  } catch (error) { setStatus(t("error") + error.message, "error"); }
}

async function loadFacets() {
  try {
    const data = await call("/api/facets");
    for (const place of data.jurisdictions) {
      $("jurisdiction").append(el("option", { value: place.name }, `${place.name} (${place.count})`));
      for (const d of place.districts) $("jurisdiction").append(el("option", { value: d.name }, `　${d.name} (${d.count})`));
    }
    for (const y of data.years) $("year").append(el("option", { value: y.year }, `${y.year} (${y.count})`));
  } catch (error) { setStatus(t("error") + error.message, "error"); }
}

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
  $("q").placeholder = t("placeholder");
  $("lang").textContent = lang === "zh" ? "English" : "中文";
  document.title = t("title");
  if (viewing) $("raw-toggle").textContent = viewing[1] ? t("showClean") : t("showRaw");
}

$("form").addEventListener("submit", event => { event.preventDefault(); search(); });
$("answer").addEventListener("click", () => answerQuestion());
$("close").addEventListener("click", () => { $("viewer").hidden = true; });
$("raw-toggle").addEventListener("click", () => viewing && openReport(viewing[0], !viewing[1]));
$("lang").addEventListener("click", () => {
  lang = lang === "zh" ? "en" : "zh";
  applyLanguage();
  if (rendered) { if (rendered[0] === "answer") renderAnswer(); else renderSearch(); }
  if (new URLSearchParams(location.search).has("q")) history.replaceState(null, "", `?${currentState(new URLSearchParams(location.search).get("view") || "search")}`);
});
window.addEventListener("popstate", restore);
applyLanguage();
loadFacets().then(restore);
