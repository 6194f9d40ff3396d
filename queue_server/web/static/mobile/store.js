// The phone's memory of its tickets (localStorage), so that reopening a link restores the ticket.

import { remember, tokenFor } from "./state.js";

const KEY = "hall.mobile.tickets";
const SEEN = "hall.mobile.seen.";
const EVAL = "hall.mobile.evaluated.";

function read(key, fallback) {
  try { const v = localStorage.getItem(key); return v === null ? fallback : JSON.parse(v); }
  catch (e) { return fallback; }
}

function write(key, value) {
  try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: URL still works */ }
}

export function tickets() { return read(KEY, []); }
export function keep(entry) { write(KEY, remember(tickets(), entry)); }
export function token(id) { return tokenFor(tickets(), id); }
export function seenCalls(id) { return Number(read(SEEN + id, 0)) || 0; }
export function setSeenCalls(id, n) { write(SEEN + id, n); }
export function evaluated(id) { return read(EVAL + id, false) === true; }
export function setEvaluated(id) { write(EVAL + id, true); }

/** Return today's date in the hall's timezone (Asia/Shanghai) as YYYY-MM-DD. */
export function hallToday(now = new Date()) {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}
