// @ts-check
// Pure logic of /county: (state, message) → state, sorting and ranking the halls, and the alerts.

/** @typedef {import("../types/api").components["schemas"]} Schemas */
/** @typedef {Schemas["OverviewHall"]} OverviewHall */
/** @typedef {Schemas["StatsHall"]} StatsHall */
/** @typedef {"asc" | "desc"} Dir */
/** @typedef {{ key: string, dir: Dir }} Sort */
/** @typedef {"high" | "low" | "none"} Better which way a figure is better: "none" for plain counts */

/**
 * The page's state: the last answers, when they came, what failed since, the sorts and the alert line.
 * @typedef {object} CountyState
 * @property {Schemas["CountyOverview"] | null} overview
 * @property {Schemas["CountyStats"] | null} stats
 * @property {string | null} failure the last failed read of the overview, until one succeeds
 * @property {string | null} statsFailure
 * @property {{ live: Sort, month: Sort }} sort
 * @property {number} slaAlert the share (percent) of today's service level below which a hall is flagged
 * @property {number} slaDefault the server's placeholder for it
 */

/** The live table's columns: the overview's fields and which way each is better. */
export const LIVE_COLUMNS = /** @type {const} */ ([
  ["waiting", "low"], ["open_windows", "none"], ["served_today", "none"], ["sla_pct_today", "high"],
  ["cases_open", "none"], ["cases_overdue", "low"], ["cases_on_time_pct_30d", "high"],
  ["satisfaction_pct_30d", "high"], ["feedback_overdue", "low"], ["devices_down", "low"],
]);

/** The month table's columns: /api/county/stats' fields and which way each is better. */
export const MONTH_COLUMNS = /** @type {const} */ ([
  ["issued", "none"], ["served", "none"], ["wait_avg", "low"], ["sla_within_pct", "high"],
  ["cases_completed", "none"], ["cases_on_time_pct", "high"], ["satisfaction_pct", "high"],
  ["agent_cases", "none"], ["km_saved", "none"],
]);

/** @type {Record<string, Better>} */
const BETTER = Object.fromEntries([...LIVE_COLUMNS, ...MONTH_COLUMNS]);

/** The figures the halls are ranked on, each with its source, its field and which way is better. */
export const RANKINGS = /** @type {const} */ ([
  { key: "sla_today", source: "overview", field: "sla_pct_today", better: "high" },
  { key: "wait_month", source: "stats", field: "wait_avg", better: "low" },
  { key: "on_time_30d", source: "overview", field: "cases_on_time_pct_30d", better: "high" },
  { key: "satisfaction_30d", source: "overview", field: "satisfaction_pct_30d", better: "high" },
]);

/** @type {{ live: Sort, month: Sort }} */
export const DEFAULT_SORT = { live: { key: "sla_pct_today", dir: "desc" }, month: { key: "sla_within_pct", dir: "desc" } };

/**
 * @param {number} slaDefault the server's alert line (percent)
 * @param {unknown} [slaChosen] the line a manager chose on this browser, if any
 * @returns {CountyState}
 */
export function initialState(slaDefault, slaChosen = null) {
  const fallback = clampPct(slaDefault, 80);
  return { overview: null, stats: null, failure: null, statsFailure: null,
    sort: { live: { ...DEFAULT_SORT.live }, month: { ...DEFAULT_SORT.month } },
    slaAlert: clampPct(slaChosen, fallback), slaDefault: fallback };
}

/**
 * Return a share as a percent between 0 and 100; anything that is not a number gives the fallback.
 * @param {unknown} v
 * @param {number} fallback
 */
export function clampPct(v, fallback) {
  const n = Number(v);
  if (v === null || v === undefined || String(v).trim() === "" || !Number.isFinite(n)) return fallback;
  return Math.min(100, Math.max(0, n));
}

/**
 * Apply a message: an answer, a failed read, a sort, a new alert line.
 * @param {CountyState} state
 * @param {{ type: string, [field: string]: any }} msg
 * @returns {CountyState}
 */
export function reduce(state, msg) {
  switch (msg.type) {
    case "overview":
      return { ...state, overview: msg.data, failure: null };
    case "overview_failed":
      return { ...state, failure: String(msg.message || "") };
    case "stats":
      return { ...state, stats: msg.data, statsFailure: null };
    case "stats_failed":
      return { ...state, statsFailure: String(msg.message || "") };
    case "sort": {
      const table = msg.table === "month" ? "month" : "live";
      return { ...state, sort: { ...state.sort, [table]: toggleSort(state.sort[table], String(msg.key)) } };
    }
    case "sla_alert":
      return { ...state, slaAlert: clampPct(msg.value, state.slaDefault) };
    default:
      return state;
  }
}

/**
 * Return the sort after a click on a column: the same column flips, another starts with its better end.
 * @param {Sort} sort
 * @param {string} key
 * @returns {Sort}
 */
export function toggleSort(sort, key) {
  if (sort.key === key) return { key, dir: sort.dir === "asc" ? "desc" : "asc" };
  return { key, dir: key === "name" || BETTER[key] === "low" ? "asc" : "desc" };
}

