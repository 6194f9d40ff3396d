// The 办件 (cases) section of /manage: fetch, render, and refresh on case.* events from /ws/hall.

import { api } from "/static/common/api.js";
import { draw, esc, hbarHeight, hbarOption, larger, monthOption, PALETTE, shareOption } from "./charts.js";
import {
  caseRows, caseTiles, departmentItems, dueSoon, dueSoonCutoff, DUE_SOON_DAYS, isCaseEvent, modeItems, monthItems,
  monthRange, monthRanges, OPEN_STATUSES, rangeQuery, uncoveredInView, wholeYear, yearChoices, yearRange,
} from "./case_state.js";
import { addDays } from "./state.js";

const LIST_ROWS = 10;
const OPEN_PAGE = 200;
const OPEN_MAX_PAGES = 10;
const $ = (sel) => document.querySelector(sel);

let ctx = null; // {today, lang(), t()}
let data = null; // the last answers, kept to re-render on a language switch
let coverage = null;
let loading = false;
let again = false;
let timer = null;

/** Wire the section: range form, presets, year selector; then load it. */
export function initCases({ today, lang, t }) {
  ctx = { today, lang, t };
  const form = $("#case-range");
  if (!form) return;
  const year = yearRange(today);
  form.elements.from.value = year.from;
  form.elements.to.value = year.to;
  fillYears();
  form.addEventListener("submit", (ev) => { ev.preventDefault(); loadCases(); });
  for (const b of document.querySelectorAll("[data-case-preset]")) {
    b.addEventListener("click", () => setRange(b.dataset.casePreset === "month" ? monthRange(today) : yearRange(today)));
  }
  form.elements.year.addEventListener("change", () => setRange(yearRange(form.elements.year.value)));
  loadCases();
}

function fillYears() {
  const form = $("#case-range");
  const chosen = wholeYear(form.elements.from.value, form.elements.to.value);
  form.elements.year.innerHTML = yearChoices(ctx.today).map((y) =>
    `<option value="${y}"${y === chosen ? " selected" : ""}>${esc(ctx.t()("c_year_option", { y }))}</option>`).join("")
    + (chosen === null ? `<option value="" selected>—</option>` : "");
}

function setRange(r) {
  const form = $("#case-range");
  form.elements.from.value = r.from;
  form.elements.to.value = r.to;
  loadCases();
}

/** Refresh the section shortly after a case event (several events in a burst cost one refresh). */
export function onHallMessage(msg) {
  if (!ctx || !isCaseEvent(msg) || timer) return;
  timer = setTimeout(() => { timer = null; loadCases(); }, 800);
}

async function openCases() {
  const out = [];
  for (let page = 0; page < OPEN_MAX_PAGES; page++) {
    const r = await api(`/api/cases?status=${OPEN_STATUSES.join(",")}&limit=${OPEN_PAGE}&offset=${page * OPEN_PAGE}`);
    out.push(...r.cases);
    if (out.length >= r.total || !r.cases.length) break;
  }
  return out;
}

async function loadCases() {
  if (loading) { again = true; return; }
  loading = true;
  const form = $("#case-range");
  const from = form.elements.from.value;
  const to = form.elements.to.value;
  const q = rangeQuery(from, to);
  $("#case-export-csv").href = `/api/stats/cases.csv?${q}`;
  $("#case-export-xlsx").href = `/api/stats/cases.xlsx?${q}`;
  fillYears();
  try {
    const months = from <= to ? monthRanges(from, to, ctx.today) : [];
    const [stats, open, days, cov, monthly] = await Promise.all([
      api(`/api/stats/cases?${q}`),
      openCases(), // every open case (the API marks the overdue ones): both lists come from it
      api(`/api/calendar?from=${ctx.today}&to=${addDays(ctx.today, 30)}`),
      coverage ? Promise.resolve(coverage) : api("/api/calendar/coverage"),
      Promise.all(months.map((m) => (m.future ? null : api(`/api/stats/cases?${rangeQuery(m.from, m.to)}`)))),
    ]);
    coverage = cov;
    const cutoff = dueSoonCutoff(days, ctx.today, DUE_SOON_DAYS);
    data = { from, to, stats, overdue: open.filter((c) => c.overdue), soon: dueSoon(open, ctx.today, cutoff), months, monthly };
    $("#case-error").textContent = "";
    renderCases();
  } catch (e) {
    $("#case-error").textContent = ctx.t()("c_failed", { msg: e.message });
  } finally {
    loading = false;
    if (again) { again = false; loadCases(); }
  }
}

