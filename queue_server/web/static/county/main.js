// @ts-check
// /county: poll the county overview and this month's figures, and draw the halls ranked, with alerts.
// Everything is redrawn in place (keyed rows, the same chart instances), so a refresh keeps the scroll
// position and the chosen sort.

import { api, ApiError } from "../common/api.js";
import { $, draw, html, nothing, repeat } from "../common/dom.js";
import { wireLogin } from "../common/login.js";
import { chart, hbarHeight, hbarOption, larger, PALETTE } from "../manage/charts.js";
import { applyStatic, loadLang, otherLang, saveLang, translator } from "./i18n.js";
import * as S from "./state.js";

/** @typedef {import("../types/api").components["schemas"]} Schemas */
/** @typedef {{ code: string, name: string, [field: string]: any }} Row */

const body = document.body;
const SLA_KEY = "hall.county.slaAlert";
const POLL_MS = Math.max(2, Number(body.dataset.pollSeconds) || 5) * 1000;
const STATS_MS = 60000; // the month's figures move slowly; the live ones every few seconds
let lang = loadLang();
let t = translator(lang);
/** @type {Record<string, string>} code → short name, from the public list of halls */
let shortNames = {};

/** @returns {string | null} */
function storedSla() {
  try { return localStorage.getItem(SLA_KEY); } catch (e) { return null; }
}

let state = S.initialState(Number(body.dataset.slaAlert), storedSla());

/** @param {{ type: string, [field: string]: any }} msg */
function dispatch(msg) {
  state = S.reduce(state, msg);
  render();
}

/** @param {{ code: string, name: string }} h */
const hallName = (h) => shortNames[h.code] || h.name;

/** @param {number | null | undefined} v */
const count = (v) => (v === null || v === undefined ? "—" : String(v));

/** @type {Record<string, (v: any) => string>} */
const FORMAT = {
  sla_pct_today: S.pct, cases_on_time_pct_30d: S.pct, satisfaction_pct_30d: S.pct,
  wait_avg: S.minutes, sla_within_pct: S.pct, cases_on_time_pct: S.pct, satisfaction_pct: S.pct, km_saved: S.km,
};

/**
 * Tell whether a figure of a hall is bad enough to show in red.
 * @param {string} field
 * @param {any} v
 */
function bad(field, v) {
  if (v === null || v === undefined) return false;
  if (field === "sla_pct_today") return v < state.slaAlert;
  return ["cases_overdue", "feedback_overdue", "devices_down"].includes(field) && v > 0;
}

// ---- the tables ------------------------------------------------------------------------------

/**
 * The header of a sortable table: a button per column that sorts on it.
 * @param {"live" | "month"} table
 * @param {readonly (readonly [string, string])[]} columns
 * @param {boolean} withLink
 */
function head(table, columns, withLink) {
  const sort = state.sort[table];
  /** @param {string} key @param {string} label @param {boolean} num */
  const th = (key, label, num) => {
    const on = sort.key === key;
    const aria = on ? (sort.dir === "asc" ? "ascending" : "descending") : "none";
    return html`<th class=${num ? "num" : ""} aria-sort=${aria}><button type="button" class="sort${on ? " on" : ""}" data-sort=${key}
      @click=${() => dispatch({ type: "sort", table, key })}>${label}<span class="arrow" aria-hidden="true">${on ? (sort.dir === "asc" ? "▲" : "▼") : "↕"}</span><span
      class="sr">${on ? t(sort.dir === "asc" ? "sorted_asc" : "sorted_desc") : ""}</span></button></th>`;
  };
  return html`<th class="num">${t("th_rank")}</th>${th("name", t("th_hall"), false)}${
    columns.map(([key]) => th(key, t(`th_${key}`), true))}${withLink ? html`<th>${t("th_manage")}</th>` : nothing}`;
}

/**
 * Return each row's rank on the table's sort column (ties share a rank; no figure: —), by code.
 * @param {Row[]} rows
 * @param {S.Sort} sort
 * @returns {Map<string, number | null>}
 */
function ranks(rows, sort) {
  if (sort.key === "name") return new Map(S.sortRows(rows, sort).map((r, i) => [r.code, i + 1]));
  return new Map(S.ranking(rows, sort.key, sort.dir === "asc" ? "low" : "high").map((r) => [r.code, r.rank]));
}

