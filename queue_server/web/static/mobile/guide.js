// @ts-check
// /m/guide: 「能办吗？」 search by keyword, browse by category, and go to take a ticket.

import { api } from "../common/api.js";
import { $, draw, html, repeat } from "../common/dom.js";
import { hallKey, hallUrl } from "../common/hall.js";
import { setupLang, localName } from "./i18n.js";

/** @typedef {import("../types/api").components["schemas"]} Schemas */
/** @typedef {Schemas["MatterPublic"] & { service: string }} Matter a matter with the service it is queued under */

const { lang, t } = setupLang();
const EXAMPLES = ["残疾证", "林木采伐", "建房", "养老保险", "优抚"];
/** @type {Schemas["Catalog"] | null} */
let catalog = null;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let timer;
// Answers can arrive out of order on a slow phone network: only the newest request may draw.
let latest = 0;
// The words of the newest search while its answer is on its way. Asking for them again (typing
// stopped, so the search went out, then the resident taps 搜索) would only send a second request.
/** @type {string | null} */
let asking = null;
/** @type {string | null} the category shown: "" for all, null while a search shows */
let browsing = null;

function passQuery() {
  let p = null;
  try { p = sessionStorage.getItem(hallKey("hall.pass")); } catch (e) { p = null; }
  return p ? "&pass=" + encodeURIComponent(p) : "";
}

/** @param {Matter} m */
function modeText(m) {
  if (m.mode === "deferred") return t("mode_deferred", { d: m.promised_days });
  return t("mode_" + m.mode);
}

/**
 * @param {Matter} m
 * @param {string | undefined} serviceName
 */
function card(m, serviceName) {
  return html`<li class="matter${m.handled_here ? "" : " not-here"}" data-code=${m.code}>
    <h2>${m.name}</h2>
    <p class="badge ${m.handled_here ? "yes" : "no"}">${(m.handled_here ? "✔ " : "✖ ") + t(m.handled_here ? "here_yes" : "here_no")}</p>
    <dl><div><dt>${t("mode")}</dt><dd>${modeText(m)}</dd></div><div><dt>${t("department")}</dt><dd>${m.department}</dd></div>
      <div><dt>${t("materials")}</dt><dd><ul class="materials">${m.materials.map((x) => html`<li>${x}</li>`)}</ul></dd></div></dl>
    <a class="btn btn-primary take-link" href=${hallUrl(`/m?service=${encodeURIComponent(m.service)}${passQuery()}`)}>${
      t("take_for", { s: serviceName || m.service })}</a></li>`;
}

/** @param {Matter[]} matters */
function show(matters) {
  const names = serviceNames();
  $("summary").textContent = matters.length ? t("found_n", { n: matters.length }) : t("found_none");
  draw($("results"), repeat(matters, (m) => m.code, (m) => card(m, names[m.service])));
}

function serviceNames() {
  /** @type {Record<string, string>} */
  const names = {};
  for (const c of catalog ? catalog.categories : []) for (const s of c.services) names[s.code] = localName(s, lang);
  return names;
}

/** @param {string} q */
async function search(q) {
  const url = new URL(location.href);
  if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
  url.searchParams.delete("cat");
  history.replaceState(null, "", url.pathname + url.search);
  markBrowse(null);
  clearTimeout(timer);
  if (q === asking) return; // the answer on its way is the answer to this
  const mine = ++latest;
  asking = q;
  try {
    /** @type {Schemas["GuideResult"]} */
    const data = await api("/api/guide?q=" + encodeURIComponent(q));
    if (mine === latest) show(data.matters);
  } catch (e) {
    if (mine === latest) $("summary").textContent = /** @type {Error} */ (e).message;
  } finally {
    if (mine === latest) asking = null;
  }
}

/** @param {string | null | undefined} code null: a search is showing, so no category is marked; "" marks 全部 */
function markBrowse(code) {
  browsing = code === undefined ? null : code;
  drawBrowse();
  $("browse-box", HTMLDetailsElement).open = code === undefined;
}

function drawBrowse() {
  if (!catalog) return;
  /**
   * @param {string} code
   * @param {string} label
   */
  const button = (code, label) => html`<button type="button" data-cat=${code} class=${browsing === code ? "on" : ""}
    @click=${() => browse(code || null)}>${label}</button>`;
  draw($("browse"), html`${button("", t("all"))}${repeat(catalog.categories, (c) => c.code,
    (c) => button(c.code, `${c.code} ${localName(c, lang)}`))}`);
}

/** @param {string | null} code */
function browse(code) {
  if (!catalog) return;
  const url = new URL(location.href);
  url.searchParams.delete("q");
  if (code) url.searchParams.set("cat", code); else url.searchParams.delete("cat");
  history.replaceState(null, "", url.pathname + url.search);
  $("q", HTMLInputElement).value = "";
  clearTimeout(timer);
  latest += 1;
  asking = null;
  markBrowse(code || "");
  /** @type {Matter[]} */
  const out = [];
  for (const c of catalog.categories) {
    if (code && c.code !== code) continue;
    for (const s of c.services) for (const m of s.matters) out.push({ ...m, service: s.code });
  }
  show(out);
  const cat = catalog.categories.find((c) => c.code === code);
  if (cat) $("summary").textContent = t("browse_title", { c: `${cat.code} ${localName(cat, lang)}`, n: out.length });
  $("summary").scrollIntoView({ block: "start" });
}

async function main() {
  const q = $("q", HTMLInputElement);
  draw($("examples"), html`<span data-i18n="try">${t("try")}</span>${EXAMPLES.map((ex) => html`<button type="button"
    class="chip" @click=${() => { q.value = ex; search(ex); }}>${ex}</button>`)}`);
  $("search").addEventListener("submit", (ev) => { ev.preventDefault(); q.blur(); search(q.value.trim()); });
  q.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => { const words = q.value.trim(); if (words) search(words); }, 400);
  });
  $("to-take", HTMLAnchorElement).href = hallUrl("/m" + passQuery().replace("&", "?"));
  try { catalog = await api("/api/catalog"); } catch (e) { $("summary").textContent = /** @type {Error} */ (e).message; return; }
  $("browse-summary").textContent = t("browse", { n: catalog ? catalog.categories.length : 0 });
  drawBrowse();
  const params = new URLSearchParams(location.search);
  const words = params.get("q");
  const cat = params.get("cat");
  if (words) { q.value = words; search(words); }
  else if (cat) browse(cat);
}

main();
