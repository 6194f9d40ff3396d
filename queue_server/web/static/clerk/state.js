// @ts-check
// Clerk console state: a pure reducer (state, message) → state, plus pure selectors.
// Nothing here touches the DOM or the network, so node --test covers it.

import { localName, TEXT, translator } from "./i18n.js";

/** @typedef {import("../types/api").components["schemas"]} Schemas */
/** @typedef {Schemas["WindowPublic"]} Win */
/** @typedef {Schemas["TicketPublic"]} Ticket */
/** @typedef {Schemas["Catalog"]} Catalog */
/** @typedef {Schemas["Me"]} Me */
/** @typedef {{ number: string, at: string }} Called */
/** @typedef {{ code: string, title: string, detail: string, action?: string, message?: string }} Refusal */
/** @typedef {[string, Record<string, unknown>]} Said a notice as its i18n key and values */

/**
 * The console's state.
 * @typedef {object} ClerkState
 * @property {Me | null} me
 * @property {string | null} loginError
 * @property {string | null} loginErrorKey
 * @property {number | null} windowNo the window this console shows
 * @property {Win[]} windows
 * @property {Ticket[]} queue the window's waiting list, in call-next order
 * @property {Catalog | null} catalog
 * @property {boolean} connected
 * @property {string | null} pending the action in flight
 * @property {string} outcome the outcome "finish" will record
 * @property {string | null} armed an action waiting for its confirming second press
 * @property {string | null} dialog
 * @property {Refusal | null} error
 * @property {string | null} notice
 * @property {Said | null} noticeMsg
 * @property {Called[]} lastCalled
 * @property {Ticket | null} lastIssued
 * @property {{ id: number, number: string, via: "walk-in" | "transfer" } | null} handedOff the last ticket this
 *   console issued or transferred: still waiting, so it can be given a phone for texts (短信提醒)
 * @property {boolean} autoSelect whether a console without a window enters the one its clerk holds
 * @property {"zh" | "en"} lang
 */

/** A message for reduce(): its type and the fields that type carries. @typedef {{ type: string, [field: string]: any }} Msg */

/**
 * @param {string} prefix
 * @param {string[]} codes
 * @returns {Record<string, string>}
 */
const zh = (prefix, codes) => Object.fromEntries(codes.map((c) => [c, TEXT.zh[prefix + c]]));

export const OUTCOMES = ["done", "deferred", "proxy", "incomplete"].map((c) => [c, TEXT.zh["o_" + c]]);

export const PRIORITY_LABELS = zh("pr_", ["elderly", "disabled", "veteran", "pregnant"]);
export const CHANNEL_LABELS = zh("ch_", ["kiosk", "mobile", "counter", "agent"]);
export const STATUS_LABELS = zh("st_", ["waiting", "called", "serving", "done", "no_show", "cancelled", "expired"]);
export const WINDOW_STATUS_LABELS = zh("ws_", ["open", "paused", "closed"]);

/** What each refusal means for the clerk, in plain Chinese (English in i18n.js). */
export const ERROR_HINTS = zh("err_", ["window_busy", "window_closed", "no_current_ticket", "invalid_state",
  "ticket_not_waiting", "forbidden", "conflict", "unauthorized", "not_found", "network", "rate_limited", "invalid"]);

export const ACTION_LABELS = {
  open: "开启窗口", pause: "暂停", resume: "恢复", close: "关闭窗口", "call-next": "叫下一位",
  call: "叫指定号", recall: "重呼", start: "开始办理", finish: "办结", "no-show": "过号",
  transfer: "转移", "walk-in": "窗口取号",
};

/** Keyboard shortcuts for USB caller keypads (numeric keypad keys) and F-keys; `text` is the i18n key. */
export const SHORTCUTS = [
  { keys: ["+", "F1"], action: "call-next", text: "sc_call_next" },
  { keys: ["*", "F2"], action: "recall", text: "sc_recall" },
  { keys: ["/", "F3"], action: "start", text: "sc_start" },
  { keys: ["Enter", "F4"], action: "finish", text: "sc_finish" },
  { keys: ["-", "F6"], action: "no-show", text: "sc_no_show" },
  { keys: [".", "F7"], action: "transfer", text: "sc_transfer" },
  { keys: ["0", "F8"], action: "pause-toggle", text: "sc_pause" },
  { keys: ["1", "2", "3", "4"], action: "outcome", text: "sc_outcome" },
  { keys: ["Escape"], action: "cancel", text: "sc_cancel" },
].map((s) => ({ ...s, label: TEXT.zh[s.text] }));

