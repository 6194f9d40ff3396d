// @ts-check
// The county calendar editor on /manage (served to county-wide admins only): pick a year, type its days off
// and adjusted working days from the State Council's notice, check them as they are typed, and save them
// for every hall with PUT /api/county/calendar/{year}. Shows where each year's schedule comes from.

import { api } from "../common/api.js";
import { $, draw, html, nothing, repeat } from "../common/dom.js";
import { refreshCoverage } from "./cases.js";
import { translator } from "./i18n.js";
import * as K from "./calendar_state.js";

/** @typedef {import("../types/api").components["schemas"]} Schemas */

const today = document.body.dataset.today || "";
/** @type {Schemas["CalendarCoverage"] | null} */
let coverage = null;
/** @type {Schemas["CalendarYearPublic"][]} */
let entered = [];
let saving = false;

const lang = () => (document.documentElement.lang === "en" ? "en" : "zh");
const t = () => translator(lang());
const yearSelect = () => $("cal-year", HTMLSelectElement);
const holidaysBox = () => $("cal-holidays", HTMLTextAreaElement);
const workdaysBox = () => $("cal-workdays", HTMLTextAreaElement);
const year = () => Number(yearSelect().value);

/** @param {string} text @param {"ok" | "error" | ""} [kind] */
function result(text, kind = "") {
  const el = $("cal-result");
  el.textContent = text;
  el.dataset.kind = kind;
}

/** Read both boxes for the chosen year. */
function parsed() {
  const y = year();
  const holidays = K.parseDates(holidaysBox().value, y);
  const workdays = K.parseDates(workdaysBox().value, y);
  return { y, holidays, workdays, check: K.crossCheck(holidays.dates, workdays.dates) };
}

/** @param {string[]} dates */
function spanList(dates) {
  const tr = t();
  const list = K.spans(dates);
  if (!list.length) return html`<span class="none">${tr("cal_preview_none")}</span>`;
  return repeat(list, (s) => s.from, (s) => html`<span class="cal-span">${
    s.days === 1 ? s.from : tr("cal_span", { from: s.from, to: s.to, n: s.days })}</span>`);
}

function renderPreview() {
  const tr = t();
  const { y, holidays, workdays, check } = parsed();
  const names = tr("cal_weekdays").split(",");
  const errors = [...holidays.errors, ...workdays.errors].map((e) =>
    tr(`cal_err_${e.reason}`, { token: e.token, y, n: K.MAX_RANGE_DAYS }));
  errors.push(...check.both.map((d) => tr("cal_err_both", { d })));
  const warnings = check.weekdayWork.map((d) => tr("cal_warn_weekday", { d, w: names[K.weekday(d)] }));
  draw($("cal-preview"), html`
    <p data-list="holidays"><b>${tr("cal_preview_holidays", { n: holidays.dates.length })}</b>${spanList(holidays.dates)}</p>
    <p data-list="workdays"><b>${tr("cal_preview_workdays", { n: workdays.dates.length })}</b>${spanList(workdays.dates)}</p>
    ${errors.length ? html`<ul class="cal-errors">${errors.map((e) => html`<li class="alert error">${e}</li>`)}</ul>` : nothing}
    ${warnings.length ? html`<ul class="cal-warnings">${warnings.map((w) => html`<li class="alert warning">${w}</li>`)}</ul>` : nothing}`);
  const save = $("cal-save", HTMLButtonElement);
  save.disabled = saving || errors.length > 0;
  save.textContent = tr(saving ? "cal_saving" : "cal_save", { y });
}

function renderCoverage() {
  const tr = t();
  const years = coverage ? coverage.years : [];
  /** @param {string} source */
  const label = (source) => {
    const kind = K.sourceKind(source);
    return tr(`cal_src_${kind}`, { name: source });
  };
  draw($("cal-coverage"), html`<h3>${tr("cal_coverage")}</h3>
    <ul class="cal-years">${repeat(years, (c) => c.year, (c) => html`<li data-year=${c.year} data-source=${K.sourceKind(c.source)}>
      <b>${tr("cal_year_line", { y: c.year })}</b>${label(c.source)}</li>`)}</ul>
    <p class="cal-entered">${entered.length
      ? tr("cal_entered", { years: entered.map((e) => tr("cal_entered_one", { y: e.year, at: e.updated_at.slice(0, 16).replace("T", " "), by: e.updated_by.replace(/^user:/, "") })).join(lang() === "en" ? "; " : "；") })
      : tr("cal_entered_none")}</p>`);
}

function fillYears() {
  const tr = t();
  const select = yearSelect();
  const chosen = select.value;
  const years = K.editorYears(today, entered.map((e) => e.year));
  draw(select, repeat(years, (y) => y, (y) => html`<option value=${y}>${tr("cal_year_option", { y })}</option>`));
  select.value = chosen || String(K.defaultYear(coverage, today));
}

/** Put the chosen year's entered schedule (or nothing) into the boxes. */
function showYear() {
  const row = entered.find((e) => e.year === year());
  holidaysBox().value = row ? K.formatDates(row.holidays) : "";
  workdaysBox().value = row ? K.formatDates(row.workdays) : "";
  result("");
  renderPreview();
}

async function load() {
  [coverage, entered] = await Promise.all([api("/api/calendar/coverage"), api("/api/county/calendar")]);
}

async function prefill() {
  const y = year();
  try {
    /** @type {Schemas["CalendarDay"][]} */
    const days = await api(`/api/calendar?from=${y}-01-01&to=${y}-12-31`);
    const { holidays, workdays } = K.fromCalendarDays(days);
    holidaysBox().value = K.formatDates(holidays);
    workdaysBox().value = K.formatDates(workdays);
    renderPreview();
    result(t()("cal_prefill_done", { y }));
  } catch (e) {
    result(t()("cal_load_failed", { msg: /** @type {Error} */ (e).message }), "error");
  }
}

/** @param {SubmitEvent} ev */
async function save(ev) {
  ev.preventDefault();
  const { y, holidays, workdays, check } = parsed();
  if (saving || holidays.errors.length || workdays.errors.length || check.both.length) return;
  saving = true;
  renderPreview();
  try {
    /** @type {Schemas["CalendarYearPublic"]} */
    const saved = await api(`/api/county/calendar/${y}`, { method: "PUT", body: { holidays: holidays.dates, workdays: workdays.dates } });
    await load();
    fillYears();
    yearSelect().value = String(y);
    holidaysBox().value = K.formatDates(saved.holidays);
    workdaysBox().value = K.formatDates(saved.workdays);
    renderCoverage();
    result(t()("cal_saved", { y, h: saved.holidays.length, w: saved.workdays.length }), "ok");
    refreshCoverage(); // the 办件 section's warning follows at once
  } catch (e) {
    result(t()("cal_failed", { msg: /** @type {Error} */ (e).message }), "error");
  } finally {
    saving = false;
    renderPreview();
  }
}

async function init() {
  $("cal-form", HTMLFormElement).addEventListener("submit", save);
  yearSelect().addEventListener("change", showYear);
  holidaysBox().addEventListener("input", renderPreview);
  workdaysBox().addEventListener("input", renderPreview);
  $("cal-prefill").addEventListener("click", prefill);
  // The page's language button re-translates the fixed text; redraw what this section drew.
  new MutationObserver(() => { fillYears(); renderCoverage(); renderPreview(); })
    .observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
  try {
    await load();
  } catch (e) {
    result(t()("cal_load_failed", { msg: /** @type {Error} */ (e).message }), "error");
  }
  fillYears();
  renderCoverage();
  showYear();
}

init();
