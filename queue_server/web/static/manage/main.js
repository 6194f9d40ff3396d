// /manage: wire the pure state and charts to the page, the API and the hall websocket.

import { api } from "/static/common/api.js";
import { connectHall } from "/static/common/hallsocket.js";
import { initCases, onHallMessage, renderCases } from "./cases.js";
import { initFeedback, onFeedbackMessage, renderFeedback } from "./feedback.js";
import { barOption, draw, esc, hbarHeight, hbarOption, PALETTE, shareOption } from "./charts.js";
import { applyStatic, loadLang, localName, otherLang, saveLang, translator } from "./i18n.js";
import {
  addDays, codeLabel, formatDuration, formatMinutes, hourSeries, initialState, kpiTiles,
  OUTCOME_LABELS, reduce, windowView,
} from "./state.js";

const body = document.body;
const $ = (sel) => document.querySelector(sel);
let lang = loadLang();
let t = translator(lang);
let catalog = null;
let lastSummary = null;

/** Switch the page between Chinese and English in place (no reload, no refetch), and remember it. */
function toggleLang() {
  lang = otherLang(lang);
  t = translator(lang);
  saveLang(lang);
  applyStatic(document, lang);
  if (body.dataset.mode === "manage") {
    renderLive();
    if (lastSummary) renderHistory(lastSummary);
    renderCases();
    renderFeedback();
  }
}

/** Look a name up in the public catalogue (for name_en); fall back to the name the stats gave. */
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
  const btn = $("#logout");
  if (btn) btn.addEventListener("click", async () => {
    try { await api("/api/auth/logout", { method: "POST" }); } catch (e) { /* logged out anyway */ }
    location.reload();
  });
}

function wireLogin() {
  const form = $("#login-form");
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    try {
      await api("/api/auth/login", { method: "POST", body: { username: data.get("username"), password: data.get("password") } });
      location.reload();
    } catch (e) {
      $("#login-error").textContent = e.message;
    }
  });
}

// ---- live monitor -------------------------------------------------------------------------
let state = initialState();
let refreshTimer = null;

function dispatch(msg) {
  state = reduce(state, msg);
  renderLive();
  if (state.stale && !refreshTimer) refreshTimer = setTimeout(refreshLive, 700);
}

async function refreshLive() {
  refreshTimer = null;
  try {
    dispatch({ type: "live", data: await api("/api/stats/live") });
  } catch (e) {
    $("#alerts").innerHTML = `<div class="alert error">${esc(t("live_failed", { msg: e.message }))}</div>`;
  }
}

function sinceText(iso) {
  if (!iso || !state.at) return "";
  // Measure against the server's clock (state.at), not the browser's.
  const secs = (Date.parse(state.at) - Date.parse(iso)) / 1000;
  return secs >= 0 ? formatDuration(secs, lang) : "";
}

function renderLive() {
  $("#conn").dataset.state = state.connected ? "on" : "off";
  $("#conn").textContent = t(state.connected ? "conn_on" : "conn_off");
  if (state.at) $("#live-at").textContent = t("updated_at", { time: state.at.slice(11, 19) });
  const alerts = state.alerts || [];
  const kinds = { sla: "alert_sla", device: "alert_device", idle: "alert_idle" };
  $("#alerts").innerHTML = alerts.length
    ? alerts.map((a) => `<div class="alert ${a.level}" data-kind="${esc(a.kind)}"><b>${esc(t("alert_kind", { kind: t(kinds[a.kind] || "alert_other") }))}</b>${esc(a.message)}</div>`).join("")
    : `<div class="alert ok">${esc(t("all_ok"))}</div>`;
  $("#windows").innerHTML = state.windows.map((w) => {
    const v = windowView(w, lang);
    const cur = w.current
      ? `<div class="cur"><b>${esc(w.current.number)}</b> ${esc(v.label)} <span>${esc(sinceText(w.current.since))}</span></div>`
      : `<div class="cur none">${w.status === "closed" ? "—" : esc(t("no_ticket"))}</div>`;
    const clerk = w.clerk ? esc(w.clerk.display_name || w.clerk.username) : esc(t("not_signed_in"));
    return `<div class="win ${v.cls}" data-window="${w.number}">
      <div class="head"><span class="no">${esc(t("win_no", { n: w.number }))}</span><span class="badge">${esc(w.status === "open" ? t(w.current ? "busy" : "free") : v.label)}</span></div>
      <div class="name" title="${esc(nameOf("window", w.number, w.name))}">${esc(nameOf("window", w.number, w.name))} · ${clerk}</div>${cur}
      <div class="today">${esc(t("today", { n: "{N}", avg: formatDuration(w.service_avg_today, lang) })).replace("{N}", `<b>${w.served_today ?? 0}</b>`)}</div></div>`;
  }).join("");
  const sla = Number(body.dataset.slaMinutes) * 60;
  $("#categories tbody").innerHTML = state.categories.map((c) => `<tr data-category="${esc(c.code)}">
      <td><b>${esc(c.code)}</b> ${esc(nameOf("category", c.code, c.name))}</td><td class="num">${c.waiting}</td>
      <td class="num ${c.longest_wait_seconds > sla ? "bad" : ""}">${formatDuration(c.longest_wait_seconds, lang)}</td>
      <td class="num">${c.waiting || c.eta_minutes ? esc(t("eta_min", { n: Math.round(c.eta_minutes) })) : "—"}</td></tr>`).join("");
}