/**
 * The body rows of a table, sorted, each keyed by its hall so a refresh only changes the figures.
 * @param {Row[]} rows
 * @param {S.Sort} sort
 * @param {readonly (readonly [string, string])[]} columns
 * @param {Set<string>} marked halls with an alert
 */
function bodyRows(rows, sort, columns, marked) {
  const rank = ranks(rows, sort);
  return repeat(S.sortRows(rows, sort), (h) => h.code, (h) => html`<tr data-hall=${h.code} class=${marked.has(h.code) ? "flagged" : ""}>
    <td class="num rank">${rank.get(h.code) ?? "—"}</td>
    <th scope="row" class="hall" title=${h.name}>${h.manage_url ? html`<a href=${h.manage_url}>${hallName(h)}</a>` : hallName(h)}</th>
    ${columns.map(([key]) => html`<td class="num${bad(key, h[key]) ? " bad" : ""}" data-field=${key}>${(FORMAT[key] || count)(h[key])}</td>`)}
    ${h.manage_url ? html`<td><a class="button" href=${h.manage_url} title=${t("to_manage_title", { hall: h.name })}>${t("to_manage")}</a></td>` : nothing}</tr>`);
}

/**
 * @param {Record<string, any>} totals
 * @param {readonly (readonly [string, string])[]} columns
 * @param {boolean} withLink
 */
function footRow(totals, columns, withLink) {
  return html`<tr data-hall="*"><td></td><th scope="row">${t("totals")}</th>${
    columns.map(([key]) => html`<td class="num" data-field=${key}>${(FORMAT[key] || count)(totals[key])}</td>`)}${
    withLink ? html`<td></td>` : nothing}</tr>`;
}

/** @param {HTMLElement} table @param {string} part */
const partOf = (table, part) => /** @type {HTMLElement} */ (table.querySelector(part));

function renderLive() {
  const o = state.overview;
  const time = o ? S.clockOf(o.at) : "";
  $("updated").textContent = time ? t("updated_at", { time }) : t("loading");
  const fail = $("live-failure");
  fail.hidden = !state.failure;
  fail.textContent = state.failure ? t(o ? "live_failed" : "live_failed_none", { msg: state.failure, time }) : "";
  draw($("halls-head"), head("live", S.LIVE_COLUMNS, true));
  if (!o) return;
  const list = S.alerts(o.halls, state.slaAlert);
  draw($("alerts"), list.length
    ? repeat(list, (a) => `${a.kind}:${a.code}`, (a) => html`<li class="alert ${a.level}" data-kind=${a.kind} data-hall=${a.code}>
        <span>${t(`alert_${a.kind}`, { hall: hallName(a), n: a.value, value: S.pct(a.value), limit: S.pct(a.limit) })}</span>
        <a href=${a.manage_url}>${t("alert_open")}</a></li>`)
    : html`<li class="alert ok">${t("all_ok")}</li>`);
  const table = $("halls");
  draw(partOf(table, "tbody"), bodyRows(o.halls, state.sort.live, S.LIVE_COLUMNS, S.flagged(list)));
  draw(partOf(table, "tfoot"), footRow(o.totals, S.LIVE_COLUMNS, true));
}

function renderMonth() {
  const s = state.stats;
  const fail = $("month-failure");
  fail.hidden = !state.statsFailure;
  fail.textContent = state.statsFailure ? t("month_failed", { msg: state.statsFailure }) : "";
  draw($("month-head"), head("month", S.MONTH_COLUMNS, false));
  if (!s) return;
  $("month-range").textContent = t("month_range", { from: s.from, to: s.to });
  const table = $("month-table");
  draw(partOf(table, "tbody"), bodyRows(s.halls, state.sort.month, S.MONTH_COLUMNS, new Set()));
  draw(partOf(table, "tfoot"), footRow(s.totals, S.MONTH_COLUMNS, false));
}

// ---- the rankings ------------------------------------------------------------------------------

/**
 * Draw one ranking as horizontal bars, best at the top; a share's axis runs to 100 %.
 * @param {typeof S.RANKINGS[number]} r
 */