/**
 * Return the label of a code in a table of i18n.js (prefix "o_", "st_", "ws_", "pr_", "ch_"), or the code itself.
 * @param {string} prefix
 * @param {string | null | undefined} code
 * @param {string} [lang]
 */
export function codeLabel(prefix, code, lang = "zh") {
  const key = prefix + code;
  return key in TEXT.zh ? translator(lang)(key) : String(code ?? "");
}

/** @returns {ClerkState} */
export function initialState() {
  return {
    me: null,
    loginError: null,
    windowNo: null,
    windows: [],
    queue: [],
    catalog: null,
    connected: false,
    pending: null,
    outcome: "done",
    armed: null,
    dialog: null,
    error: null,
    notice: null,
    lastCalled: [],
    lastIssued: null,
    handedOff: null,
    autoSelect: true,
    lang: "zh",
    noticeMsg: null,
    loginErrorKey: null,
  };
}

/**
 * Turn an error code and the server's message into {code, title, detail}, in the given language.
 * @param {string} code
 * @param {string | null | undefined} message
 * @param {string} [lang]
 * @returns {Refusal}
 */
export function explainError(code, message, lang = "zh") {
  const t = translator(lang);
  const title = code && ("err_" + code) in TEXT.zh ? t("err_" + code) : t("err_unknown");
  const detail = message && message !== title ? message : "";
  return { code, title, detail };
}

/**
 * @param {Win[]} windows
 * @param {Win} w
 */
function replaceWindow(windows, w) {
  if (!w || typeof w.number !== "number") return windows;
  const found = windows.some((x) => x.number === w.number);
  return found ? windows.map((x) => (x.number === w.number ? w : x)) : [...windows, w];
}

/**
 * @param {Win[]} windows
 * @param {number | null} number
 * @param {Ticket | null} ticket
 */
function setCurrent(windows, number, ticket) {
  return windows.map((w) => (w.number === number ? { ...w, current: ticket } : w));
}

/**
 * @param {Called[]} list
 * @param {Called} entry
 */
function pushCalled(list, entry) {
  const rest = list.filter((e) => !(e.number === entry.number && e.at === entry.at));
  return [entry, ...rest].slice(0, 10);
}

const TICKET_ACTIONS = new Set(["call-next", "call", "recall", "start", "finish", "no-show", "transfer"]);
const WINDOW_ACTIONS = new Set(["open", "pause", "resume", "close"]);

/**
 * Fold one message into the console's state.
 * @param {ClerkState} state
 * @param {Msg} msg
 * @returns {ClerkState}
 */
