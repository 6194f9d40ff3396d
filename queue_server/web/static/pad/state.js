// @ts-check
// Evaluation pad state: a pure reducer (state, message) → state. No DOM, no network.
import { translator } from "./i18n.js";

/** @typedef {import("../types/api").components["schemas"]["WindowPublic"]} Win */

/**
 * The pad's state.
 * @typedef {object} PadState
 * @property {number} window the window this pad faces the residents of
 * @property {string} phase idle | prompt | reason | sending | thanks | expired | error
 * @property {Win | null} info
 * @property {{ id: number, number: string } | null} ticket the ticket to grade
 * @property {number | null} grade
 * @property {string[]} reasons
 * @property {string | null} message
 * @property {string | null} messageKey
 * @property {boolean} connected
 * @property {boolean} noToken
 */

/**
 * The five grades of 好差评, best first: [grade, label].
 * @type {[number, string][]}
 */
export const GRADES = [
  [5, "非常满意"],
  [4, "满意"],
  [3, "基本满意"],
  [2, "不满意"],
  [1, "非常不满意"],
];

/** Reasons asked for when the grade is 2 or less. */
export const REASONS = ["态度", "效率", "流程", "其他"];

/** The i18n key of each reason's label; the reason sent to the server stays Chinese. */
/** @type {Record<string, string>} */
export const REASON_KEYS = { 态度: "r_attitude", 效率: "r_speed", 流程: "r_procedure", 其他: "r_other" };

/** How long each screen stays before the pad goes idle again, in milliseconds. */
/** @type {Record<string, number>} */
export const TIMEOUTS = { prompt: 120000, reason: 120000, thanks: 5000, expired: 6000, error: 15000 };

/**
 * @param {number} window
 * @returns {PadState}
 */
export function initialState(window) {
  return {
    window,
    phase: "idle",
    info: null,
    ticket: null,
    grade: null,
    reasons: [],
    message: null,
    messageKey: null,
    connected: false,
    noToken: false,
  };
}

/**
 * Name a grade in the language ("" for no grade).
 * @param {number | null} grade
 * @param {string} [lang]
 */
export function gradeLabel(grade, lang = "zh") {
  const g = GRADES.find(([n]) => n === grade);
  return g ? translator(lang)("g" + grade) : "";
}

/**
 * Say the screen's message in the language: a known case by its key, else the server's words (Chinese) or a plain retry.
 * @param {PadState} state
 * @param {string} [lang]
 */
export function messageText(state, lang = "zh") {
  if (state.messageKey) return translator(lang)(state.messageKey);
  if (!state.message) return "";
  return lang === "zh" ? state.message : translator(lang)("m_failed");
}

/**
 * Fold one message into the pad's state.
 * @param {PadState} state
 * @param {{ type: string, [field: string]: any }} msg
 * @returns {PadState}
 */
export function reduce(state, msg) {
  switch (msg.type) {
    case "no-token":
      return { ...state, noToken: true };
    case "socket":
      return { ...state, connected: !!msg.connected };
    case "windows": {
      const info = (msg.windows || []).find((/** @type {Win} */ w) => w.number === state.window) || null;
      return { ...state, info };
    }
    case "hall": {
      const m = msg.msg;
      if (m && m.type === "ticket.finished" && m.window === state.window && m.ticket) {
        return {
          ...state, phase: "prompt", ticket: { id: m.ticket.id, number: m.ticket.number },
          grade: null, reasons: [], message: null, messageKey: null,
        };
      }
      return state;
    }
    case "grade": {
      if (state.phase !== "prompt" && state.phase !== "error") return state;
      if (!GRADES.some(([n]) => n === msg.grade)) return state;
      if (msg.grade <= 2) return { ...state, phase: "reason", grade: msg.grade, reasons: [], message: null };
      return { ...state, phase: "sending", grade: msg.grade, reasons: [], message: null };
    }
    case "toggle-reason": {
      if (state.phase !== "reason" || !REASONS.includes(msg.reason)) return state;
      const has = state.reasons.includes(msg.reason);
      /** @type {string[]} */
      const reasons = has ? state.reasons.filter((r) => r !== msg.reason) : [...state.reasons, msg.reason];
      return { ...state, reasons: REASONS.filter((r) => reasons.includes(r)) };
    }
    case "submit-reasons":
      if (state.phase !== "reason" || state.reasons.length === 0) return state;
      return { ...state, phase: "sending" };
    case "back":
      return state.phase === "reason" ? { ...state, phase: "prompt", grade: null, reasons: [] } : state;
    case "sent":
      return { ...state, phase: "thanks", message: null, messageKey: null };
    case "send-failed": {
      const t = translator("zh");
      if (msg.code === "already_evaluated") return { ...state, phase: "thanks", message: t("m_already"), messageKey: "m_already" };
      if (msg.code === "ticket_not_done") return { ...state, phase: "expired", message: t("m_expired"), messageKey: "m_expired" };
      const key = msg.code === "network" ? "m_network" : msg.message ? null : "m_failed";
      return { ...state, phase: "error", message: msg.message || t("m_failed"), messageKey: key };
    }
    case "timeout":
      if (msg.phase !== state.phase || state.phase === "sending") return state;
      return { ...state, phase: "idle", ticket: null, grade: null, reasons: [], message: null, messageKey: null };
    default:
      return state;
  }
}

/**
 * The evaluation request body for the current state, or null when nothing is to be sent.
 * @param {PadState} state
 */
export function evaluationBody(state) {
  if (state.phase !== "sending" || !state.grade) return null;
  /** @type {{ grade: number, reasons?: string[] }} */
  const body = { grade: state.grade };
  if (state.reasons.length) body.reasons = [...state.reasons];
  return body;
}

/**
 * Tell whether a hall message may change what the idle screen shows.
 * @param {{ type?: string, window?: number } | null | undefined} m
 * @param {number} window
 */
export function needsWindowRefresh(m, window) {
  if (!m || !m.type) return false;
  return m.type === "snapshot" || (m.type.startsWith("window.") && m.window === window);
}
