// @ts-check
// /manage 排班建议: the form's query, the chart's items, how far to trust the forecast, the pools (pure, tested with node).

/** @typedef {import("../types/api").components["schemas"]} Schemas */
/** @typedef {{ weekday: string, weeks: string, wait: string, pct: string }} StaffingForm */
/** @typedef {{ ok: true, query: string } | { ok: false, error: string }} Checked */

export const MAX_WEEKS = 52;
// A forecast of arrivals off by at most this much (mean absolute percentage) is fairly reliable; past POOR, say so.
export const GOOD_PCT = 15;
export const POOR_PCT = 30;

/**
 * Turn the form into the route's query, or name the error key; an empty weekday lets the server pick today's.
 * @param {StaffingForm} f
 * @returns {Checked}
 */
export function staffingQuery(f) {
  const weeks = Number(f.weeks);
  const wait = Number(f.wait);
  const pct = Number(f.pct);
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > MAX_WEEKS || f.weeks.trim() === "") return { ok: false, error: "s_err_weeks" };
  if (f.wait.trim() === "" || !Number.isFinite(wait) || wait < 0) return { ok: false, error: "s_err_wait" };
  if (f.pct.trim() === "" || !Number.isFinite(pct) || pct < 0 || pct > 100) return { ok: false, error: "s_err_pct" };
  const params = new URLSearchParams();
  if (f.weekday) params.set("weekday", f.weekday);
  params.set("weeks", String(weeks));
  params.set("target_wait", String(Math.round(wait * 60 * 1000) / 1000));
  params.set("target_pct", String(pct));
  return { ok: true, query: params.toString() };
}

/**
 * Read 09:00 as 9:00, as a notice on the wall does.
 * @param {string} hhmm
 */
export function clock(hhmm) {
  return hhmm.startsWith("0") ? hhmm.slice(1) : hhmm;
}

/**
 * The chart's items: per half-hour the windows needed, the windows open (one decimal) and the arrivals.
 * @param {Schemas["StaffingInterval"][]} intervals
 */
export function chartItems(intervals) {
  return intervals.map((i) => ({
    label: clock(i.start),
    needed: i.windows_needed,
    open: Math.round(i.windows_open * 10) / 10,
    arrivals: Math.round(i.arrivals * 10) / 10,
  }));
}

/**
 * How far to trust the advice, from the backtest's error: good, fair, poor, or none when nothing could be checked.
 * @param {Schemas["StaffingBacktest"]} b
 * @returns {{ level: "good" | "fair" | "poor" | "none", pct: string }}
 */
export function trust(b) {
  const p = b.arrivals_mape_pct;
  if (p === null || p === undefined || !b.days) return { level: "none", pct: "—" };
  const pct = `${p.toFixed(1)}%`;
  return { level: p <= GOOD_PCT ? "good" : p <= POOR_PCT ? "fair" : "poor", pct };
}

/**
 * Write window numbers compactly: 1–4、17、18.
 * @param {number[]} numbers
 */
export function windowList(numbers) {
  const sorted = [...numbers].sort((a, b) => a - b);
  /** @type {string[]} */
  const parts = [];
  let k = 0;
  while (k < sorted.length) {
    let j = k;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j - k >= 2 ? `${sorted[k]}–${sorted[j]}` : sorted.slice(k, j + 1).join("、"));
    k = j + 1;
  }
  return parts.join("、");
}

/**
 * The pools as the page lists them: those with advice first, each with its windows written compactly.
 * @param {Schemas["StaffingPool"][]} pools
 */
export function poolRows(pools) {
  return pools
    .map((p) => ({ key: p.windows.join(","), windows: windowList(p.windows), name: p.name, advice: p.advice }))
    .sort((a, b) => Number(b.advice.length > 0) - Number(a.advice.length > 0));
}

/**
 * The first and last day the figures come from, and how many.
 * @param {string[]} days
 */
export function basis(days) {
  return days.length ? { first: days[0], last: days[days.length - 1], n: days.length } : null;
}