export function reduce(state, msg) {
  switch (msg.type) {
    case "me":
      return { ...state, me: msg.me, loginError: null, loginErrorKey: null };
    case "logged-out":
      return { ...initialState(), catalog: state.catalog, lang: state.lang };
    case "login-error":
      return { ...state, loginError: msg.key ? translator(state.lang)(msg.key) : msg.message, loginErrorKey: msg.key || null };
    case "lang":
      return relabel(state, msg.lang === "en" ? "en" : "zh");
    case "catalog":
      return { ...state, catalog: msg.catalog };
    case "socket":
      return { ...state, connected: !!msg.connected };
    case "windows": {
      const windows = msg.windows || [];
      let windowNo = state.windowNo;
      const me = state.me;
      if (windowNo === null && me && state.autoSelect) {
        const mine = windows.find((/** @type {Win} */ w) => w.status !== "closed" && w.clerk && w.clerk.username === me.username);
        if (mine) windowNo = mine.number;
      }
      return { ...state, windows, windowNo, queue: windowNo === state.windowNo ? state.queue : [] };
    }
    case "queue":
      if (msg.window !== state.windowNo) return state;
      return { ...state, queue: msg.queue || [] };
    case "select":
      return { ...state, windowNo: msg.window, queue: [], dialog: null, armed: null, lastCalled: [] };
    case "leave":
      return { ...state, windowNo: null, queue: [], dialog: null, armed: null, lastCalled: [], autoSelect: false };
    case "pending":
      return { ...state, pending: msg.action, notice: null, noticeMsg: null };
    case "done":
      return applyDone(state, msg);
    case "failed":
      return {
        ...state, pending: null, armed: null,
        error: { ...explainError(msg.code, msg.message, state.lang), action: msg.action, message: msg.message },
      };
    case "dismiss":
      return { ...state, error: null, notice: null, noticeMsg: null };
    case "arm":
      return { ...state, armed: msg.action, notice: null, noticeMsg: null };
    case "disarm":
      return { ...state, armed: null };
    case "dialog":
      return { ...state, dialog: msg.dialog, armed: null };
    case "outcome":
      return OUTCOMES.some(([code]) => code === msg.outcome) ? { ...state, outcome: msg.outcome } : state;
    case "hall":
      return applyHall(state, msg.msg);
    default:
      return state;
  }
}

/**
 * The ticket 「登记短信提醒」 is for: the one this console last issued or transferred, until this window calls it.
 * Called elsewhere, it stays: the server's refusal says why (it takes a phone for a waiting ticket only).
 * @param {ClerkState} state
 * @returns {{ id: number, number: string, via: "walk-in" | "transfer" } | null}
 */
export function smsTarget(state) {
  const h = state.handedOff;
  if (!h) return null;
  const mine = myWindow(state);
  return mine && mine.current && mine.current.id === h.id ? null : h;
}

/**
 * Check a phone typed for texts as the server does (spaces and dashes removed): 11 digits starting with 1.
 * @param {string} raw
 * @returns {string | null} the number to send, or null when it is not one
 */
export function smsPhone(raw) {
  const p = String(raw || "").replace(/[\s-]/g, "");
  return /^1\d{10}$/.test(p) ? p : null;
}

/**
 * Switch the language and re-say the notice, the refusal and the login error in it.
 * @param {ClerkState} state
 * @param {"zh" | "en"} lang
 * @returns {ClerkState}
 */
function relabel(state, lang) {
  const t = translator(lang);
  const next = { ...state, lang };
  if (state.noticeMsg) next.notice = t(state.noticeMsg[0], state.noticeMsg[1]);
  if (state.error) next.error = { ...state.error, ...explainError(state.error.code, state.error.message, lang) };
  if (state.loginErrorKey) next.loginError = t(state.loginErrorKey);
  return next;
}

/**
 * @param {ClerkState} state
 * @param {Msg} msg
 * @returns {ClerkState}
 */
function applyDone(state, msg) {
  const { action, result } = msg;
  /** @type {ClerkState} */
  const next = { ...state, pending: null, error: null, armed: null };
  /**
   * @param {string} key
   * @param {Record<string, unknown>} [vars]
   */
  const say = (key, vars = {}) => {
    next.noticeMsg = [key, vars];
    next.notice = translator(state.lang)(key, vars);
  };
  if (WINDOW_ACTIONS.has(action)) {
    next.windows = replaceWindow(state.windows, result);
    if (action === "close") {
      next.windowNo = null;
      next.queue = [];
      next.lastCalled = [];
      say("n_closed", { n: result.number });
    } else if (action === "open") {
      next.windowNo = result.number;
      say("n_opened", { n: result.number });
    } else {
      say(action === "pause" ? "n_paused" : "n_resumed");
    }
    return next;
  }
  if (action === "walk-in") {
    next.lastIssued = result;
    next.handedOff = { id: result.id, number: result.number, via: "walk-in" };
    say("n_walkin", { number: result.number, svc: serviceName(state.catalog, result.service, state.lang) || result.service_name || result.service });
    return next;
  }
  if (!TICKET_ACTIONS.has(action)) return next;
  const n = state.windowNo;
  if (result === null) {
    say("n_nothing");
    return next;
  }
  const t = result.ticket;
  if (["call-next", "call", "recall", "start"].includes(action)) {
    next.windows = setCurrent(state.windows, n, t);
  } else {
    next.windows = setCurrent(state.windows, n, null);
  }
  if (action === "call-next" || action === "call" || action === "recall") {
    next.lastCalled = pushCalled(state.lastCalled, { number: t.number, at: t.called_at || "" });
    next.queue = state.queue.filter((q) => q.id !== t.id);
  }
  /** @type {Record<string, string>} */
  const notices = {
    "call-next": "n_calling", call: "n_calling", recall: "n_recalled", start: "n_started",
    finish: "n_finished", "no-show": "n_no_show", transfer: "n_transferred",
  };
  say(notices[action], { number: t.number });
  if (action === "transfer") {
    next.dialog = null;
    next.handedOff = { id: t.id, number: t.number, via: "transfer" };
  }
  if (action === "finish") next.outcome = "done";  // each resident starts from the usual outcome
  return next;
}

