// @ts-check
// Pure state logic for /manage: (state, message) → state, plus formatting helpers.
import { translator } from "./i18n.js";

/** @typedef {import("../types/api").components["schemas"]} Schemas */
/** @typedef {Schemas["LiveWindow"]} LiveWindow */
/** @typedef {Schemas["LiveCategory"]} LiveCategory */

/**
 * The live monitor's state: the last /api/stats/live, patched by hall events until the next read.
 * @typedef {object} LiveState
 * @property {LiveWindow[]} windows
 * @property {LiveCategory[]} categories
 * @property {Schemas["Alert"][]} alerts
 * @property {string | null} at the server's time of the last read
 * @property {number | null} seq
 * @property {boolean} connected
 * @property {boolean} stale whether events arrived since the last read
 */

/** @typedef {{ key: string, label: string, value: string, unit?: string, sub?: string, good?: number | null }} Tile */

export const OUTCOME_LABELS = { done: "办结", deferred: "延时办", proxy: "代办", incomplete: "材料不全" };
export const CHANNEL_LABELS = { kiosk: "取号机", mobile: "手机扫码", counter: "窗口代取", agent: "村代办员" };
export const WINDOW_STATUS = { open: "开放", paused: "暂停", closed: "关闭" };
export const TICKET_STATUS = { waiting: "等候", called: "已叫号", serving: "办理中", done: "已办结" };

/** @returns {LiveState} */
export function initialState() {
  return { windows: [], categories: [], alerts: [], at: null, seq: null, connected: false, stale: false };
}

/**
 * Format seconds as 「3分05秒」, 「1时02分」 (3m05s, 1h02m in English); null shows as —.
 * @param {number | null | undefined} seconds
 * @param {string} [lang]
 */
export function formatDuration(seconds, lang = "zh") {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return "—";
  const t = translator(lang);
  const s = Math.round(seconds);
  if (s < 60) return t("d_s", { s });
  const m = Math.floor(s / 60);
  if (m < 60) return t("d_ms", { m, s: String(s % 60).padStart(2, "0") });
  return t("d_hm", { h: Math.floor(m / 60), m: String(m % 60).padStart(2, "0") });
}

/**
 * Format minutes as a whole number of minutes, for chart axes.
 * @param {number | null | undefined} seconds
 * @param {string} [lang]
 */
export function formatMinutes(seconds, lang = "zh") {
  if (seconds === null || seconds === undefined) return "—";
  return translator(lang)("minutes", { m: (seconds / 60).toFixed(seconds < 600 ? 1 : 0) });
}

/**
 * Return the label of a code in a table of i18n.js (prefix "o_", "ch_", "ws_", "ts_"), or the code itself.
 * @param {string} prefix
 * @param {string} code
 * @param {string} [lang]
 */
export function codeLabel(prefix, code, lang = "zh") {
  const t = translator(lang);
  const text = t(prefix + code);
  return text === prefix + code ? String(code) : text;
}

/**
 * Format a percentage with one decimal, or — when there is none.
 * @param {number | null | undefined} value
 */
export function formatPct(value) {
  return value === null || value === undefined ? "—" : `${value.toFixed(1)}%`;
}

/**
 * @param {LiveWindow[]} windows
 * @param {number} number
 * @param {(w: LiveWindow) => LiveWindow} fn
 */
function patchWindow(windows, number, fn) {
  return windows.map((w) => (w.number === number ? fn(w) : w));
}

/**
 * @param {LiveCategory[]} categories
 * @param {string} code
 * @param {(c: LiveCategory) => LiveCategory} fn
 */
function patchCategory(categories, code, fn) {
  return categories.map((c) => (c.code === code ? fn(c) : c));
}

/**
 * Apply a live payload, a websocket snapshot or a hall event to the monitor state.
 * @param {LiveState} state
 * @param {{ type?: string, [field: string]: any } | null | undefined} msg
 * @returns {LiveState}
 */
export function reduce(state, msg) {
  if (!msg || typeof msg !== "object") return state;
  switch (msg.type) {
    case "live":
      return { ...state, windows: msg.data.windows, categories: msg.data.categories,
        alerts: msg.data.alerts, at: msg.data.at, stale: false };
    case "status":
      return { ...state, connected: !!msg.connected };
    case "snapshot": {
      let windows = state.windows;
      for (const w of msg.windows || []) {
        windows = patchWindow(windows, w.number, (old) => ({ ...old, status: w.status,
          current: w.current ? { ...(old.current || {}), ...w.current } : null }));
      }
      let categories = state.categories;
      for (const c of msg.categories || []) {
        categories = patchCategory(categories, c.code, (old) => ({ ...old, waiting: c.waiting,
          eta_minutes: c.eta_minutes }));
      }
      return { ...state, windows, categories, seq: msg.seq, stale: true };
    }
    default:
      break;
  }
  if (typeof msg.type !== "string") return state;
  const t = msg.ticket;
  let { windows, categories } = state;
  /** @returns {LiveState} */
  const next = () => ({ ...state, windows, categories, seq: msg.seq ?? state.seq, stale: true });
  switch (msg.type) {
    case "ticket.issued":
      if (t) categories = patchCategory(categories, t.category, (c) => ({ ...c, waiting: c.waiting + 1 }));
      return next();
    case "ticket.called":
      if (t) {
        categories = patchCategory(categories, t.category, (c) => ({ ...c, waiting: Math.max(0, c.waiting - 1) }));
        windows = patchWindow(windows, msg.window, (w) => ({ ...w,
          current: { number: t.number, status: "called", service: t.service, since: msg.at } }));
      }
      return next();
    case "ticket.started":
      windows = patchWindow(windows, msg.window, (w) => ({ ...w,
        current: w.current ? { ...w.current, status: "serving", since: msg.at } : w.current }));
      return next();
    case "ticket.finished":
      windows = patchWindow(windows, msg.window, (w) => ({ ...w, current: null,
        served_today: (w.served_today || 0) + 1, idle_since: msg.at }));
      return next();
    case "ticket.no_show":
      windows = patchWindow(windows, msg.window, (w) => ({ ...w, current: null, idle_since: msg.at }));
      return next();
    case "ticket.transferred":
      windows = patchWindow(windows, msg.window, (w) => ({ ...w, current: null, idle_since: msg.at }));
      if (t) categories = patchCategory(categories, t.category, (c) => ({ ...c, waiting: c.waiting + 1 }));
      return next();
    case "ticket.cancelled":
    case "ticket.expired":
      if (t) categories = patchCategory(categories, t.category, (c) => ({ ...c, waiting: Math.max(0, c.waiting - 1) }));
      return next();
    case "window.opened":
      windows = patchWindow(windows, msg.window, (w) => ({ ...w, status: "open" }));
      return next();
    case "window.resumed":
      windows = patchWindow(windows, msg.window, (w) => ({ ...w, status: "open" }));
      return next();
    case "window.paused":
      windows = patchWindow(windows, msg.window, (w) => ({ ...w, status: "paused" }));
      return next();
    case "window.closed":
      windows = patchWindow(windows, msg.window, (w) => ({ ...w, status: "closed", clerk: null, current: null }));
      return next();
    default:
      return state; // types this page does not know are ignored
  }
}