// ---- history --------------------------------------------------------------------------------
function rangeQuery() {
  const f = new FormData($("#range"));
  return `from=${encodeURIComponent(f.get("from"))}&to=${encodeURIComponent(f.get("to"))}`;
}

async function loadHistory() {
  const q = rangeQuery();
  $("#export-csv").href = `/api/stats/export.csv?${q}`;
  $("#export-xlsx").href = `/api/stats/export.xlsx?${q}`;
  $("#history-error").textContent = "";
  let s;
  try {
    s = await api(`/api/stats/summary?${q}`);
  } catch (e) {
    $("#history-error").textContent = e.message;
    return;
  }
  renderHistory(s);
}

function renderHistory(s) {
  lastSummary = s;
  const mins = (v) => formatMinutes(v, lang);
  const dur = (v) => formatDuration(v, lang);
  const empty = { emptyText: t("chart_empty"), sep: t("sep") };
  const tiles = kpiTiles(s, Number(body.dataset.slaMinutes), lang);
  $("#kpis").innerHTML = tiles.map((k) => `<div class="kpi" data-kpi="${k.key}">
      <div class="label">${esc(k.label)}</div>
      <div class="value">${esc(k.value)}${k.unit ? `<small>${esc(k.unit)}</small>` : ""}</div>
      ${k.sub ? `<div class="sub">${esc(k.sub)}</div>` : ""}</div>`).join("");
  const hours = hourSeries(s.by_hour);
  const count = (v) => String(Math.round(v));
  draw($("#chart-hour"), barOption(hours.map((h) => ({ label: t("hour", { h: h.hour }), value: h.issued, line: h.wait_avg })),
    { ...empty, hasLine: true, lineFormat: mins, valueFormat: count, label: t("cap_hour"), barName: t("k_issued"), lineName: t("k_wait_avg") }));
  draw($("#chart-buckets"), barOption(s.wait_buckets.map((b, i) => ({ label: t("bucket", { b: b.bucket }), value: b.count,
    color: ["#2da44e", "#2da44e", "#bf8700", "#e16f24", "#cf222e", "#a40e26"][i] })),
    { ...empty, valueFormat: count, label: t("cap_buckets") }));
  draw($("#chart-outcomes"), shareOption(Object.keys(OUTCOME_LABELS).map((k, i) => ({ label: codeLabel("o_", k, lang), value: s.outcomes[k],
    color: PALETTE[[1, 0, 4, 3][i]] })), { ...empty, label: t("cap_outcomes"), paren: [t("paren_open"), t("paren_close")] }));
  draw($("#chart-window"), barOption(s.by_window.map((w) => ({ label: t("window_short", { n: w.window }), value: w.served, note: mins(w.service_avg) })),
    { ...empty, color: PALETTE[5], valueFormat: count, label: t("cap_window") }));
  const services = s.by_service.slice(0, 12);
  draw($("#chart-service"), hbarOption(services.map((v) => ({ label: nameOf("service", v.service, v.name), value: v.issued,
    text: t("svc_text", { n: v.issued, w: mins(v.wait_avg) }) })), { ...empty, left: lang === "en" ? 250 : 190, right: 150, maxLabel: lang === "en" ? 34 : 12, label: t("cap_service") }),
    hbarHeight(services.length));
  const channels = Object.entries(s.by_channel);
  draw($("#chart-channel"), hbarOption(channels.map(([k, n]) => ({ label: codeLabel("ch_", k, lang), value: n,
    text: t("channel_text", { n }) })), { ...empty, left: lang === "en" ? 130 : 100, right: 120, color: PALETTE[4], label: t("cap_channel") }),
    hbarHeight(channels.length));
  $("#clerks tbody").innerHTML = s.by_clerk.length ? s.by_clerk.map((c) => `<tr><td>${esc(c.name)}</td><td class="num">${c.served}</td>
      <td class="num">${dur(c.service_avg)}</td><td class="num">${c.grades}</td>
      <td class="num">${c.grade_avg ?? "—"}</td><td class="num">${c.satisfied_pct === null ? "—" : c.satisfied_pct.toFixed(1) + "%"}</td></tr>`).join("")
    : `<tr><td colspan="6" class="none">${esc(t("no_served"))}</td></tr>`;
}

function wireHistory() {
  $("#range").addEventListener("submit", (ev) => { ev.preventDefault(); loadHistory(); });
  for (const b of document.querySelectorAll("[data-preset]")) {
    b.addEventListener("click", () => {
      const today = body.dataset.today;
      const p = b.dataset.preset;
      $("#range").elements.to.value = today;
      $("#range").elements.from.value = p === "today" ? today : addDays(today, 1 - Number(p));
      loadHistory();
    });
  }
}

applyStatic(document, lang);
$("#lang-toggle").addEventListener("click", toggleLang);
if (body.dataset.mode === "login") wireLogin();
wireLogout();
if (body.dataset.mode === "manage") {
  wireHistory();
  const params = new URLSearchParams(location.search);
  if (params.get("from")) $("#range").elements.from.value = params.get("from");
  if (params.get("to")) $("#range").elements.to.value = params.get("to");
  refreshLive().then(() => {
    connectHall({ onMessage: (m) => { dispatch(m); onHallMessage(m); onFeedbackMessage(m); }, onStatus: (connected) => dispatch({ type: "status", connected }) });
  });
  setInterval(refreshLive, 15000); // waits grow even when nothing happens
  loadHistory();
  loadCatalog();
  initCases({ today: body.dataset.today, lang: () => lang, t: () => t });
  initFeedback({ today: body.dataset.today, lang: () => lang, t: () => t });
}
