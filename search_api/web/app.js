"use strict";
// The web page: search, exact-phrase search with export, answers by jurisdiction with citations that
// open the report at the cited span. Report text is always inserted as text nodes, never as HTML.

const TEXT = {
  zh: { title: "报告库检索", hybrid: "语义+关键词", phrase: "精确措辞", allPlaces: "全部地区", allYears: "全部年份",
        search: "检索", answer: "按地区回答", close: "关闭", placeholder: "输入问题或措辞，如：各地如何落实行政机关负责人出庭应诉",
        loading: "正在检索…", answering: "正在整理各地回答…", results: n => `共 ${n} 条结果`, none: "没有找到相关内容。可换个说法、换检索方式或减少筛选条件。",
        occurrences: n => `共 ${n} 处`, overview: "概览", without: "未涉及此问题的地区", sources: "出处",
        noGroups: "范围内没有报告涉及这个问题。", notCovered: "报告库不涉及这个问题：没有可以引用的报告。",
        weak: "没有很匹配的结果：以下均为弱匹配。", strong: "强匹配", weakMatch: "弱匹配",
        planned: "计划（工作要点等），非已完成的工作", mixed: "部分出自计划", csv: "导出 CSV", md: "导出 Markdown", place: "地区", year: "年份",
        docNumber: "文号", sentence: "句子", report: "报告", error: "出错了：", empty: "请输入问题或措辞。", chars: "字符" },
  en: { title: "Report archive search", hybrid: "Semantic + keyword", phrase: "Exact phrase", allPlaces: "All places", allYears: "All years",
        search: "Search", answer: "Answer by jurisdiction", close: "Close", placeholder: "A question or wording, e.g. how did each city handle administrative appearance in court",
        loading: "Searching…", answering: "Collecting answers per jurisdiction…", results: n => `${n} results`, none: "Nothing found. Try other words, another mode, or fewer filters.",
        occurrences: n => `${n} occurrences`, overview: "Overview", without: "Jurisdictions that say nothing about it", sources: "Sources",
        noGroups: "No report in scope addresses this question.", notCovered: "The archive does not cover this question: there is nothing to quote.",
        weak: "Nothing matches well: every result below is a weak match.", strong: "strong match", weakMatch: "weak match",
        planned: "planned (from a plan such as a 工作要点), not reported as done", mixed: "partly from a plan", csv: "Export CSV", md: "Export Markdown", place: "Jurisdiction", year: "Year",
        docNumber: "Document no.", sentence: "Sentence", report: "Report", error: "Error: ", empty: "Type a question or a wording.", chars: "characters" },
};
let lang = "zh";
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

function filters() {
  const params = new URLSearchParams();
  if ($("jurisdiction").value) params.set("jurisdiction", $("jurisdiction").value);
  if ($("year").value) params.set("year", $("year").value);
  return params;
}

function where(item) { return [item.jurisdiction || "?", item.year || "?", item.doc_number].filter(Boolean).join(" · "); }

async function search() {
  const q = $("q").value.trim();
  if (!q) { setStatus(t("empty"), "error"); return; }
  const params = filters();
  params.set("q", q); params.set("mode", $("mode").value); params.set("k", "20");
  const phrase = $("mode").value === "phrase";
  setStatus(t("loading"), "loading");
  $("results").replaceChildren();
  try {
    const data = await call(`/api/${phrase ? "phrase" : "search"}?${params}`);
    setStatus(phrase ? t("occurrences")(data.results.length) : t("results")(data.results.length));
    if (!data.results.length) { $("results").append(el("p", { class: "empty" }, t("none"))); return; }
    if (!phrase && !data.strong_matches) $("results").append(el("p", { class: "empty", id: "weak-only" }, t("weak")));
    if (phrase) renderPhrase(q, data.results); else renderPassages(data.results);
  } catch (error) { setStatus(t("error") + error.message, "error"); }
}

function renderPassages(results) {
  for (const p of results) {
    $("results").append(el("div", { class: "card passage" },
      el("div", { class: "meta" }, `${where(p)} · `, el("a", { onclick: () => openReport(p.doc_id, p.start, p.end) }, p.title),
        " · ", el("span", { class: `match ${p.match}` }, p.match === "strong" ? t("strong") : t("weakMatch"))),
      el("div", {}, highlighted(p.text, p.highlights))));
  }
}