/**
 * @param {ClerkState} state
 * @param {{ type?: string, [field: string]: any } | null | undefined} m
 * @returns {ClerkState}
 */
function applyHall(state, m) {
  if (!m || !m.type) return state;
  if (m.type === "snapshot") {
    const recent = (m.recent_calls || [])
      .filter((/** @type {Schemas["RecentCall"]} */ c) => c.window === state.windowNo)
      .map((/** @type {Schemas["RecentCall"]} */ c) => ({ number: c.number, at: c.at }));
    return { ...state, lastCalled: recent.slice(0, 10) };
  }
  if ((m.type === "ticket.called" || m.type === "ticket.recalled") && m.window === state.windowNo && m.ticket) {
    return { ...state, lastCalled: pushCalled(state.lastCalled, { number: m.ticket.number, at: m.at || "" }) };
  }
  return state;
}

/**
 * Tell whether a hall message may change this console's window list or queue.
 * @param {{ type?: string } | null | undefined} m
 */
export function needsRefresh(m) {
  if (!m || !m.type) return false;
  if (m.type === "snapshot") return true;
  return m.type.startsWith("ticket.") && m.type !== "ticket.evaluated" || m.type.startsWith("window.");
}

/**
 * Return the window this console shows, or null.
 * @param {ClerkState} state
 * @returns {Win | null}
 */
export function myWindow(state) {
  return state.windows.find((w) => w.number === state.windowNo) || null;
}

/**
 * Tell whether the logged-in clerk holds this console's window.
 * @param {ClerkState} state
 */
export function holdsWindow(state) {
  const w = myWindow(state);
  return !!(w && state.me && w.status !== "closed" && w.clerk && w.clerk.username === state.me.username);
}

/**
 * Which window actions make sense now; everything is off while a request is in flight.
 * @param {ClerkState} state
 * @returns {Record<string, boolean>}
 */
export function controls(state) {
  const w = myWindow(state);
  const off = {
    "call-next": false, call: false, recall: false, start: false, finish: false,
    "no-show": false, transfer: false, pause: false, resume: false, close: false,
  };
  if (!w || !holdsWindow(state) || state.pending) return off;
  const cur = w.current;
  const st = cur ? cur.status : null;
  const open = w.status === "open";
  return {
    "call-next": open && !cur,
    call: open && !cur,
    recall: st === "called",
    start: st === "called",
    finish: st === "called" || st === "serving",
    "no-show": st === "called",
    transfer: st === "called" || st === "serving",
    pause: open,
    resume: w.status === "paused",
    close: !cur,
  };
}

/**
 * Map a key press to a console command, or null. Keys typed into form fields are left alone.
 * @param {string} key
 * @param {{ inField?: boolean, dialog?: string | null }} [where]
 * @returns {{ action: string, outcome?: string } | null}
 */
export function keyCommand(key, { inField = false, dialog = null } = {}) {
  if (key === "Escape") return { action: "cancel" };
  if (inField) return null;
  if (dialog) return null;
  for (const s of SHORTCUTS) {
    if (!s.keys.includes(key)) continue;
    if (s.action === "outcome") return { action: "outcome", outcome: OUTCOMES[Number(key) - 1][0] };
    return { action: s.action };
  }
  return null;
}

