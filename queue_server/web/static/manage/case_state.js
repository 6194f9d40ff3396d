// @ts-check
// Pure logic of the 办件 (cases) section on /manage: ranges, tiles, lists, chart items, the calendar warning.
import { translator } from "./i18n.js";
import { addDays, formatPct } from "./state.js";

/** @typedef {import("../types/api").components["schemas"]} Schemas */
/** @typedef {Schemas["CasePublic"]} Case */
/** @typedef {{ year: number, month: number, from: string, to: string, future: boolean }} Month */
/** @typedef {{ key: string, label: string, value: string, unit?: string, sub?: string, alarm?: boolean, warn?: boolean }} CaseTile */

export const MODES = ["onsite", "deferred", "proxy"];
export const OPEN_STATUSES = ["accepted", "processing", "suspended"];
export const DUE_SOON_DAYS = 2;
export const MAX_MONTHS = 24;

/**
 * Return the whole calendar year of a date or a year: {from: YYYY-01-01, to: YYYY-12-31}.
 * @param {string | number} dayOrYear
 */
export function yearRange(dayOrYear) {
  const y = String(dayOrYear).slice(0, 4);
  return { from: `${y}-01-01`, to: `${y}-12-31` };
}

/**
 * Return the calendar month of a date: {from: first day, to: last day}.
 * @param {string} day
 */
export function monthRange(day) {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const mm = String(m).padStart(2, "0");
  return { from: `${y}-${mm}-01`, to: `${y}-${mm}-${String(last).padStart(2, "0")}` };
}

/**
 * Tell whether a range is exactly one calendar year; return the year or null.
 * @param {string} from
 * @param {string} to
 */
export function wholeYear(from, to) {
  const r = yearRange(from);
  return r.from === from && r.to === to ? Number(from.slice(0, 4)) : null;
}

/**
 * Return the years a selector offers: this year first, then the `count - 1` before it.
 * @param {string} today
 * @param {number} [count]
 */
export function yearChoices(today, count = 5) {
  const y = Number(today.slice(0, 4));
  return Array.from({ length: count }, (_, i) => y - i);
}

/**
 * Split a range into calendar months, each cut to the range: [{year, month, from, to, future}].
 * `future` marks months that start after today (nothing to ask the server). More than MAX_MONTHS → [].
 * @param {string} from
 * @param {string} to
 * @param {string} today
 * @returns {Month[]}
 */
export function monthRanges(from, to, today) {
  /** @type {Month[]} */
  const out = [];
  let start = from;
  while (start <= to) {
    const m = monthRange(start);
    const end = m.to < to ? m.to : to;
    out.push({ year: Number(start.slice(0, 4)), month: Number(start.slice(5, 7)), from: start, to: end,
      future: start > today });
    if (out.length > MAX_MONTHS) return [];
    start = addDays(m.to, 1);
  }
  return out;
}

/**
 * Pair months with their /api/stats/cases answers (null for future months) as chart items.
 * @param {Month[]} months
 * @param {({ completed: number, on_time_pct: number | null } | null)[]} answers
 * @param {string} [lang]
 */
export function monthItems(months, answers, lang = "zh") {
  const t = translator(lang);
  const oneYear = months.every((m) => m.year === months[0].year);
  const names = t("c_month_names").split(",");
  return months.map((m, i) => {
    const s = answers[i];
    const label = oneYear ? names[m.month - 1] : `${m.year}-${String(m.month).padStart(2, "0")}`;
    return { label, value: s ? s.completed : 0, line: s ? s.on_time_pct : null };
  });
}

/**
 * Return the headline tiles of /api/stats/cases, in reading order, labelled in the language.
 * @param {Schemas["CaseStats"]} s
 * @param {string} [lang]
 * @returns {CaseTile[]}
 */
export function caseTiles(s, lang = "zh") {
  const t = translator(lang);
  const days = s.avg_working_days === null || s.avg_working_days === undefined ? "—" : String(s.avg_working_days);
  return [
    { key: "completed", label: t("c_k_completed"), value: String(s.completed), unit: t("c_unit"),
      sub: t("c_k_completed_sub", { n: s.accepted }) },
    { key: "on_time", label: t("c_k_on_time"), value: formatPct(s.on_time_pct),
      sub: t("c_k_on_time_sub", { a: s.completed_on_time, b: s.completed }) },
    { key: "open", label: t("c_k_open"), value: String(s.open), unit: t("c_unit"), sub: t("c_k_now") },
    { key: "overdue", label: t("c_k_overdue"), value: String(s.overdue_open), unit: t("c_unit"),
      sub: t("c_k_now"), alarm: s.overdue_open > 0 },
    { key: "due_soon", label: t("c_k_due_soon"), value: String(s.due_soon), unit: t("c_unit"),
      sub: t("c_k_due_soon_sub", { n: DUE_SOON_DAYS }), warn: s.due_soon > 0 },
    { key: "avg_days", label: t("c_k_avg_days"), value: days, unit: days === "—" ? "" : t("c_k_days_unit"),
      sub: t("c_k_avg_days_sub") },
  ];
}

