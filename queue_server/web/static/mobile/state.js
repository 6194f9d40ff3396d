// @ts-check
// Pure state logic for the phone pages: (state, message) → state, and small pure helpers.

/** @typedef {import("../types/api").components["schemas"]["TicketPublic"]} Ticket */
/** @typedef {{ number: string, window: number, callCount: number }} CallAlert */
/** @typedef {{ id: number | string, token: string, number: string, status?: string, day: string, service_name?: string }} Kept a ticket this phone remembers */

/**
 * The ticket page's state.
 * @typedef {object} TicketState
 * @property {Ticket | null} ticket
 * @property {boolean} connected
 * @property {CallAlert | null} alert a call the resident has not acknowledged yet
 * @property {number} seenCalls the calls acknowledged on this phone
 * @property {boolean} evaluated
 * @property {number | null} grade
 * @property {boolean} cancelling
 * @property {string | null} error
 * @property {boolean} missing
 * @property {boolean | null} windowsOpen whether a window that serves the ticket is open; null: not known yet
 */

const ACTIVE = new Set(["waiting", "called", "serving"]);

/**
 * Return the ticket page's starting state; seenCalls and evaluated come from storage.
 * @param {{ seenCalls?: number, evaluated?: boolean }} [stored]
 * @returns {TicketState}
 */
export function initialState({ seenCalls = 0, evaluated = false } = {}) {
  return {
    ticket: null, connected: false, alert: null, seenCalls, evaluated,
    grade: null, cancelling: false, error: null, missing: false,
    windowsOpen: null, // whether a window that serves the ticket is open; null: not known yet
  };
}

/**
 * Fold one message into the ticket page's state.
 * @param {TicketState} state
 * @param {{ type: string, [field: string]: any }} msg
 * @returns {TicketState}
 */
export function reduce(state, msg) {
  switch (msg.type) {
    case "ticket": {
      const t = msg.ticket;
      if (!t || (state.ticket && t.id !== state.ticket.id)) return state;
      /** @type {TicketState} */
      const next = { ...state, ticket: t, error: null, missing: false };
      const calls = t.call_count || 0;
      if (t.status === "called" && calls > state.seenCalls) {
        // A first call or a recall the resident has not acknowledged yet: alert (again).
        next.alert = { number: t.number, window: t.window, callCount: calls };
      } else if (t.status !== "called") {
        next.alert = null;
      }
      if (t.status !== "waiting") next.cancelling = false;
      return next;
    }
    case "connection":
      return { ...state, connected: !!msg.connected };
    case "windows":
      return { ...state, windowsOpen: msg.open ?? null };
    case "dismiss":
      if (!state.alert) return state;
      return { ...state, alert: null, seenCalls: Math.max(state.seenCalls, state.alert.callCount) };
    case "cancel-ask":
      return state.ticket && state.ticket.status === "waiting" ? { ...state, cancelling: true } : state;
    case "cancel-back":
      return { ...state, cancelling: false };
    case "evaluated":
      return { ...state, evaluated: true, grade: msg.grade ?? state.grade, error: null };
    case "missing":
      return { ...state, missing: true };
    case "error":
      return { ...state, error: msg.message || null };
    default:
      return state; // unknown messages are ignored, as the contract asks of clients
  }
}

/**
 * Return what the page should show for a state.
 * @param {TicketState} state
 */
export function view(state) {
  const t = state.ticket;
  if (!t) return { phase: state.missing ? "missing" : "loading" };
  const phase = t.status;
  return {
    phase,
    active: ACTIVE.has(phase),
    showFigures: phase === "waiting",
    canCancel: phase === "waiting",
    confirmCancel: phase === "waiting" && state.cancelling,
    canEvaluate: phase === "done" && !state.evaluated,
    thanks: phase === "done" && state.evaluated,
    alert: state.alert,
    offline: ACTIVE.has(phase) && !state.connected,
    // Before opening time the estimate assumes every window that serves it is open: say so.
    notOpen: phase === "waiting" && state.windowsOpen === false,
  };
}

/**
 * Tell whether a phone number is acceptable: empty, or 11 digits starting with 1.
 * @param {string | null | undefined} phone
 */
export function phoneOk(phone) {
  const p = (phone || "").trim();
  return p === "" || /^1\d{10}$/.test(p);
}

/**
 * Build the body of POST /api/tickets from the confirm step, or name the error to show.
 * A phone alone is only for the hall's limits; texts come only when 短信提醒 is ticked, and then a phone is needed.
 * @param {{ service: string, pass?: string, phone?: string | null, sms?: boolean }} f
 * @returns {{ ok: true, body: { service: string, channel: "mobile", pass?: string, phone?: string, sms?: true } }
 *   | { ok: false, error: "phone_bad" | "sms_phone_needed" }}
 */