function renderRanking(r) {
  const src = r.source === "stats" ? state.stats : state.overview;
  if (!src) return;
  /** @type {Row[]} */
  const rows = src.halls;
  const byCode = new Map(rows.map((h) => [h.code, h]));
  const items = S.ranking(rows, r.field, r.better).map((x) => {
    const h = /** @type {Row} */ (byCode.get(x.code));
    const label = t(x.rank === null ? "rank_none" : "rank_label", { rank: x.rank, hall: hallName(x) });
    if (r.key === "wait_month") {
      return { label, value: x.value === null ? 0 : x.value / 60, color: PALETTE[5],
        text: x.value === null ? t("no_data") : t("bar_wait", { m: S.minutes(x.value), p: S.pct(h.sla_within_pct) }) };
    }
    const low = r.key === "sla_today" && x.value !== null && x.value < state.slaAlert;
    return { label, value: x.value ?? 0, color: low ? PALETTE[3] : r.key === "sla_today" ? PALETTE[0] : PALETTE[1],
      text: x.value === null ? t("no_data") : S.pct(x.value) };
  });
  const right = r.key === "wait_month" ? (lang === "en" ? 250 : 220) : 110;
  const option = larger(hbarOption(items, { left: lang === "en" ? 220 : 200, right, maxLabel: 14,
    emptyText: t("chart_empty"), label: t(`cap_${r.key}`) }), 16);
  if (r.key !== "wait_month" && option.xAxis) option.xAxis.max = 100;
  chart($(`chart-${r.key}`), option, hbarHeight(Math.max(items.length, 2), 44));
}

function render() {
  if (body.dataset.mode !== "county") return;
  renderLive();
  renderMonth();
  for (const r of S.RANKINGS) renderRanking(r);
}

// ---- reading -----------------------------------------------------------------------------------

/** @param {unknown} e */
function failed(e) {
  if (e instanceof ApiError && e.status === 401) location.reload(); // signed out: show the login form
  return /** @type {Error} */ (e).message;
}

async function loadNames() {
  try {
    /** @type {Schemas["HallPublic"][]} */
    const halls = await api("/api/county/halls");
    shortNames = Object.fromEntries(halls.map((h) => [h.code, h.short_name || h.name]));
  } catch (e) { /* the overview's full names still show */ }
}

async function pollOverview() {
  if (!document.hidden || !state.overview) {
    try {
      /** @type {Schemas["CountyOverview"]} */
      const data = await api("/api/county/overview");
      if (data.halls.some((h) => !(h.code in shortNames))) await loadNames(); // a hall added since
      dispatch({ type: "overview", data });
    } catch (e) {
      dispatch({ type: "overview_failed", message: failed(e) });
    }
  }
  setTimeout(pollOverview, POLL_MS);
}

async function loadStats() {
  const { from, to } = S.monthToDate(S.todayOf(state.overview && state.overview.at, body.dataset.today || ""));
  try {
    dispatch({ type: "stats", data: await api(`/api/county/stats?from=${from}&to=${to}`) });
  } catch (e) {
    dispatch({ type: "stats_failed", message: failed(e) });
  }
}

async function pollStats() {
  if (!document.hidden || !state.stats) await loadStats();
  setTimeout(pollStats, STATS_MS);
}

// ---- wiring ------------------------------------------------------------------------------------

function toggleLang() {
  lang = otherLang(lang);
  t = translator(lang);
  saveLang(lang);
  applyStatic(document, lang);
  render();
}

function wireLogout() {
  const btn = document.getElementById("logout");
  if (btn) btn.addEventListener("click", async () => {
    try { await api("/api/auth/logout", { method: "POST" }); } catch (e) { /* signed out anyway */ }
    location.reload();
  });
}

function wireSlaLine() {
  const input = $("sla-alert", HTMLInputElement);
  input.value = String(state.slaAlert);
  input.addEventListener("change", () => {
    dispatch({ type: "sla_alert", value: input.value });
    input.value = String(state.slaAlert);
    try { localStorage.setItem(SLA_KEY, String(state.slaAlert)); } catch (e) { /* private mode */ }
  });
}

applyStatic(document, lang);
$("lang-toggle").addEventListener("click", toggleLang);
wireLogout();
if (body.dataset.mode === "login") wireLogin();
if (body.dataset.mode === "county") {
  wireSlaLine();
  render();
  loadNames().then(() => { pollOverview(); pollStats(); });
}
