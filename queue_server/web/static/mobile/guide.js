// /m/guide: 「能办吗？」 search by keyword, browse by category, and go to take a ticket.

import { api } from "/static/common/api.js";
import { setupLang, localName } from "./i18n.js";

const { lang, t } = setupLang();
const $ = (id) => document.getElementById(id);
const EXAMPLES = ["残疾证", "林木采伐", "建房", "养老保险", "优抚"];
let catalog = null;
let timer = null;
// Answers can arrive out of order on a slow phone network: only the newest request may draw.
let latest = 0;

function passQuery() {
  let p = null;
  try { p = sessionStorage.getItem("hall.pass"); } catch (e) { p = null; }
  return p ? "&pass=" + encodeURIComponent(p) : "";
}

function modeText(m) {
  if (m.mode === "deferred") return t("mode_deferred", { d: m.promised_days });
  return t("mode_" + m.mode);
}

function row(label, value) {
  const div = document.createElement("div");
  const dt = document.createElement("dt");
  dt.textContent = label;
  const dd = document.createElement("dd");
  if (value instanceof Node) dd.append(value); else dd.textContent = value;
  div.append(dt, dd);
  return div;
}

function card(m, serviceName) {
  const li = document.createElement("li");
  li.className = "matter" + (m.handled_here ? "" : " not-here");
  li.dataset.code = m.code;
  const h = document.createElement("h2");
  h.textContent = m.name;
  const badge = document.createElement("p");
  badge.className = "badge " + (m.handled_here ? "yes" : "no");
  badge.textContent = (m.handled_here ? "✔ " : "✖ ") + t(m.handled_here ? "here_yes" : "here_no");
  const dl = document.createElement("dl");
  const ul = document.createElement("ul");
  ul.className = "materials";
  for (const x of m.materials) { const i = document.createElement("li"); i.textContent = x; ul.append(i); }
  dl.append(row(t("mode"), modeText(m)), row(t("department"), m.department), row(t("materials"), ul));
  const a = document.createElement("a");
  a.className = "btn btn-primary take-link";
  a.href = `/m?service=${encodeURIComponent(m.service)}${passQuery()}`;
  a.textContent = t("take_for", { s: serviceName || m.service });
  li.append(h, badge, dl, a);
  return li;
}

function show(matters, names) {
  $("summary").textContent = matters.length ? t("found_n", { n: matters.length }) : t("found_none");
  $("results").replaceChildren(...matters.map((m) => card(m, names[m.service])));
}

function serviceNames() {
  const names = {};
  for (const c of catalog?.categories || []) for (const s of c.services) names[s.code] = localName(s, lang);
  return names;
}

async function search(q) {
  const url = new URL(location.href);
  if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
  url.searchParams.delete("cat");
  history.replaceState(null, "", url.pathname + url.search);
  markBrowse(null);
  clearTimeout(timer);
  const mine = ++latest;
  try {
    const data = await api("/api/guide?q=" + encodeURIComponent(q));
    if (mine === latest) show(data.matters, serviceNames());
  } catch (e) {
    if (mine === latest) $("summary").textContent = e.message;
  }
}

function markBrowse(code) {
  // null: a search is showing, so no category is marked; "" marks 全部.
  for (const b of $("browse").querySelectorAll("button")) b.classList.toggle("on", code !== null && b.dataset.cat === code);
  $("browse-box").open = code === undefined;
}

function browse(code) {
  const url = new URL(location.href);
  url.searchParams.delete("q");
  if (code) url.searchParams.set("cat", code); else url.searchParams.delete("cat");
  history.replaceState(null, "", url.pathname + url.search);
  $("q").value = "";
  clearTimeout(timer);
  latest += 1;
  markBrowse(code || "");
  const out = [];
  for (const c of catalog.categories) {
    if (code && c.code !== code) continue;
    for (const s of c.services) for (const m of s.matters) out.push({ ...m, service: s.code });
  }
  show(out, serviceNames());
  const cat = catalog.categories.find((c) => c.code === code);
  if (cat) $("summary").textContent = t("browse_title", { c: `${cat.code} ${localName(cat, lang)}`, n: out.length });
  $("summary").scrollIntoView({ block: "start" });
}

async function main() {
  for (const ex of EXAMPLES) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "chip";
    b.textContent = ex;
    b.addEventListener("click", () => { $("q").value = ex; search(ex); });
    $("examples").append(b);
  }
  $("search").addEventListener("submit", (ev) => { ev.preventDefault(); $("q").blur(); search($("q").value.trim()); });
  $("q").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => { const q = $("q").value.trim(); if (q) search(q); }, 400);
  });
  $("to-take").href = "/m" + passQuery().replace("&", "?");
  try { catalog = await api("/api/catalog"); } catch (e) { $("summary").textContent = e.message; return; }
  $("browse-summary").textContent = t("browse", { n: catalog.categories.length });
  const all = document.createElement("button");
  all.type = "button";
  all.dataset.cat = "";
  all.textContent = t("all");
  all.addEventListener("click", () => browse(null));
  $("browse").append(all);
  for (const c of catalog.categories) {
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.cat = c.code;
    b.textContent = `${c.code} ${localName(c, lang)}`;
    b.addEventListener("click", () => browse(c.code));
    $("browse").append(b);
  }
  const params = new URLSearchParams(location.search);
  if (params.get("q")) { $("q").value = params.get("q"); search(params.get("q")); }
  else if (params.get("cat")) browse(params.get("cat"));
}

main();
