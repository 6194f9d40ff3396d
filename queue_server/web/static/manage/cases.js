// @ts-check
// The 办件 (cases) section of /manage: fetch, render, and refresh on case.* events from /ws/hall.

import { api } from "../common/api.js";
import { $, draw, html, nothing, repeat } from "../common/dom.js";
import { hallUrl } from "../common/hall.js";
import { chart, hbarHeight, hbarOption, larger, monthOption, PALETTE, shareOption } from "./charts.js";
import {
  caseRows, caseTiles, departmentItems, dueSoon, dueSoonCutoff, DUE_SOON_DAYS, isCaseEvent, modeItems, monthItems,
  monthRange, monthRanges, OPEN_STATUSES, rangeQuery, uncoveredInView, wholeYear, yearChoices, yearRange,
} from "./case_state.js";
import { addDays } from "./state.js";

/** @typedef {import("../types/api").components["schemas"]} Schemas */
/** @typedef {import("../common/i18n.js").Translate} Translate */
/** @typedef {{ today: string, lang: () => string, t: () => Translate }} Context */
/** @typedef {ReturnType<typeof monthRanges>} Months */

/**
 * The last answers, kept to re-render on a language switch.
 * @typedef {object} Answers
 * @property {string} from
 * @property {string} to
 * @property {Schemas["CaseStats"]} stats
 * @property {Schemas["CasePublic"][]} overdue
 * @property {Schemas["CasePublic"][]} soon
 * @property {Months} months
 * @property {(Schemas["CaseStats"] | null)[]} monthly
 */

const LIST_ROWS = 10;
const OPEN_PAGE = 200;
const OPEN_MAX_PAGES = 10;

/** @type {Context | null} */
let ctx = null;
/** @type {Answers | null} */
let data = null;
/** @type {Schemas["CalendarCoverage"] | null} */
let coverage = null;
let loading = false;
let again = false;
/** @type {ReturnType<typeof setTimeout> | null} */
let timer = null;

/** The range form's fields. */
function fields() {
  const form = $("case-range", HTMLFormElement);
  const el = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));
  return { form, from: el("from"), to: el("to"), year: $("case-year", HTMLSelectElement) };
}

/**
 * Wire the section: range form, presets, year selector; then load it.
 * @param {Context} context
 */
export function initCases(context) {
  ctx = context;
  const today = context.today;
  if (!document.getElementById("case-range")) return;
  const { form, from, to, year } = fields();
  const range = yearRange(today);
  from.value = range.from;
  to.value = range.to;
  fillYears();
  form.addEventListener("submit", (ev) => { ev.preventDefault(); loadCases(); });
  for (const b of document.querySelectorAll("[data-case-preset]")) {
    const preset = /** @type {HTMLElement} */ (b).dataset.casePreset;
    b.addEventListener("click", () => setRange(preset === "month" ? monthRange(today) : yearRange(today)));
  }
  year.addEventListener("change", () => setRange(yearRange(year.value)));
  loadCases();
}

/** Offer the last years; a range that is not one whole year shows as —. */
function fillYears() {
  if (!ctx) return;
  const { from, to, year } = fields();
  const chosen = wholeYear(from.value, to.value);
  const t = ctx.t();
  draw(year, html`${repeat(yearChoices(ctx.today), (y) => y, (y) => html`<option value=${y}>${t("c_year_option", { y })}</option>`)}${
    chosen === null ? html`<option value="">—</option>` : nothing}`);
  year.value = chosen === null ? "" : String(chosen);
}

/** @param {{ from: string, to: string }} r */
function setRange(r) {
  const { from, to } = fields();
  from.value = r.from;
  to.value = r.to;
  loadCases();
}

/**
 * Refresh the section shortly after a case event (several events in a burst cost one refresh).
 * @param {{ type?: unknown }} msg
 */
export function onHallMessage(msg) {
  if (!ctx || !isCaseEvent(msg) || timer) return;
  timer = setTimeout(() => { timer = null; loadCases(); }, 800);
}

/** Read the calendar's coverage again (a county admin saved a year), and redraw the section with it. */
export function refreshCoverage() {
  coverage = null;
  loadCases();
}

async function openCases() {
  /** @type {Schemas["CasePublic"][]} */
  const out = [];
  for (let page = 0; page < OPEN_MAX_PAGES; page++) {
    /** @type {Schemas["CaseList"]} */
    const r = await api(`/api/cases?status=${OPEN_STATUSES.join(",")}&limit=${OPEN_PAGE}&offset=${page * OPEN_PAGE}`);
    out.push(...r.cases);
    if (out.length >= r.total || !r.cases.length) break;
  }
  return out;
}

