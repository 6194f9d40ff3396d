// @ts-check
// The resident's case page (/m/c/{id}): a pure reducer and view, tested with node.

import { makeI18n } from "../common/i18n.js";
import { LANG_KEY } from "./i18n.js";

/** @typedef {import("../types/api").components["schemas"]["CasePublic"]} Case */
/** @typedef {{ case: Case | null, connected: boolean | null, error: string | null }} CaseState */

/** @type {import("../common/i18n.js").TextTable} */
export const CASE_TEXT = {
  zh: {
    c_number: "办件编号",
    c_missing_title: "请补齐以下材料",
    c_missing_hint: "材料备齐后，请带一次性告知书到 {n} 号窗口继续办理。补正期间办理时限暂停计算。",
    c_history: "办理进度",
    c_due: "预计办结",
    c_accepted: "受理时间",
    c_applicant: "申请人",
    c_result: "办理结果",
    c_mode: "办理方式",
    c_pickup: "已办结，请到 {n} 号窗口领取",
    c_pickup_sub: "请带好本人身份证和受理回执",
    c_mail: "已办结，结果将邮寄给您",
    c_delivered: "已领取，办理完毕",
    c_withdrawn: "已撤回",
    c_due_sub: "节假日不计入",
    c_on_time: "按时办结",
    c_late: "超过承诺时限",
    cst_accepted: "已受理", cst_processing: "办理中", cst_suspended: "待补正材料", cst_completed: "已办结",
    cst_delivered: "已领取", cst_withdrawn: "已撤回",
    res_approved: "准予办理", res_refused: "不予办理",
    mode_onsite: "现场办", mode_deferred: "延时办（{d} 个工作日）", mode_proxy: "代办",
    conn_lost: "网络中断，正在重新连接…",
    err_forbidden: "链接不完整或已失效，请重新扫描受理回执上的二维码。",
    err_not_found: "找不到这个办件，请重新扫描受理回执上的二维码。",
    err_network: "网络连接失败，请稍后再试。",
  },
  en: {
    c_number: "Case number",
    c_missing_title: "Please bring these materials",
    c_missing_hint: "When you have them, bring the notice to window {n}. The time limit is paused meanwhile.",
    c_history: "Progress",
    c_due: "Expected by",
    c_accepted: "Accepted",
    c_applicant: "Applicant",
    c_result: "Result",
    c_mode: "Handling",
    c_pickup: "Done: please collect it at window {n}",
    c_pickup_sub: "Bring your ID card and the acceptance receipt",
    c_mail: "Done: the result will be mailed to you",
    c_delivered: "Collected: all done",
    c_withdrawn: "Withdrawn",
    c_due_sub: "public holidays not counted",
    c_on_time: "on time",
    c_late: "later than promised",
    cst_accepted: "Accepted", cst_processing: "Processing", cst_suspended: "Waiting for materials", cst_completed: "Completed",
    cst_delivered: "Collected", cst_withdrawn: "Withdrawn",
    res_approved: "Approved", res_refused: "Refused",
    mode_onsite: "On the spot", mode_deferred: "Deferred ({d} working days)", mode_proxy: "By proxy",
    conn_lost: "Connection lost, reconnecting…",
    err_forbidden: "This link is incomplete or no longer valid: scan the QR code on your receipt again.",
    err_not_found: "No such case: scan the QR code on your receipt again.",
    err_network: "Network error, please try again later.",
  },
};

const cases = makeI18n(CASE_TEXT, LANG_KEY);
/** Return a translator for the case page's own texts, filling {name} placeholders. */
export const caseTranslator = cases.translator;
/** Translate the page's fixed [data-ci18n] text. */
export const applyCaseStatic = cases.applyStatic;

/** @returns {CaseState} */
export function initialCaseState() {
  return { case: null, connected: null, error: null };
}

/**
 * Apply a socket message ({type: "case"}), a connection change or an error. Unknown types change nothing.
 * @param {CaseState} state
 * @param {{ type?: string, [field: string]: any } | null | undefined} msg
 * @returns {CaseState}
 */
