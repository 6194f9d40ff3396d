// @ts-check
// /manage: wire the pure state and charts to the page, the API and the hall websocket.

import { api } from "../common/api.js";
import { $, draw, html, nothing, queryAll, repeat, translated } from "../common/dom.js";
import { hallUrl } from "../common/hall.js";
import { connectHall } from "../common/hallsocket.js";
import { wireLogin } from "../common/login.js";
import { helpPanel } from "../common/help.js";
import { initCases, onHallMessage, renderCases } from "./cases.js";
import { initFeedback, onFeedbackMessage, renderFeedback } from "./feedback.js";
import { initSms, onSmsMessage, renderSms } from "./sms.js";
import { initStaffing, renderStaffing } from "./staffing.js";
import { barOption, chart, hbarHeight, hbarOption, PALETTE, shareOption } from "./charts.js";
import { applyStatic, loadLang, localName, otherLang, saveLang, translator } from "./i18n.js";
import {
  addDays, codeLabel, formatDuration, formatMinutes, hourSeries, initialState, kpiTiles,
  OUTCOME_LABELS, reduce, windowView,
} from "./state.js";

/** @typedef {import("../types/api").components["schemas"]} Schemas */

const body = document.body;
let lang = loadLang();
let t = translator(lang);
/** @type {Schemas["Catalog"] | null} */
let catalog = null;
/** @type {Schemas["StatsSummary"] | null} */
let lastSummary = null;
/** @type {ReturnType<typeof helpPanel> | null} the calls for a guide, on top of the page */
let help = null;

/** Switch the page between Chinese and English in place (no reload, no refetch), and remember it. */
function toggleLang() {
  lang = otherLang(lang);
  t = translator(lang);
  saveLang(lang);
  applyStatic(document, lang);
  if (body.dataset.mode === "manage") {
    if (help) help.render();
    renderLive();
    if (lastSummary) renderHistory(lastSummary);
    renderCases();
    renderFeedback();
    renderStaffing();
    renderSms();
  }
}

/**
 * Look a name up in the public catalogue (for name_en); fall back to the name the stats gave.
 * @param {"window" | "category" | "service"} kind
 * @param {string | number} code
 * @param {string} fallback
 */
function nameOf(kind, code, fallback) {
  if (lang !== "en" || !catalog) return fallback;
  if (kind === "window") return localName((catalog.windows || []).find((w) => w.number === code), lang) || fallback;
  for (const c of catalog.categories || []) {
    if (kind === "category" && c.code === code) return localName(c, lang) || fallback;
    for (const sv of c.services || []) if (kind === "service" && sv.code === code) return localName(sv, lang) || fallback;
  }
  return fallback;
}

async function loadCatalog() {
  try { catalog = await api("/api/catalog"); } catch (e) { return; /* Chinese names still show */ }
  renderLive();
  if (lastSummary) renderHistory(lastSummary);
}

function wireLogout() {
  const btn = document.getElementById("logout");
  if (btn) btn.addEventListener("click", async () => {
    try { await api("/api/auth/logout", { method: "POST" }); } catch (e) { /* logged out anyway */ }
    location.reload();
  });
}

// ---- live monitor -------------------------------------------------------------------------
let state = initialState();
/** @type {ReturnType<typeof setTimeout> | null} */
let refreshTimer = null;
/** @type {string | null} a failed read of the live figures, shown until the next one succeeds */
let liveFailure = null;

/** @param {{ type?: string, [field: string]: any }} msg */
function dispatch(msg) {
  state = reduce(state, msg);
  liveFailure = null; // news arrived: the monitor shows it rather than the old failure
  renderLive();
  if (state.stale && !refreshTimer) refreshTimer = setTimeout(refreshLive, 700);
}

async function refreshLive() {
  refreshTimer = null;
  try {
    dispatch({ type: "live", data: await api("/api/stats/live") });
  } catch (e) {
    liveFailure = /** @type {Error} */ (e).message;
    renderLive();
  }
}

/** @param {string | null | undefined} iso */
function sinceText(iso) {
  if (!iso || !state.at) return "";
  // Measure against the server's clock (state.at), not the browser's.
  const secs = (Date.parse(state.at) - Date.parse(iso)) / 1000;
  return secs >= 0 ? formatDuration(secs, lang) : "";
}

/** @param {string} table the id of a table of the page shell, which always has a tbody */
const tbodyOf = (table) => /** @type {HTMLElement} */ ($(table).querySelector("tbody"));

/** @type {Record<string, string>} */
const ALERT_KINDS = { sla: "alert_sla", device: "alert_device", idle: "alert_idle" };