export function takeBody(f) {
  const phone = (f.phone || "").replace(/[\s-]/g, "");
  if (f.sms && !/^1\d{10}$/.test(phone)) return { ok: false, error: "sms_phone_needed" };
  if (!phoneOk(phone)) return { ok: false, error: "phone_bad" };
  /** @type {{ service: string, channel: "mobile", pass?: string, phone?: string, sms?: true }} */
  const body = { service: f.service, channel: "mobile" };
  if (f.pass) body.pass = f.pass;
  if (phone) body.phone = phone;
  if (f.sms) body.sms = true;
  return { ok: true, body };
}

/**
 * Remember a ticket in the list kept in localStorage; newest first, at most 10.
 * @param {unknown} list
 * @param {Kept} entry
 * @returns {Kept[]}
 */
export function remember(list, entry) {
  const rest = (Array.isArray(list) ? list : []).filter((/** @type {Kept} */ e) => e && e.id !== entry.id);
  return [{ ...entry }, ...rest].slice(0, 10);
}

/**
 * Return a token for a ticket id from the remembered list, or null.
 * @param {unknown} list
 * @param {number | string} id
 * @returns {string | null}
 */
export function tokenFor(list, id) {
  const hit = (Array.isArray(list) ? list : []).find((/** @type {Kept} */ e) => e && String(e.id) === String(id));
  return hit ? hit.token : null;
}

/**
 * Return the ticket to offer on the entry page: the newest one still active today.
 * @param {unknown} list
 * @param {string} today
 * @returns {Kept | null}
 */
export function activeEntry(list, today) {
  return (Array.isArray(list) ? list : []).find(
    (/** @type {Kept} */ e) => e && e.day === today && ACTIVE.has(e.status || "waiting")) || null;
}

/**
 * Format an estimate in minutes for people: whole minutes, never negative.
 * @param {number | null | undefined} m
 */
export function etaMinutes(m) {
  return Math.max(0, Math.round(Number(m) || 0));
}

/**
 * Return the i18n key and values for an estimate: none, under a minute, or about N minutes.
 * While no window that serves it is open (notOpen), the estimate counts from opening time,
 * and "no wait" would be untrue.
 * @param {number | null | undefined} minutes
 * @param {number} waiting
 * @param {boolean} [notOpen]
 * @returns {[string, Record<string, unknown>]}
 */
export function etaText(minutes, waiting, notOpen = false) {
  const n = etaMinutes(minutes);
  if (n > 0) return [notOpen ? "eta_n_open" : "eta_n", { n }];
  if (notOpen) return ["eta_closed", {}];
  return [waiting > 0 ? "eta_soon" : "eta_none", {}];
}

/**
 * Tell whether one of these window numbers is open or paused, given the hall's windows
 * ([{number, status}]); null when the hall's windows are not known.
 * @param {{ number: number, status: string }[] | null | undefined} windows
 * @param {(number | string)[] | null | undefined} numbers
 * @returns {boolean | null}
 */
export function servesNow(windows, numbers) {
  if (!Array.isArray(windows) || windows.length === 0) return null;
  const wanted = new Set((numbers || []).map(Number));
  return windows.some((w) => wanted.has(Number(w.number)) && (w.status === "open" || w.status === "paused"));
}

/**
 * Tell whether a ticket message moved the ticket: its status, place or estimate. A window that
 * opens moves the estimate of every ticket but the first in line; a message that moved nothing
 * (the socket's first view of a ticket just loaded) says nothing about the windows.
 * @param {Pick<Ticket, "status" | "ahead" | "eta_minutes"> | null} before
 * @param {Pick<Ticket, "status" | "ahead" | "eta_minutes"> | null} after
 */
export function ticketMoved(before, after) {
  if (!before || !after) return Boolean(after);
  return before.status !== after.status || before.ahead !== after.ahead
    || before.eta_minutes !== after.eta_minutes;
}

/**
 * Write window numbers compactly: runs of three or more become ranges (1–18).
 * @param {(number | string)[] | null | undefined} numbers
 */
export function windowList(numbers) {
  const ns = [...new Set((numbers || []).map(Number))].sort((a, b) => a - b);
  const parts = [];
  for (let i = 0; i < ns.length;) {
    let j = i;
    while (j + 1 < ns.length && ns[j + 1] === ns[j] + 1) j++;
    if (j - i >= 2) parts.push(`${ns[i]}–${ns[j]}`);
    else for (let k = i; k <= j; k++) parts.push(String(ns[k]));
    i = j + 1;
  }
  return parts.join("、");
}
