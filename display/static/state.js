// @ts-check
// Pure state for the hall board and the window screens: (state, message) → state.
//
// Messages are what /ws/hall sends (a snapshot or an event) plus a few local ones:
// {type: "connection", connected}, {type: "queue", …/api/queue} (a periodic refresh for the
// estimates, which events do not carry) and {type: "config", …/display/config.json}.
// Nothing here touches the DOM, the clock or the network, so node --test can check it all.

export const RECENT_LIMIT = 10;
export const PICKUP_LIMIT = 30;

/** @typedef {{ number: string, status: string }} Current */
/** @typedef {{ number: number, name?: string, name_en?: string, status: string, current: Current | null }} BoardWindow */
/** @typedef {{ code: string, name?: string, name_en?: string, waiting: number, eta_minutes: number }} BoardCategory */
/** @typedef {{ number: string, window: number, at?: string }} Call */
/** @typedef {Call & { kind: string, seq: number }} Banner */
/** @typedef {{ id: number, number: string, window: number, at?: string }} Pickup */
/** @typedef {{ type?: string, [field: string]: any }} Msg a hall message or one of the board's own */

/**
 * What events change, on the board and on a window screen alike.
 * @typedef {object} Hall
 * @property {BoardWindow[]} windows
 * @property {BoardCategory[]} categories
 * @property {Call[]} recent
 * @property {Banner | null} banner
 * @property {Pickup[]} [pickup]
 */

/**
 * The board's state.
 * @typedef {object} BoardExtra
 * @property {number | null} seq
 * @property {boolean} connected
 * @property {Record<string, number[]>} serving which windows serve each category
 * @property {Pickup[]} pickup
 * @property {string} notice
 * @property {{ repeat: number, digits: boolean }} announce
 */
/** @typedef {Hall & BoardExtra} BoardState */

/**
 * The board's configuration (board_config() on the server).
 * @typedef {object} BoardConfig
 * @property {{ number: number, name: string, name_en?: string }[]} [windows]
 * @property {{ code: string, name: string, name_en?: string, windows?: number[] }[]} [categories]
 * @property {string} [notice]
 * @property {{ repeat?: number, digits?: boolean }} [announce]
 */

/**
 * Return the board state before the first snapshot, from the configured windows.
 * @param {BoardConfig} [config]
 * @returns {BoardState}
 */
export function initialBoard(config = {}) {
  return {
    seq: null,
    connected: false,
    windows: (config.windows || []).map((w) => ({ ...w, status: "closed", current: null })),
    categories: (config.categories || []).map((c) => ({ ...c, waiting: 0, eta_minutes: 0 })),
    // Which windows serve each category: from the configuration, so snapshots keep it.
    serving: Object.fromEntries((config.categories || []).map((c) => [c.code, c.windows || []])),
    recent: [],
    pickup: [],
    banner: null,
    notice: config.notice || "",
    announce: { repeat: 2, digits: true, ...(config.announce || {}) },
  };
}

/**
 * @param {BoardState} state
 * @param {Msg} snap
 * @returns {BoardState}
 */
function fromSnapshot(state, snap) {
  /** @type {Call[]} */
  const recent = (snap.recent_calls || []).slice(0, RECENT_LIMIT).map((/** @type {Call} */ c) => ({ ...c }));
  return {
    ...state,
    seq: snap.seq,
    windows: (snap.windows || []).map((/** @type {BoardWindow} */ w) => ({ ...w, current: w.current ? { ...w.current } : null })),
    categories: (snap.categories || []).map((/** @type {BoardCategory} */ c) => ({ ...c })),
    recent,
    // Completed cases waiting at the pickup window (numbers only); an older server sends none.
    pickup: Array.isArray(snap.pickup) ? snap.pickup.slice(0, PICKUP_LIMIT).map((/** @type {Pickup} */ p) => ({ ...p })) : state.pickup || [],
    // The banner keeps showing the newest call the snapshot knows of; a fresh board starts
    // with it too, so the hall never sees an empty banner after a restart.
    banner: recent.length ? { ...recent[0], kind: "call", seq: snap.seq } : null,
  };
}

/**
 * @param {Hall} state
 * @param {number} number
 * @param {(w: BoardWindow) => BoardWindow} fn
 */
function mapWindow(state, number, fn) {
  return state.windows.map((w) => (w.number === number ? fn(w) : w));
}

/**
 * @param {Hall} state
 * @param {string | undefined} code
 * @param {number} delta
 */