function renderLive() {
  $("conn").dataset.state = state.connected ? "on" : "off";
  $("conn").textContent = t(state.connected ? "conn_on" : "conn_off");
  if (state.at) $("live-at").textContent = t("updated_at", { time: state.at.slice(11, 19) });
  const alerts = state.alerts || [];
  draw($("alerts"), liveFailure ? html`<div class="alert error">${t("live_failed", { msg: liveFailure })}</div>`
    : alerts.length
      ? repeat(alerts, (a) => `${a.kind}:${a.message}`, (a) => html`<div class="alert ${a.level}" data-kind=${a.kind}><b>${
        t("alert_kind", { kind: t(ALERT_KINDS[a.kind] || "alert_other") })}</b>${a.message}</div>`)
      : html`<div class="alert ok">${t("all_ok")}</div>`);
  draw($("windows"), repeat(state.windows, (w) => w.number, (w) => {
    const v = windowView(w, lang);
    const cur = w.current
      ? html`<div class="cur"><b>${w.current.number}</b> ${v.label} <span>${sinceText(w.current.since)}</span></div>`
      : html`<div class="cur none">${w.status === "closed" ? "—" : t("no_ticket")}</div>`;
    const clerk = w.clerk ? w.clerk.display_name || w.clerk.username : t("not_signed_in");
    const name = nameOf("window", w.number, w.name);
    return html`<div class="win ${v.cls}" data-window=${w.number}>
      <div class="head"><span class="no">${t("win_no", { n: w.number })}</span><span class="badge">${w.status === "open" ? t(w.current ? "busy" : "free") : v.label}</span></div>
      <div class="name" title=${name}>${name} · ${clerk}</div>${cur}
      <div class="today">${translated(t, "today", { n: html`<b>${w.served_today ?? 0}</b>`, avg: formatDuration(w.service_avg_today, lang) })}</div></div>`;
  }));
  const sla = Number(body.dataset.slaMinutes) * 60;
  draw(tbodyOf("categories"), repeat(state.categories, (c) => c.code, (c) => html`<tr data-category=${c.code}>
      <td><b>${c.code}</b> ${nameOf("category", c.code, c.name)}</td><td class="num">${c.waiting}</td>
      <td class="num ${(c.longest_wait_seconds ?? 0) > sla ? "bad" : ""}">${formatDuration(c.longest_wait_seconds, lang)}</td>
      <td class="num">${c.waiting || c.eta_minutes ? t("eta_min", { n: Math.round(c.eta_minutes ?? 0) }) : "—"}</td></tr>`));
}

// ---- history --------------------------------------------------------------------------------
function rangeQuery() {
  const f = new FormData($("range", HTMLFormElement));
  return `from=${encodeURIComponent(String(f.get("from")))}&to=${encodeURIComponent(String(f.get("to")))}`;
}

async function loadHistory() {
  const q = rangeQuery();
  $("export-csv", HTMLAnchorElement).href = hallUrl(`/api/stats/export.csv?${q}`);
  $("export-xlsx", HTMLAnchorElement).href = hallUrl(`/api/stats/export.xlsx?${q}`);
  $("history-error").textContent = "";
  let s;
  try {
    s = await api(`/api/stats/summary?${q}`);
  } catch (e) {
    $("history-error").textContent = /** @type {Error} */ (e).message;
    return;
  }
  renderHistory(s);
}