/**
 * Return the rows sorted on one field; a missing figure (no data yet) goes last either way,
 * and equal figures keep the county's order (the default hall first).
 * @template {{ code: string, name: string }} T
 * @param {T[]} rows
 * @param {Sort} sort
 * @returns {T[]}
 */
export function sortRows(rows, sort) {
  const sign = sort.dir === "asc" ? 1 : -1;
  return rows.map((row, i) => ({ row, i })).sort((a, b) => {
    const x = /** @type {any} */ (a.row)[sort.key];
    const y = /** @type {any} */ (b.row)[sort.key];
    const xm = x === null || x === undefined;
    const ym = y === null || y === undefined;
    if (xm || ym) return xm === ym ? a.i - b.i : xm ? 1 : -1;
    const c = typeof x === "string" ? x.localeCompare(y, "zh-CN") : x - y;
    return c ? sign * c : a.i - b.i;
  }).map((e) => e.row);
}

/**
 * Rank the halls on a figure, best first: [{code, name, value, rank}], a hall with no figure last (rank null).
 * Halls with the same figure share a rank (1, 2, 2, 4).
 * @param {{ code: string, name: string, [field: string]: any }[]} rows
 * @param {string} field
 * @param {Better} better
 * @returns {{ code: string, name: string, value: number | null, rank: number | null }[]}
 */
export function ranking(rows, field, better) {
  const sorted = sortRows(rows, { key: field, dir: better === "low" ? "asc" : "desc" });
  /** @type {{ code: string, name: string, value: number | null, rank: number | null }[]} */
  const out = [];
  sorted.forEach((r, i) => {
    const v = r[field];
    const value = v === null || v === undefined ? null : Number(v);
    const prev = out[i - 1];
    const rank = value === null ? null : prev && prev.value === value ? prev.rank : i + 1;
    out.push({ code: r.code, name: r.name, value, rank });
  });
  return out;
}

/**
 * One alert on the county page: its kind, level, hall, and the figures its message names.
 * @typedef {{ kind: "sla" | "cases" | "feedback" | "device", level: "error" | "warning", code: string, name: string,
 *   manage_url: string, value: number, limit?: number }} Alert
 */

const LEVEL_ORDER = { error: 0, warning: 1 };
const KIND_ORDER = { device: 0, sla: 1, cases: 2, feedback: 3 };

/**
 * Return the alerts of every hall: below the service-level line today, overdue cases, overdue 差评 items,
 * devices down. Errors first, then by kind, then in the county's order.
 * @param {OverviewHall[]} halls
 * @param {number} slaAlert percent
 * @returns {Alert[]}
 */
export function alerts(halls, slaAlert) {
  /** @type {(Alert & { i: number })[]} */
  const out = [];
  halls.forEach((h, i) => {
    const base = { code: h.code, name: h.name, manage_url: h.manage_url, i };
    if (h.devices_down > 0) out.push({ ...base, kind: "device", level: "error", value: h.devices_down });
    if (h.sla_pct_today !== null && h.sla_pct_today !== undefined && h.sla_pct_today < slaAlert) {
      out.push({ ...base, kind: "sla", level: "warning", value: h.sla_pct_today, limit: slaAlert });
    }
    if (h.cases_overdue > 0) out.push({ ...base, kind: "cases", level: "error", value: h.cases_overdue });
    if (h.feedback_overdue > 0) out.push({ ...base, kind: "feedback", level: "warning", value: h.feedback_overdue });
  });
  out.sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.i - b.i);
  return out.map(({ i, ...a }) => a);
}

/**
 * Return the codes of the halls that have an alert, to mark their rows.
 * @param {Alert[]} list
 */
export function flagged(list) {
  return new Set(list.map((a) => a.code));
}

/**
 * Return this month up to today: {from: the 1st, to: today}.
 * @param {string} today YYYY-MM-DD
 */
export function monthToDate(today) {
  return { from: `${today.slice(0, 7)}-01`, to: today.slice(0, 10) };
}

/**
 * Return the county's day from the overview's time (the default hall's local time), else the page's.
 * @param {string | null | undefined} at
 * @param {string} fallback
 */
export function todayOf(at, fallback) {
  return at && /^\d{4}-\d{2}-\d{2}/.test(at) ? at.slice(0, 10) : fallback;
}

/**
 * Return the clock time of an ISO instant as written (HH:MM:SS, the hall's local time), or "".
 * @param {string | null | undefined} at
 */
export function clockOf(at) {
  const m = at ? /T(\d{2}:\d{2}:\d{2})/.exec(at) : null;
  return m ? m[1] : "";
}

/**
 * Format a percentage: one decimal unless whole; — for none.
 * @param {number | null | undefined} v
 */
export function pct(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "—";
  return `${Number(v).toFixed(Number(v) % 1 ? 1 : 0)}%`;
}

/**
 * Format seconds as whole minutes (one decimal under ten minutes); — for none.
 * @param {number | null | undefined} seconds
 */
export function minutes(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return "—";
  const m = seconds / 60;
  return m < 10 ? m.toFixed(1) : String(Math.round(m));
}

/**
 * Format kilometres as a whole number; — for none.
 * @param {number | null | undefined} km
 */
export function km(km) {
  return km === null || km === undefined ? "—" : String(Math.round(km));
}