function addWaiting(state, code, delta) {
  if (!code) return state.categories;
  return state.categories.map((c) =>
    c.code === code ? { ...c, waiting: Math.max(0, c.waiting + delta) } : c);
}

/**
 * @param {BoardWindow[]} windows
 * @param {{ number: string }} ticket
 * @param {number | null | undefined} number
 */
function clearTicket(windows, ticket, number) {
  // Clear the window that holds this ticket: the event's window when known, else any holder.
  return windows.map((w) =>
    w.current && w.current.number === ticket.number && (number == null || w.number === number)
      ? { ...w, current: null } : w);
}

/**
 * @param {Hall} state
 * @param {{ number: string }} ticket
 */
function holder(state, ticket) {
  return state.windows.find((w) => w.current && w.current.number === ticket.number);
}

/**
 * @template {Hall} T
 * @param {T} state
 * @param {Msg} ev
 * @returns {T}
 */
function applyEvent(state, ev) {
  const t = ev.ticket;
  const n = ev.window;
  switch (ev.type) {
    case "ticket.issued":
      return { ...state, categories: addWaiting(state, t && t.category, +1) };
    case "ticket.called":
    case "ticket.recalled": {
      if (!t || n == null) return state;
      const call = { number: t.number, window: n, at: ev.at };
      const fresh = ev.type === "ticket.called";
      let windows = state.windows.map((w) =>
        w.current && w.current.number === t.number && w.number !== n ? { ...w, current: null } : w);
      windows = windows.map((w) => (w.number === n ? { ...w, current: { number: t.number, status: "called" } } : w));
      return {
        ...state,
        windows,
        categories: fresh ? addWaiting(state, t.category, -1) : state.categories,
        recent: [call, ...state.recent].slice(0, RECENT_LIMIT),
        banner: { ...call, kind: fresh ? "call" : "recall", seq: ev.seq },
      };
    }
    case "ticket.started":
      if (!t || n == null) return state;
      return { ...state, windows: mapWindow(state, n, (w) => ({ ...w, current: { number: t.number, status: "serving" } })) };
    case "ticket.finished":
    case "ticket.no_show":
      if (!t) return state;
      return { ...state, windows: clearTicket(state.windows, t, n) };
    case "ticket.transferred":
      // Back to waiting, counted in the target service's category.
      if (!t) return state;
      return { ...state, windows: clearTicket(state.windows, t, n), categories: addWaiting(state, t.category, +1) };
    case "ticket.cancelled":
      return t ? { ...state, categories: addWaiting(state, t.category, -1) } : state;
    case "ticket.expired": {
      if (!t) return state;
      if (holder(state, t)) return { ...state, windows: clearTicket(state.windows, t, null) };
      return { ...state, categories: addWaiting(state, t.category, -1) };
    }
    case "window.opened":
    case "window.resumed":
      return n == null ? state : { ...state, windows: mapWindow(state, n, (w) => ({ ...w, status: "open" })) };
    case "window.paused":
      return n == null ? state : { ...state, windows: mapWindow(state, n, (w) => ({ ...w, status: "paused" })) };
    case "window.closed":
      return n == null ? state : { ...state, windows: mapWindow(state, n, (w) => ({ ...w, status: "closed", current: null })) };
    case "case.completed": {
      const c = ev.case;
      if (!c || ev.pickup_window == null) return state;
      const rest = (state.pickup || []).filter((p) => p.id !== c.id);
      return { ...state, pickup: [...rest, { id: c.id, number: c.number, window: ev.pickup_window, at: ev.at }].slice(-PICKUP_LIMIT) };
    }
    case "case.delivered":
    case "case.withdrawn":
    case "case.processing":
    case "case.suspended":
      return ev.case ? { ...state, pickup: (state.pickup || []).filter((p) => p.id !== ev.case.id) } : state;
    default:
      return state; // the list of types may grow: ignore what we do not know
  }
}

/**
 * Apply one message to the board state and return the new state.
 * @param {BoardState} state
 * @param {Msg | null | undefined} msg
 * @returns {BoardState}
 */
