// @ts-check
// Calls for a guide (呼叫导办员) on the staff pages: a pure reducer (state, message) → state and
// the words for each call, in Chinese first and English. Nothing here touches the DOM or the network.

import { makeI18n } from "./i18n.js";

/** @typedef {import("../types/api").components["schemas"]["HelpPublic"]} HelpCall */

/**
 * @typedef {object} HelpState
 * @property {HelpCall[]} calls the open calls, oldest first
 * @property {number | null} busy the call whose answer is in flight
 * @property {string | null} error the last refusal, shown until the next answer
 * @property {number[]} chimed ids of calls already announced with a chime
 */

/** @type {Record<"zh" | "en", Record<string, string>>} */
export const TEXT = {
  zh: {
    title: "呼叫导办员",
    call: "{kiosk} 呼叫导办员",
    reason_cannot_find: "找不到要办的事",
    reason_cannot_read: "看不清、不会操作",
    reason_other: "需要帮助",
    reason_none: "需要帮助",
    ago_s: "{n} 秒前",
    ago_m: "{n} 分钟前",
    ago_h: "{n} 小时前",
    on_way: "{by} 已前往",
    ack: "我去处理",
    resolve: "已解决",
    failed: "操作没有成功：{msg}",
  },
  en: {
    title: "Guide calls",
    call: "{kiosk} is calling a guide",
    reason_cannot_find: "cannot find the service",
    reason_cannot_read: "cannot read the screen",
    reason_other: "needs help",
    reason_none: "needs help",
    ago_s: "{n} s ago",
    ago_m: "{n} min ago",
    ago_h: "{n} h ago",
    on_way: "{by} is on the way",
    ack: "I'm going",
    resolve: "Resolved",
    failed: "That did not work: {msg}",
  },
};

// The panel follows its page's language (the page remembers it); this key is never written.
const { translator } = makeI18n(TEXT, "hall.lang.help");

/**
 * Return a translator for the panel's words, filling {name} placeholders.
 * @param {string} lang
 */
export function helpText(lang) {
  return translator(lang);
}

/** @returns {HelpState} */
export function initialHelp() {
  return { calls: [], busy: null, error: null, chimed: [] };
}

/**
 * Keep the open calls, oldest first.
 * @param {HelpCall[]} calls
 */
function openOnly(calls) {
  return calls.filter((c) => c.status !== "resolved")
    .sort((a, b) => Date.parse(a.requested_at) - Date.parse(b.requested_at) || a.id - b.id);
}

/**
 * Fold one message into the panel's state.
 * @param {HelpState} state
 * @param {{ type: string, [field: string]: any }} msg
 * @returns {HelpState}
 */
export function reduceHelp(state, msg) {
  switch (msg.type) {
    case "list":
      return { ...state, calls: openOnly(msg.calls || []) };
    case "busy":
      return { ...state, busy: msg.id, error: null };
    case "done": {
      /** @type {HelpCall} */
      const call = msg.call;
      const rest = state.calls.filter((c) => c.id !== call.id);
      return { ...state, busy: null, error: null, calls: openOnly(call.status === "resolved" ? rest : [...rest, call]) };
    }
    case "failed":
      return { ...state, busy: null, error: msg.message || "" };
    case "chimed":
      return { ...state, chimed: [...new Set([...state.chimed, ...(msg.ids || [])])].slice(-200) };
    case "clear":
      return initialHelp();
    default:
      return state;
  }
}

/**
 * Return the ids of waiting calls not yet announced: each new call chimes once.
 * @param {HelpState} state
 * @returns {number[]}
 */
export function toChime(state) {
  return state.calls.filter((c) => c.status === "requested" && !state.chimed.includes(c.id)).map((c) => c.id);
}

/**
 * Tell whether a hall message means the list of calls changed (or may have: a fresh snapshot).
 * @param {{ type?: string } | null | undefined} m
 */
export function helpChanged(m) {
  return !!m && typeof m.type === "string" && (m.type.startsWith("help.") || m.type === "snapshot");
}

/**
 * Say how long ago a call was made.
 * @param {string} iso
 * @param {number} nowMs
 * @param {string} lang
 */
export function ago(iso, nowMs, lang) {
  const t = helpText(lang);
  const s = Math.max(0, Math.floor((nowMs - Date.parse(iso)) / 1000));
  if (s < 60) return t("ago_s", { n: s });
  if (s < 3600) return t("ago_m", { n: Math.floor(s / 60) });
  return t("ago_h", { n: Math.floor(s / 3600) });
}

/**
 * Return the words of one call: its headline and the line under it.
 * @param {HelpCall} call
 * @param {number} nowMs
 * @param {string} lang
 * @returns {{ headline: string, detail: string }}
 */
export function describe(call, nowMs, lang) {
  const t = helpText(lang);
  const reason = t("reason_" + (call.reason || "none"));
  const detail = call.status === "acknowledged" && call.by
    ? `${reason} · ${ago(call.requested_at, nowMs, lang)} · ${t("on_way", { by: call.by })}`
    : `${reason} · ${ago(call.requested_at, nowMs, lang)}`;
  return { headline: t("call", { kiosk: call.kiosk_name }), detail };
}
