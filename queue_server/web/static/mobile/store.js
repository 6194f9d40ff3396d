// @ts-check
// The phone's memory of its tickets (localStorage), so that reopening a link restores the ticket.

import { hallKey } from "../common/hall.js";
import { remember, tokenFor } from "./state.js";

// Ticket ids are each hall's own: the memory of one hall's tickets is kept apart from another's.
const KEY = hallKey("hall.mobile.tickets");
const SEEN = "hall.mobile.seen.";
const EVAL = "hall.mobile.evaluated.";

/**
 * @param {string} key
 * @param {unknown} fallback
 * @returns {any}
 */
function read(key, fallback) {
  try { const v = localStorage.getItem(key); return v === null ? fallback : JSON.parse(v); }
  catch (e) { return fallback; }
}

/**
 * @param {string} key
 * @param {unknown} value
 */
function write(key, value) {
  try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: URL still works */ }
}

/** @typedef {import("./state.js").Kept} Kept */

/** Return the tickets this phone remembers, newest first. */
export function tickets() { return read(KEY, []); }
/** Remember a ticket (again). @param {Kept} entry */
export function keep(entry) { write(KEY, remember(tickets(), entry)); }
/** Return the remembered token of a ticket, or null. @param {number | string} id */
export function token(id) { return tokenFor(tickets(), id); }
/** Return how many calls of a ticket were acknowledged on this phone. @param {number | string} id */
export function seenCalls(id) { return Number(read(hallKey(SEEN + id), 0)) || 0; }
/** @param {number | string} id @param {number} n */
export function setSeenCalls(id, n) { write(hallKey(SEEN + id), n); }
/** Tell whether this phone graded the ticket. @param {number | string} id */
export function evaluated(id) { return read(hallKey(EVAL + id), false) === true; }
/** @param {number | string} id */
export function setEvaluated(id) { write(hallKey(EVAL + id), true); }

/** Return today's date in the hall's timezone (Asia/Shanghai) as YYYY-MM-DD. */
export function hallToday(now = new Date()) {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}