export function reduceBoard(state, msg) {
  if (!msg || typeof msg !== "object") return state;
  switch (msg.type) {
    case "snapshot":
      return fromSnapshot(state, msg);
    case "connection":
      return state.connected === !!msg.connected ? state : { ...state, connected: !!msg.connected };
    case "config":
      return {
        ...state,
        notice: typeof msg.notice === "string" ? msg.notice : state.notice,
        announce: { ...state.announce, ...(msg.announce || {}) },
      };
    case "queue": {
      // A polled /api/queue: newer than what we hold replaces it like a snapshot (keeping the
      // banner); older, it only brings the estimates, which events never carry.
      if (state.seq === null || msg.seq >= state.seq) {
        const next = fromSnapshot(state, msg);
        return { ...next, banner: state.banner && next.banner && state.banner.number === next.banner.number ? state.banner : next.banner };
      }
      /** @type {Map<string, number>} */
      const eta = new Map((msg.categories || []).map((/** @type {BoardCategory} */ c) => [c.code, c.eta_minutes]));
      return { ...state, categories: state.categories.map((c) => (eta.has(c.code) ? { ...c, eta_minutes: eta.get(c.code) || 0 } : c)) };
    }
    default:
      if (typeof msg.seq !== "number") return state;
      if (state.seq !== null && msg.seq <= state.seq) return state; // already applied
      return { ...applyEvent(state, msg), seq: msg.seq };
  }
}

/**
 * Return the calls to announce because of this message: [{number, window, kind, seq}].
 * @param {BoardState} prev
 * @param {Msg | null | undefined} msg
 * @returns {Banner[]}
 */
export function callsToAnnounce(prev, msg) {
  if (!msg) return [];
  if ((msg.type === "ticket.called" || msg.type === "ticket.recalled") && msg.ticket && msg.window != null) {
    if (prev.seq !== null && msg.seq <= prev.seq) return [];
    return [{ number: msg.ticket.number, window: msg.window, kind: msg.type === "ticket.called" ? "call" : "recall", seq: msg.seq }];
  }
  if (msg.type === "snapshot" && prev.seq !== null) {
    // A snapshot after a long absence: announce windows that now call someone new.
    const before = new Map(prev.windows.map((w) => [w.number, w.current && w.current.number]));
    return (msg.windows || [])
      .filter((/** @type {BoardWindow} */ w) => w.current && w.current.status === "called" && before.get(w.number) !== w.current.number)
      .map((/** @type {BoardWindow & { current: Current }} */ w) => ({ number: w.current.number, window: w.number, kind: "call", seq: msg.seq }));
  }
  return [];
}

/**
 * Return the pickup announcements of this message: a case completed for collection at a window.
 * @param {BoardState} prev
 * @param {Msg | null | undefined} msg
 * @returns {Banner[]}
 */
export function pickupsToAnnounce(prev, msg) {
  if (!msg || msg.type !== "case.completed" || !msg.case || msg.pickup_window == null) return [];
  if (prev.seq !== null && msg.seq <= prev.seq) return [];
  return [{ number: msg.case.number, window: msg.pickup_window, kind: "pickup", seq: msg.seq }];
}

/**
 * Shorten a case number for the board and the voice: BJ20261201-0007 → BJ…0007.
 * @param {string} number
 */
export function shortCaseNumber(number) {
  const m = /^([A-Za-z]*)[\d-]*?(\d{4})$/.exec(String(number));
  return m ? `${m[1]}…${m[2]}` : String(number);
}

/**
 * Return the words on screen for a pickup: BJ…0007 已办结，请到 18 号窗口领取.
 * @param {string} number
 * @param {number} window
 */
export function pickupPhrase(number, window) {
  return `${shortCaseNumber(number)} 已办结，请到 ${window} 号窗口领取`;
}

/**
 * Return the words to speak for a pickup, digits spelt out for a Mandarin voice.
 * @param {string} number
 * @param {number} window
 */
export function spokenPickup(number, window) {
  const m = /^([A-Za-z]*)[\d-]*?(\d{4})$/.exec(String(number));
  const who = m ? `${m[1]} ${m[2].split("").map((d) => DIGITS[+d]).join("")}` : String(number);
  return `${who} 已办结，请到 ${chineseNumber(window)} 号窗口 领取`;
}

/**
 * Tell whether a queued announcement still matches the window (skip it when superseded).
 * @param {BoardState} state
 * @param {{ kind?: string, number: string, window: number }} item
 */
export function stillCurrent(state, item) {
  if (item.kind === "pickup") return (state.pickup || []).some((p) => p.number === item.number);
  const w = state.windows.find((x) => x.number === item.window);
  return !!(w && w.current && w.current.number === item.number);
}

