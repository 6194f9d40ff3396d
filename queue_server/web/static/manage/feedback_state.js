// @ts-check
// The 差评整改 board's pure state: labels, the next steps an item allows, the figures' tiles.
// Texts live in feedback_i18n.js (merged into the page's table); every label takes the page's language.

import { FEEDBACK_TEXT } from "./feedback_i18n.js";
import { translator } from "./i18n.js";

/** @typedef {import("../types/api").components["schemas"]} Schemas */

/** @type {Record<string, string>} */
const PREFIX = { status: "fb_st_", kind: "fb_k_", grade: "fb_g", method: "fb_m_", action: "fb_a_", source: "fb_s_" };

/**
 * Name a code in words: fbLabel("status", "open", "en") → "To call back"; "" for an unknown code.
 * @param {string} kind
 * @param {string | number | null | undefined} code
 * @param {string} [lang]
 */
export function fbLabel(kind, code, lang = "zh") {
  const key = PREFIX[kind] + code;
  return key in FEEDBACK_TEXT.zh ? translator(lang)(key) : "";
}

/**
 * @param {string} kind
 * @param {(string | number)[]} codes
 * @returns {Record<string, string>}
 */
function labels(kind, codes) {
  return Object.fromEntries(codes.map((c) => [c, fbLabel(kind, c)]));
}

// The Chinese names, kept for callers that only need Chinese.
export const STATUS_LABELS = labels("status", ["open", "visited", "rectified", "closed"]);
export const KIND_LABELS = labels("kind", ["bad_grade", "cannot_do"]);
export const GRADE_LABELS = labels("grade", [1, 2, 3, 4, 5]);
export const METHOD_LABELS = labels("method", ["phone", "in_person"]);
export const ACTION_LABELS = labels("action", ["visit", "rectify", "close"]);
export const SOURCE_LABELS = labels("source", ["pad", "mobile", "staff"]);

/** @type {Record<string, string[]>} */
const NEXT = { open: ["visit"], visited: ["rectify", "close"], rectified: ["close"], closed: [] };

/**
 * Return the steps an item in this status allows, in the order they are offered.
 * @param {string} status
 */
export function nextActions(status) {
  return NEXT[status] || [];
}

/**
 * Tell whether a hall message concerns the feedback board (a new grade may have opened an item).
 * @param {{ type?: unknown } | null | undefined} msg
 */
export function isFeedbackEvent(msg) {
  return !!msg && typeof msg.type === "string"
    && (msg.type.startsWith("feedback.") || msg.type === "ticket.evaluated" || msg.type === "case.evaluated");
}

/**
 * Return "YYYY-MM" for a day "YYYY-MM-DD".
 * @param {string} day
 */
export function monthOf(day) {
  return String(day).slice(0, 7);
}

/**
 * Return the month before or after "YYYY-MM" (delta in months).
 * @param {string} month
 * @param {number} delta
 */
export function shiftMonth(month, delta) {
  const [y, m] = month.split("-").map(Number);
  const n = y * 12 + (m - 1) + delta;
  return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, "0")}`;
}

/** @param {number | null | undefined} v */
function pct(v) {
  return v === null || v === undefined ? "—" : `${Number(v).toFixed(1)}%`;
}

/**
 * Return the month's figure tiles: [{key, label, value, bad}].
 * @param {Schemas["FeedbackStats"]} stats
 * @param {string} [lang]
 */
export function feedbackTiles(stats, lang = "zh") {
  const t = translator(lang);
  return [
    { key: "bad", value: String(stats.bad), bad: stats.bad > 0 },
    { key: "cannot_do", value: String(stats.cannot_do), bad: stats.cannot_do > 0 },
    { key: "visited_pct", value: pct(stats.visited_pct), bad: false },
    { key: "rectified_on_time_pct", value: pct(stats.rectified_on_time_pct), bad: false },
    { key: "open", value: String(stats.open), bad: false },
    { key: "overdue", value: String(stats.overdue), bad: stats.overdue > 0 },
  ].map((k) => ({ ...k, label: t("fb_t_" + k.key) }));
}

/**
 * Return the one-line summary of what an item is about.
 * @param {Schemas["FeedbackPublic"]} item
 * @param {string} [lang]
 */
export function itemSummary(item, lang = "zh") {
  const t = translator(lang);
  if (item.kind === "cannot_do") {
    return item.matter_name ? t("fb_matter", { name: item.matter_name }) : t("fb_no_matter");
  }
  const where = item.window ? t("fb_at_window", { n: item.window }) : t("fb_case");
  const who = item.clerk_name ? ` · ${item.clerk_name}` : "";
  const number = item.ticket_number ? ` · ${item.ticket_number}` : "";
  return `${where}${who}${number} · ${fbLabel("grade", item.grade, lang)}`;
}

/**
 * Check a step's form before sending it; return an error message or "".
 * @param {string} action
 * @param {{ method?: string, note?: string }} form
 * @param {string} [lang]
 */
export function checkStep(action, { method, note }, lang = "zh") {
  const t = translator(lang);
  if (action === "visit" && !(method && METHOD_LABELS[method])) return t("fb_err_method");
  const text = (note || "").trim();
  if (!text) return t("fb_err_note");
  if (text.length > 500) return t("fb_err_long", { n: 500 });
  return "";
}

/**
 * Name who took a step in words: a pad, the resident, the system, or the manager's username.
 * @param {string} by
 * @param {string} [lang]
 */
export function byLabel(by, lang = "zh") {
  const t = translator(lang);
  if (by.startsWith("device:")) return t("fb_by_pad");
  if (by.startsWith("resident:") || by.startsWith("applicant:")) return t("fb_by_resident");
  if (by === "system") return t("fb_by_system");
  return by.startsWith("user:") ? by.slice(5) : by;
}

/**
 * Return the ranking rows for display, with satisfaction shown as text.
 * @param {Schemas["WindowRank"][]} ranking
 * @param {number} [limit]
 */
export function rankingRows(ranking, limit = 18) {
  return ranking.slice(0, limit).map((r) => ({
    ...r, satisfied: pct(r.satisfied_pct), flag: r.satisfied_pct !== null && r.satisfied_pct < 90,
  }));
}