export function reduceCase(state, msg) {
  if (!msg || typeof msg !== "object") return state;
  switch (msg.type) {
    case "case":
      return msg.case ? { ...state, case: msg.case, error: null } : state;
    case "connection":
      return { ...state, connected: !!msg.connected };
    case "error":
      return { ...state, error: msg.code || "network" };
    default:
      return state;
  }
}

/**
 * Write an ISO date (YYYY-MM-DD) as 「2026年12月15日 星期二」.
 * @param {string | null | undefined} iso
 * @param {string} [lang]
 */
export function longDate(iso, lang = "zh") {
  if (!iso) return "";
  const [y, m, d] = iso.slice(0, 10).split("-").map(Number);
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  if (lang === "en") return `${iso.slice(0, 10)} (${["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][day]})`;
  return `${y}年${m}月${d}日 星期${"日一二三四五六"[day]}`;
}

/**
 * Mask a name for the resident's page (the link may be shared): 王*英.
 * @param {string | null | undefined} name
 */
export function maskName(name) {
  const s = String(name || "").trim();
  if (s.includes("*") || s.length < 2) return s;
  if (s.length === 2) return s[0] + "*";
  if (s.length === 3) return s[0] + "*" + s[2];
  return s.slice(0, 2) + "*".repeat(s.length - 2);
}

/**
 * What the page shows of a case it has.
 * @typedef {object} CaseShown
 * @property {string} number
 * @property {string} matter
 * @property {string} status
 * @property {string} statusCls
 * @property {{ text: string, sub: string, cls: string } | null} banner
 * @property {[string, string][]} facts
 * @property {string[]} missing
 * @property {string} missingHint
 * @property {{ status: string, at: string, note: string }[]} history
 * @property {string | null} conn
 * @property {string | null} error
 */

/**
 * Describe what the page shows for the state, in one language.
 * @param {CaseState} state
 * @param {string} [lang]
 * @returns {{ error: string | null } | CaseShown}
 */
export function caseView(state, lang = "zh") {
  const t = caseTranslator(lang);
  const c = state.case;
  if (!c) return { error: state.error ? t("err_" + state.error) : null };
  const pickupWindow = c.pickup_window;
  let banner = null;
  if (c.status === "completed") {
    banner = c.delivery === "mail" || (c.channel && c.channel !== "window")
      ? { text: t("c_mail"), sub: "", cls: "done" }
      : { text: t("c_pickup", { n: pickupWindow }), sub: t("c_pickup_sub"), cls: "pickup" };
  } else if (c.status === "delivered") {
    banner = { text: t("c_delivered"), sub: "", cls: "done" };
  }
  /** @type {[string, string][]} */
  const facts = [[t("c_mode"), t("mode_" + c.mode, { d: c.promised_days })]];
  if (c.status !== "withdrawn" && c.mode !== "onsite") facts.push([t("c_due"), longDate(c.due_date, lang)]);
  if (c.result) facts.push([t("c_result"), t("res_" + c.result) + (c.on_time === null || c.on_time === undefined ? "" : ` · ${t(c.on_time ? "c_on_time" : "c_late")}`)]);
  facts.push([t("c_applicant"), maskName(c.applicant && c.applicant.name)]);
  facts.push([t("c_accepted"), String(c.accepted_at || "").slice(0, 16).replace("T", " ")]);
  return {
    number: c.number,
    matter: c.matter_name,
    status: t("cst_" + c.status),
    statusCls: c.status,
    banner,
    facts,
    missing: c.status === "suspended" ? c.missing || [] : [],
    missingHint: t("c_missing_hint", { n: pickupWindow }),
    history: [...(c.history || [])].reverse().map((h) => ({
      status: t("cst_" + h.status), at: String(h.at || "").slice(0, 16).replace("T", " "), note: h.note || "" })),
    conn: state.connected === false ? t("conn_lost") : null,
    error: state.error ? t("err_" + state.error) : null,
  };
}