/**
 * The state of the screen above one window.
 * @typedef {object} ScreenState
 * @property {number | null} seq
 * @property {boolean} connected
 * @property {number} number
 * @property {string} name
 * @property {string} name_en
 * @property {string} status
 * @property {Current | null} current
 * @property {number} flash counts the calls to this window, so each one flashes the screen
 */

/**
 * Return the window screen's state before the first snapshot.
 * @param {{ number: number, name: string, name_en?: string }} window
 * @returns {ScreenState}
 */
export function initialWindow(window) {
  return { seq: null, connected: false, number: window.number, name: window.name,
    name_en: window.name_en || "", status: "closed", current: null, flash: 0 };
}

/**
 * Apply one message to a window screen's state and return the new state.
 * @param {ScreenState} state
 * @param {Msg | null | undefined} msg
 * @returns {ScreenState}
 */
export function reduceWindow(state, msg) {
  if (!msg || typeof msg !== "object") return state;
  if (msg.type === "connection") {
    return state.connected === !!msg.connected ? state : { ...state, connected: !!msg.connected };
  }
  if (msg.type === "snapshot") {
    const w = (msg.windows || []).find((/** @type {BoardWindow} */ x) => x.number === state.number);
    return w ? { ...state, seq: msg.seq, status: w.status, name: w.name, name_en: w.name_en || state.name_en,
      current: w.current ? { ...w.current } : null } : { ...state, seq: msg.seq };
  }
  if (typeof msg.seq !== "number" || (state.seq !== null && msg.seq <= state.seq)) return state;
  const board = applyEvent({ windows: [{ number: state.number, status: state.status, current: state.current }],
    categories: [], recent: [], banner: null }, msg);
  const w = board.windows[0];
  const called = (msg.type === "ticket.called" || msg.type === "ticket.recalled") && msg.window === state.number;
  return { ...state, seq: msg.seq, status: w.status, current: w.current, flash: called ? state.flash + 1 : state.flash };
}

const DIGITS = "零一二三四五六七八九";

/**
 * Read a whole number the ordinary Chinese way (0 ≤ n < 10000): 10 → 十, 107 → 一百零七.
 * @param {number | string} n
 */
export function chineseNumber(n) {
  n = Math.floor(Number(n));
  if (!(n >= 0 && n < 10000)) return String(n);
  if (n < 10) return DIGITS[n];
  const units = ["", "十", "百", "千"];
  const ds = String(n).split("").map(Number);
  let out = "";
  let zero = false;
  ds.forEach((d, i) => {
    const unit = units[ds.length - 1 - i];
    if (d === 0) { zero = true; return; }
    if (zero && out) out += "零";
    zero = false;
    out += (d === 1 && unit === "十" && i === 0 ? "" : DIGITS[d]) + unit;
  });
  return out;
}

/**
 * Spell a ticket number for speech: digit by digit (A007 → A 零零七) or as a number (A 七).
 * @param {string} number
 * @param {boolean} [digits]
 */
export function spokenTicket(number, digits = true) {
  const m = /^([A-Za-z]*)(\d+)$/.exec(String(number));
  if (!m) return String(number);
  const body = digits ? m[2].split("").map((d) => DIGITS[+d]).join("") : chineseNumber(+m[2]);
  return (m[1] ? m[1] + " " : "") + body;
}

/**
 * Return the words on screen for a call: 请 A007 号 到 3 号窗口 办理.
 * @param {string} number
 * @param {number} window
 */
export function callPhrase(number, window) {
  return `请 ${number} 号 到 ${window} 号窗口 办理`;
}

/**
 * Return the words to speak for a call, with numbers spelt for a Mandarin voice.
 * @param {string} number
 * @param {number} window
 * @param {boolean} [digits]
 */
export function spokenPhrase(number, window, digits = true) {
  return `请 ${spokenTicket(number, digits)} 号 到 ${chineseNumber(window)} 号窗口 办理`;
}

/**
 * Tell whether a window that serves the category is open or paused. Until one is, the
 * category's estimate assumes they all are, so the board says they have not started instead.
 * A category the configuration names no windows for counts as open.
 * @param {BoardState} state
 * @param {string} code
 */
export function categoryOpen(state, code) {
  const numbers = new Set((state.serving || {})[code] || []);
  if (numbers.size === 0) return true;
  return state.windows.some((w) => numbers.has(w.number) && (w.status === "open" || w.status === "paused"));
}