/**
 * Describe a window card: a label for its state and a CSS class.
 * @param {Pick<LiveWindow, "status"> & { current?: { status: string } | null, eligible_waiting?: number }} w
 * @param {string} [lang]
 */
export function windowView(w, lang = "zh") {
  const t = translator(lang);
  if (w.status === "closed") return { label: t("ws_closed"), cls: "closed" };
  if (w.status === "paused") return { label: t("ws_paused"), cls: "paused" };
  if (w.current) return { label: codeLabel("ts_", w.current.status, lang), cls: "busy" };
  return { label: t(w.eligible_waiting ? "free_waiting" : "free"), cls: w.eligible_waiting ? "idle-warn" : "idle" };
}

/**
 * Return the KPI tiles of a summary, in reading order, labelled in the language.
 * @param {Schemas["StatsSummary"]} s
 * @param {number} slaMinutes
 * @param {string} [lang]
 * @returns {Tile[]}
 */
export function kpiTiles(s, slaMinutes, lang = "zh") {
  const t = translator(lang);
  /** @param {unknown} v */
  const d = (v) => formatDuration(typeof v === "number" ? v : null, lang);
  const mins = Math.round((s.sla && s.sla.threshold ? s.sla.threshold : slaMinutes * 60) / 60);
  return [
    { key: "issued", label: t("k_issued"), value: String(s.issued), unit: t("k_issued_unit") },
    { key: "served", label: t("k_served"), value: String(s.served), unit: t("k_served_unit") },
    { key: "no_show", label: t("k_no_show"), value: formatPct(s.no_show_pct), sub: t("k_no_show_sub", { n: s.no_show }) },
    { key: "wait_avg", label: t("k_wait_avg"), value: d(s.wait.avg), sub: t("k_wait_avg_sub", { v: d(s.wait.p50) }) },
    { key: "wait_p90", label: t("k_wait_p90"), value: d(s.wait.p90), sub: t("k_wait_p90_sub", { v: d(s.wait.max) }) },
    { key: "service_avg", label: t("k_service_avg"), value: d(s.service.avg), sub: t("k_service_avg_sub", { v: d(s.service.p90) }) },
    { key: "sla", label: t("k_sla", { m: mins }), value: formatPct(s.sla.within_pct), sub: t("k_sla_sub", { a: s.sla.within ?? "—", b: s.sla.called ?? "—" }), good: s.sla.within_pct },
    { key: "satisfaction", label: t("k_satisfaction"), value: formatPct(s.satisfaction.satisfied_pct), sub: t("k_satisfaction_sub", { n: s.satisfaction.count, avg: s.satisfaction.avg ?? "—" }), good: s.satisfaction.satisfied_pct },
    { key: "eta", label: t("k_eta"), value: s.eta_mae_minutes === null ? "—" : t("k_eta_value", { m: s.eta_mae_minutes }), sub: t("k_eta_sub") },
    // Summaries from before the calls for a guide were counted have no "help".
    ...(s.help ? [{ key: "help", label: t("k_help"), value: String(s.help.requested), unit: t("k_help_unit"),
      sub: t("k_help_sub", { n: s.help.acknowledged, v: d(s.help.ack_p50) }) }] : []),
  ];
}

/**
 * Fill the hours a day is open (at least 8–18) so that gaps show as zero.
 * @param {Schemas["ByHour"][]} byHour
 * @returns {Schemas["ByHour"][]}
 */
export function hourSeries(byHour) {
  const hours = byHour.map((h) => h.hour);
  const lo = Math.min(8, ...hours);
  const hi = Math.max(18, ...hours);
  const map = new Map(byHour.map((h) => [h.hour, h]));
  const out = [];
  for (let h = lo; h <= hi; h++) out.push(map.get(h) || { hour: h, issued: 0, wait_avg: null });
  return out;
}

/**
 * Add days to an ISO date (YYYY-MM-DD).
 * @param {string} iso
 * @param {number} days
 */
export function addDays(iso, days) {
  const d = new Date(iso + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