function listHtml(cases, today, lang, emptyKey) {
  const t = ctx.t();
  const rows = caseRows(cases, today, lang).slice(0, LIST_ROWS);
  if (!rows.length) return `<tr><td colspan="5" class="none">${esc(t(emptyKey))}</td></tr>`;
  return rows.map((r) => `<tr data-case="${r.id}">
      <td class="case-no">${esc(r.number)}</td><td>${esc(r.matter)}</td><td>${esc(r.department)}</td>
      <td>${esc(r.applicant)}</td>
      <td class="due"><b>${esc(r.due)}</b>${r.late ? ` <span class="late">${esc(r.late)}</span>` : ""}<div class="st">${esc(r.status)}</div></td></tr>`).join("");
}

function more(total, shown) {
  return total > shown ? ctx.t()("c_more", { total, shown }) : "";
}

/** Draw the section from the last answers in the current language. */
export function renderCases() {
  if (!data) return;
  const lang = ctx.lang();
  const t = ctx.t();
  const { stats: s, from, to } = data;
  fillYears();
  const years = uncoveredInView(coverage, from, to);
  const warn = $("#case-calendar");
  warn.hidden = !years.length;
  warn.textContent = years.length ? t("c_calendar_warn", { source: coverage.source, years: years.join(t("c_year_join")) }) : "";
  const tiles = caseTiles(s, lang);
  const pct = tiles.find((k) => k.key === "on_time").value;
  $("#case-headline").textContent = t("c_headline", { from, to, n: s.completed, p: pct });
  $("#case-kpis").innerHTML = tiles.map((k) => `<div class="kpi${k.alarm ? " alarm" : ""}${k.warn ? " warn" : ""}" data-case-kpi="${k.key}">
      <div class="label">${esc(k.label)}</div>
      <div class="value">${esc(k.value)}${k.unit ? `<small>${esc(k.unit)}</small>` : ""}</div>
      ${k.sub ? `<div class="sub">${esc(k.sub)}</div>` : ""}</div>`).join("");
  $("#case-overdue tbody").innerHTML = listHtml(data.overdue, ctx.today, lang, "c_none_overdue");
  $("#case-overdue-more").textContent = more(data.overdue.length, Math.min(LIST_ROWS, data.overdue.length));
  $("#case-soon tbody").innerHTML = listHtml(data.soon, ctx.today, lang, "c_none_soon");
  $("#case-soon-more").textContent = more(data.soon.length, Math.min(LIST_ROWS, data.soon.length));
  const empty = { emptyText: data.months.length ? t("chart_empty") : t("c_month_none"), sep: t("sep") };
  draw($("#chart-case-month"), larger(monthOption(monthItems(data.months, data.monthly, lang), { ...empty,
    valueFormat: (v) => String(Math.round(v)), label: t("c_cap_month"), barName: t("c_month_bar"), lineName: t("c_month_line") })));
  const depts = departmentItems(s.by_department, lang);
  draw($("#chart-case-department"), larger(hbarOption(depts, { ...empty, left: lang === "en" ? 280 : 260, right: 170,
    maxLabel: lang === "en" ? 30 : 15, color: PALETTE[5], label: t("c_cap_department") })), hbarHeight(Math.max(depts.length, 3), 44));
  draw($("#chart-case-mode"), larger(shareOption(modeItems(s.by_mode, lang).map((m, i) => ({ ...m, color: PALETTE[[1, 0, 4][i]] })),
    { ...empty, label: t("c_cap_mode"), paren: [t("paren_open"), t("paren_close")] })));
}