/** @param {Schemas["StatsSummary"]} s */
function renderHistory(s) {
  lastSummary = s;
  /** @param {number | null} v */
  const mins = (v) => formatMinutes(v, lang);
  /** @param {number | null} v */
  const dur = (v) => formatDuration(v, lang);
  const empty = { emptyText: t("chart_empty") };
  const tiles = kpiTiles(s, Number(body.dataset.slaMinutes), lang);
  draw($("kpis"), repeat(tiles, (k) => k.key, (k) => html`<div class="kpi" data-kpi=${k.key}>
      <div class="label">${k.label}</div>
      <div class="value">${k.value}${k.unit ? html`<small>${k.unit}</small>` : nothing}</div>
      ${k.sub ? html`<div class="sub">${k.sub}</div>` : nothing}</div>`));
  const hours = hourSeries(s.by_hour);
  /** @param {number} v */
  const count = (v) => String(Math.round(v));
  const el = (/** @type {string} */ id) => $(id);
  chart(el("chart-hour"), barOption(hours.map((h) => ({ label: t("hour", { h: h.hour }), value: h.issued, line: h.wait_avg })),
    { ...empty, hasLine: true, lineFormat: mins, valueFormat: count, label: t("cap_hour"), barName: t("k_issued"), lineName: t("k_wait_avg") }));
  chart(el("chart-buckets"), barOption(s.wait_buckets.map((b, i) => ({ label: t("bucket", { b: b.bucket }), value: b.count,
    color: ["#2da44e", "#2da44e", "#bf8700", "#e16f24", "#cf222e", "#a40e26"][i] })),
    { ...empty, valueFormat: count, label: t("cap_buckets") }));
  const outcomes = /** @type {Record<string, number>} */ (s.outcomes);
  chart(el("chart-outcomes"), shareOption(Object.keys(OUTCOME_LABELS).map((k, i) => ({ label: codeLabel("o_", k, lang), value: outcomes[k],
    color: PALETTE[[1, 0, 4, 3][i]] })), { ...empty, label: t("cap_outcomes"), paren: [t("paren_open"), t("paren_close")] }));
  chart(el("chart-window"), barOption(s.by_window.map((w) => ({ label: t("window_short", { n: w.window }), value: w.served, note: mins(w.service_avg) })),
    { ...empty, color: PALETTE[5], valueFormat: count, label: t("cap_window") }));
  const services = s.by_service.slice(0, 12);
  chart(el("chart-service"), hbarOption(services.map((v) => ({ label: nameOf("service", v.service, v.name), value: v.issued,
    text: t("svc_text", { n: v.issued, w: mins(v.wait_avg) }) })), { ...empty, left: lang === "en" ? 250 : 190, right: 150, maxLabel: lang === "en" ? 34 : 12, label: t("cap_service") }),
    hbarHeight(services.length));
  const channels = Object.entries(s.by_channel);
  chart(el("chart-channel"), hbarOption(channels.map(([k, n]) => ({ label: codeLabel("ch_", k, lang), value: n,
    text: t("channel_text", { n }) })), { ...empty, left: lang === "en" ? 130 : 100, right: 120, color: PALETTE[4], label: t("cap_channel") }),
    hbarHeight(channels.length));
  draw(tbodyOf("clerks"), s.by_clerk.length
    ? repeat(s.by_clerk, (c) => c.name, (c) => html`<tr><td>${c.name}</td><td class="num">${c.served}</td>
      <td class="num">${dur(c.service_avg)}</td><td class="num">${c.grades}</td>
      <td class="num">${c.grade_avg ?? "—"}</td><td class="num">${c.satisfied_pct === null ? "—" : c.satisfied_pct.toFixed(1) + "%"}</td></tr>`)
    : html`<tr><td colspan="6" class="none">${t("no_served")}</td></tr>`);
}

function wireHistory() {
  const range = $("range", HTMLFormElement);
  const from = /** @type {HTMLInputElement} */ (range.elements.namedItem("from"));
  const to = /** @type {HTMLInputElement} */ (range.elements.namedItem("to"));
  range.addEventListener("submit", (ev) => { ev.preventDefault(); loadHistory(); });
  for (const b of queryAll("[data-preset]")) {
    b.addEventListener("click", () => {
      const today = body.dataset.today || "";
      const p = b.dataset.preset;
      to.value = today;
      from.value = p === "today" ? today : addDays(today, 1 - Number(p));
      loadHistory();
    });
  }
  const params = new URLSearchParams(location.search);
  if (params.get("from")) from.value = params.get("from") || "";
  if (params.get("to")) to.value = params.get("to") || "";
}

applyStatic(document, lang);
$("lang-toggle").addEventListener("click", toggleLang);
if (body.dataset.mode === "login") wireLogin();
wireLogout();
if (body.dataset.mode === "manage") {
  help = helpPanel($("help-calls"), () => lang);
  help.start();
  setInterval(() => help && help.render(), 1000); // "n 秒前" counts on
  wireHistory();
  refreshLive().then(() => {
    connectHall({
      onMessage: (m) => { dispatch(m); onHallMessage(m); onFeedbackMessage(m); onSmsMessage(m); if (help) help.onHall(m); },
      onStatus: (connected) => { dispatch({ type: "status", connected }); if (connected && help) help.reload(); },
    });
  });
  setInterval(refreshLive, 15000); // waits grow even when nothing happens
  loadHistory();
  loadCatalog();
  initCases({ today: body.dataset.today || "", lang: () => lang, t: () => t });
  initFeedback({ today: body.dataset.today || "", lang: () => lang, t: () => t });
  initStaffing({ lang: () => lang, t: () => t });
  initSms({ today: body.dataset.today || "", lang: () => lang, t: () => t });
}