/**
 * Return the last day counted as "due soon": the n-th working day after today, from /api/calendar days.
 * @param {{ date: string, working: boolean }[] | null | undefined} days
 * @param {string} today
 * @param {number} [n]
 */
export function dueSoonCutoff(days, today, n = DUE_SOON_DAYS) {
  const working = (days || []).filter((d) => d.date > today && d.working).map((d) => d.date).sort();
  return working.length >= n ? working[n - 1] : addDays(today, n);
}

/**
 * Return the open cases due between today and the cutoff (not overdue), soonest first.
 * @param {Case[]} cases
 * @param {string} today
 * @param {string} cutoff
 */
export function dueSoon(cases, today, cutoff) {
  return cases.filter((c) => !c.overdue && OPEN_STATUSES.includes(c.status) && c.due_date >= today && c.due_date <= cutoff)
    .sort(byDue);
}

/**
 * @param {Pick<Case, "due_date" | "id">} a
 * @param {Pick<Case, "due_date" | "id">} b
 */
function byDue(a, b) {
  return a.due_date < b.due_date ? -1 : a.due_date > b.due_date ? 1 : a.id - b.id;
}

/**
 * Turn cases into list rows (most urgent first): number, matter, department, applicant (phone as the API masks it), due.
 * @param {Case[]} cases
 * @param {string} today
 * @param {string} [lang]
 */
export function caseRows(cases, today, lang = "zh") {
  const t = translator(lang);
  return [...cases].sort(byDue).map((c) => {
    const late = c.due_date < today ? daysBetween(c.due_date, today) : 0;
    return { id: c.id, number: c.number, matter: c.matter_name, department: c.department_name || c.department,
      applicant: [c.applicant && c.applicant.name, c.applicant && c.applicant.phone].filter(Boolean).join(" "),
      due: c.due_date, status: t(`c_s_${c.status}`), late: late ? t("c_late", { n: late }) : "" };
  });
}

/**
 * @param {string} a
 * @param {string} b
 */
function daysBetween(a, b) {
  return Math.round((Date.parse(b + "T00:00:00Z") - Date.parse(a + "T00:00:00Z")) / 86400000);
}

/**
 * Return the department chart items: completed cases, with the on-time share beside each bar.
 * @param {Schemas["CaseByDepartment"][]} byDepartment
 * @param {string} [lang]
 */
export function departmentItems(byDepartment, lang = "zh") {
  const t = translator(lang);
  return byDepartment.map((d) => ({ label: d.name || d.department, value: d.completed,
    text: t("c_dept_text", { n: d.completed, p: formatPct(d.on_time_pct) }) }));
}

/**
 * Return the mode ring items (即办件 / 承诺件 / 代办件) from by_mode.
 * @param {Record<string, number> | null | undefined} byMode
 * @param {string} [lang]
 */
export function modeItems(byMode, lang = "zh") {
  const t = translator(lang);
  const counts = byMode || {};
  return MODES.map((m) => ({ key: m, label: t(`c_mode_${m}`), value: counts[m] || 0 }));
}

export const NEXT_YEAR_WARNING = "11-01"; // the State Council announces next year's schedule in the autumn

/**
 * Return the years nobody has announced (coverage.years' "provisional", or coverage.uncovered) that the
 * manager should hear about: this year, the range's years, and next year from 1 November of the hall's today.
 * Coverage only speaks of this year and next; other years are not guessed at.
 * @param {{ uncovered?: number[], years?: { year: number, source: string }[] } | null} coverage
 * @param {string} from
 * @param {string} to
 * @param {string} today the hall's today (YYYY-MM-DD)
 * @returns {number[]}
 */
export function uncoveredInView(coverage, from, to, today) {
  if (!coverage) return [];
  const provisional = new Set(coverage.uncovered || []);
  for (const y of coverage.years || []) if (y.source === "provisional") provisional.add(y.year);
  const year = Number(today.slice(0, 4));
  const wanted = new Set([year]);
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) wanted.add(y);
  const out = [...provisional].filter((y) => wanted.has(y) && y <= year);
  if (provisional.has(year + 1) && today.slice(5, 10) >= NEXT_YEAR_WARNING) out.push(year + 1);
  return [...new Set(out)].sort((a, b) => a - b);
}

/**
 * Tell whether a hall websocket message is about a case (case.accepted, case.completed, …).
 * @param {{ type?: unknown } | null | undefined} msg
 */
export function isCaseEvent(msg) {
  return !!msg && typeof msg.type === "string" && msg.type.startsWith("case.");
}

/**
 * Return the query string of a range.
 * @param {string} from
 * @param {string} to
 */
export function rangeQuery(from, to) {
  return `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
}