function renderPhrase(phrase, results) {
  const rows = results.map(p => ({ place: p.jurisdiction || "", year: p.year || "", number: p.doc_number || "", sentence: p.text, title: p.title }));
  const download = (name, type, content) => {
    const link = el("a", { href: URL.createObjectURL(new Blob([content], { type })), download: name });
    document.body.append(link); link.click(); link.remove();
  };
  const csv = () => ["jurisdiction,year,doc_number,sentence,report"].concat(rows.map(r =>
    [r.place, r.year, r.number, r.sentence, r.title].map(v => `"${String(v).replaceAll('"', '""')}"`).join(","))).join("\n");
  const md = () => [`# ${phrase}`, "", "| jurisdiction | year | doc_number | sentence |", "|---|---|---|---|"].concat(
    rows.map(r => `| ${r.place} | ${r.year} | ${r.number} | ${r.sentence.replaceAll("|", "\\|")} |`)).join("\n");
  $("results").append(el("div", { class: "exports" },
    el("button", { type: "button", id: "export-csv", onclick: () => download("phrase.csv", "text/csv", "\ufeff" + csv()) }, t("csv")),
    el("button", { type: "button", id: "export-md", onclick: () => download("phrase.md", "text/markdown", md()) }, t("md"))));
  const table = el("table", { id: "occurrences" }, el("tr", {}, el("th", {}, t("place")), el("th", {}, t("year")), el("th", {}, t("docNumber")), el("th", {}, t("sentence"))));
  for (const p of results) {
    table.append(el("tr", {}, el("td", {}, p.jurisdiction || ""), el("td", {}, p.year || ""), el("td", {}, p.doc_number || ""),
      el("td", {}, el("a", { onclick: () => openReport(p.doc_id, p.start + p.highlights[0][0], p.start + p.highlights[0][1]) }, highlighted(p.text, p.highlights)))));
  }
  $("results").append(table);
}

async function answerQuestion() {
  const question = $("q").value.trim();
  if (!question) { setStatus(t("empty"), "error"); return; }
  setStatus(t("answering"), "loading");
  $("results").replaceChildren();
  const body = { question, group_by: "jurisdiction" };
  if ($("jurisdiction").value) body.jurisdiction = $("jurisdiction").value;
  if ($("year").value) body.year = $("year").value;
  try {
    const data = await call("/api/answer", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    setStatus("");
    renderAnswer(data);
  } catch (error) { setStatus(t("error") + error.message, "error"); }
}

function renderAnswer(data) {
  const sources = [];
  const cite = s => {
    let n = sources.findIndex(x => x.doc_id === s.doc_id && x.start === s.start && x.end === s.end) + 1;
    if (!n) { sources.push(s); n = sources.length; }
    return el("a", { class: "cite", "data-cite": n, onclick: () => openReport(s.doc_id, s.start, s.end) }, `[${n}]`);
  };
  const titles = {};
  for (const g of data.groups) for (const p of g.passages) titles[p.doc_id] = p;
  if (data.overview.length) {
    $("results").append(el("div", { class: "card" }, el("h2", {}, t("overview")),
      el("ul", { class: "summary" }, ...data.overview.map(s => el("li", {}, s.text, cite(s), " ", el("span", { class: "note" }, s.note))))));
  }
  for (const g of data.groups) {
    const stance = g.stance === "reported" ? "" : ` · ${t(g.stance)}`;
    $("results").append(el("div", { class: "card group" }, el("h2", {}, g.label, el("span", { class: "stance" }, stance)),
      el("ul", { class: "summary" }, ...g.summary.map(s => el("li", {}, s.text, cite(s))))));
  }
  if (!data.groups.length) $("results").append(el("p", { class: "empty", id: "not-covered" }, data.covered === false ? t("notCovered") : t("noGroups")));
  if (data.without_evidence.length) {
    $("results").append(el("div", { class: "card" }, el("h2", {}, t("without")), el("p", {}, data.without_evidence.join("、"))));
  }
  if (sources.length) {
    $("results").append(el("div", { class: "card" }, el("h2", {}, t("sources")), el("ol", {}, ...sources.map(s => {
      const p = titles[s.doc_id] || {};
      return el("li", {}, el("a", { onclick: () => openReport(s.doc_id, s.start, s.end) }, p.title || s.doc_id),
        ` (${where(p)}), ${p.source || ""}, ${t("chars")} ${s.start}–${s.end}`);
    }))));
  }
}

async function openReport(docId, start, end) {
  try {
    const doc = await call(`/api/documents/${encodeURIComponent(docId)}`);
    $("viewer-title").textContent = doc.title;
    $("viewer-meta").textContent = [doc.jurisdiction, doc.year, doc.doc_number, doc.publish_date, doc.source].filter(Boolean).join(" · ");
    const text = doc.clean_text;
    const mark = el("mark", { id: "cited" }, text.slice(start, end));
    $("viewer-text").replaceChildren(text.slice(0, start), mark, text.slice(end));
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
}

$("form").addEventListener("submit", event => { event.preventDefault(); search(); });
$("answer").addEventListener("click", answerQuestion);
$("close").addEventListener("click", () => { $("viewer").hidden = true; });
$("lang").addEventListener("click", () => { lang = lang === "zh" ? "en" : "zh"; applyLanguage(); });
applyLanguage();
loadFacets();