/**
 * Format seconds as "12 分 05 秒" (or "1 小时 02 分"; "12 min 05 s" in English).
 * @param {number | null | undefined} seconds
 * @param {string} [lang]
 */
export function formatDuration(seconds, lang = "zh") {
  const t = translator(lang);
  const s = Math.max(0, Math.floor(seconds || 0));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h) return t("dur_h", { h, m: String(m).padStart(2, "0") });
  if (m) return t("dur_m", { m, s: String(sec).padStart(2, "0") });
  return t("dur_s", { s: sec });
}

/**
 * How long the resident waited: issue to first call, or issue to now while still waiting.
 * @param {Ticket | null | undefined} ticket
 * @param {number} nowMs
 */
export function waitedSeconds(ticket, nowMs) {
  if (!ticket || !ticket.issued_at) return 0;
  const from = Date.parse(ticket.issued_at);
  const to = ticket.first_called_at ? Date.parse(ticket.first_called_at) : nowMs;
  return Math.max(0, (to - from) / 1000);
}

/**
 * The materials checklist of a service: [{matter, mode, materials: [str]}].
 * @param {Catalog | null} catalog
 * @param {string} serviceCode
 * @returns {{ matter: string, mode: string, materials: string[] }[]}
 */
export function materialsFor(catalog, serviceCode) {
  if (!catalog) return [];
  for (const c of catalog.categories || []) {
    for (const s of c.services || []) {
      if (s.code !== serviceCode) continue;
      return (s.matters || []).map((m) => ({ matter: m.name, mode: m.mode, materials: m.materials || [] }));
    }
  }
  return [];
}

/**
 * Every service of the catalogue as [{code, name, category}] for the transfer and walk-in menus.
 * @param {Catalog | null} catalog
 * @param {string} [lang]
 * @returns {{ code: string, name: string, category: string, categoryName: string }[]}
 */
export function serviceOptions(catalog, lang = "zh") {
  if (!catalog) return [];
  const out = [];
  for (const c of catalog.categories || []) {
    for (const s of c.services || []) {
      out.push({ code: s.code, name: localName(s, lang), category: c.code, categoryName: localName(c, lang) });
    }
  }
  return out;
}

/**
 * A service's name in the language (English from the catalogue's name_en, else Chinese), or "" when unknown.
 * @param {Catalog | null} catalog
 * @param {string} code
 * @param {string} [lang]
 */
export function serviceName(catalog, code, lang = "zh") {
  for (const c of (catalog && catalog.categories) || []) {
    for (const s of c.services || []) if (s.code === code) return localName(s, lang);
  }
  return "";
}

/**
 * A category's name in the language, or "" when unknown.
 * @param {Catalog | null} catalog
 * @param {string} code
 * @param {string} [lang]
 */
export function categoryName(catalog, code, lang = "zh") {
  const c = ((catalog && catalog.categories) || []).find((x) => x.code === code);
  return c ? localName(c, lang) : "";
}

/**
 * A window's name in the language: name_en from the catalogue in English, else the name given.
 * @param {Catalog | null} catalog
 * @param {number} number
 * @param {string} [fallback]
 * @param {string} [lang]
 */
export function windowName(catalog, number, fallback = "", lang = "zh") {
  if (lang !== "en") return fallback;
  const w = ((catalog && catalog.windows) || []).find((x) => x.number === number);
  return (w && w.name_en) || fallback;
}

/**
 * Counts for the waiting list header.
 * @param {Ticket[]} queue
 */
export function queueCounts(queue) {
  /** @type {Record<string, number>} */
  const byCategory = {};
  let priority = 0;
  let transferred = 0;
  for (const t of queue) {
    byCategory[t.category] = (byCategory[t.category] || 0) + 1;
    if (t.priority) priority += 1;
    if (t.designated_window) transferred += 1;
  }
  return { total: queue.length, priority, transferred, byCategory };
}