async function loadCases() {
  if (!ctx) return;
  if (loading) { again = true; return; }
  loading = true;
  const c = ctx;
  const from = fields().from.value;
  const to = fields().to.value;
  const q = rangeQuery(from, to);
  $("case-export-csv", HTMLAnchorElement).href = hallUrl(`/api/stats/cases.csv?${q}`);
  $("case-export-xlsx", HTMLAnchorElement).href = hallUrl(`/api/stats/cases.xlsx?${q}`);
  fillYears();
  try {
    const months = from <= to ? monthRanges(from, to, c.today) : [];
    const [stats, open, days, cov, monthly] = await Promise.all([
      api(`/api/stats/cases?${q}`),
      openCases(), // every open case (the API marks the overdue ones): both lists come from it
      api(`/api/calendar?from=${c.today}&to=${addDays(c.today, 30)}`),
      coverage ? Promise.resolve(coverage) : api("/api/calendar/coverage"),
      Promise.all(months.map((m) => (m.future ? null : api(`/api/stats/cases?${rangeQuery(m.from, m.to)}`)))),
    ]);
    coverage = cov;
    const cutoff = dueSoonCutoff(days, c.today, DUE_SOON_DAYS);
    data = { from, to, stats, overdue: open.filter((x) => x.overdue), soon: dueSoon(open, c.today, cutoff), months, monthly };
    $("case-error").textContent = "";
    renderCases();
  } catch (e) {
    $("case-error").textContent = c.t()("c_failed", { msg: /** @type {Error} */ (e).message });
  } finally {
    loading = false;
    if (again) { again = false; loadCases(); }
  }
}

/**
 * Draw a list of cases (most urgent first) into a table's body.
 * @param {string} table
 * @param {Schemas["CasePublic"][]} cases
 * @param {string} emptyKey
 */
function drawList(table, cases, emptyKey) {
  if (!ctx) return;
  const t = ctx.t();
  const rows = caseRows(cases, ctx.today, ctx.lang()).slice(0, LIST_ROWS);
  const body = /** @type {HTMLElement} */ ($(table).querySelector("tbody"));
  draw(body, rows.length ? repeat(rows, (r) => r.id, (r) => html`<tr data-case=${r.id}>
      <td class="case-no">${r.number}</td><td>${r.matter}</td><td>${r.department}</td>
      <td>${r.applicant}</td>
      <td class="due"><b>${r.due}</b>${r.late ? html` <span class="late">${r.late}</span>` : nothing}<div class="st">${r.status}</div></td></tr>`)
    : html`<tr><td colspan="5" class="none">${t(emptyKey)}</td></tr>`);
}

/**
 * @param {number} total
 * @param {number} shown
 */
function more(total, shown) {
  return ctx && total > shown ? ctx.t()("c_more", { total, shown }) : "";
}

/** Draw the section from the last answers in the current language. */
export function renderCases() {
  if (!data || !ctx) return;
  const lang = ctx.lang();
  const t = ctx.t();
  const { stats: s, from, to } = data;
  fillYears();
  const years = uncoveredInView(coverage, from, to, ctx.today);
  const warn = $("case-calendar");
  warn.hidden = !years.length;
  warn.textContent = years.length && coverage ? t("c_calendar_warn", { years: years.join(t("c_year_join")) }) : "";
  const tiles = caseTiles(s, lang);
  const onTime = tiles.find((k) => k.key === "on_time");
  $("case-headline").textContent = t("c_headline", { from, to, n: s.completed, p: onTime ? onTime.value : "—" });
  draw($("case-kpis"), repeat(tiles, (k) => k.key, (k) => html`<div class="kpi${k.alarm ? " alarm" : ""}${k.warn ? " warn" : ""}" data-case-kpi=${k.key}>
      <div class="label">${k.label}</div>
      <div class="value">${k.value}${k.unit ? html`<small>${k.unit}</small>` : nothing}</div>
      ${k.sub ? html`<div class="sub">${k.sub}</div>` : nothing}</div>`));
  drawList("case-overdue", data.overdue, "c_none_overdue");
  $("case-overdue-more").textContent = more(data.overdue.length, Math.min(LIST_ROWS, data.overdue.length));
  drawList("case-soon", data.soon, "c_none_soon");
  $("case-soon-more").textContent = more(data.soon.length, Math.min(LIST_ROWS, data.soon.length));
  const empty = { emptyText: data.months.length ? t("chart_empty") : t("c_month_none") };
  chart($("chart-case-month"), larger(monthOption(monthItems(data.months, data.monthly, lang), { ...empty,
    valueFormat: (v) => String(Math.round(v)), label: t("c_cap_month"), barName: t("c_month_bar"), lineName: t("c_month_line") })));
  const depts = departmentItems(s.by_department, lang);
  chart($("chart-case-department"), larger(hbarOption(depts, { ...empty, left: lang === "en" ? 280 : 260, right: 170,
    maxLabel: lang === "en" ? 30 : 15, color: PALETTE[5], label: t("c_cap_department") })), hbarHeight(Math.max(depts.length, 3), 44));
  chart($("chart-case-mode"), larger(shareOption(modeItems(s.by_mode, lang).map((m, i) => ({ ...m, color: PALETTE[[1, 0, 4][i]] })),
    { ...empty, label: t("c_cap_mode"), paren: [t("paren_open"), t("paren_close")] })));
}
