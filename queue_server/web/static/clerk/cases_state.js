// @ts-check
// The clerk console's 办件 panel: a pure reducer (state, message) → state, plus pure selectors.
// No DOM, no network: node --test covers it (tests/js/cases_pages.test.mjs).

import { translator } from "./i18n.js";

/** @typedef {import("../types/api").components["schemas"]} Schemas */
/** @typedef {Schemas["CasePublic"]} Case */
/** @typedef {Schemas["GuideMatter"]} Matter */
/** @typedef {"due" | "overdue" | "suspended" | "pickup" | "proxy" | "search"} ListName */
/** @typedef {{ kind: "ok" | "error", key?: string, code?: string, message?: string, vars: Record<string, unknown> }} PanelMsg */

/**
 * The 办件 panel's state.
 * @typedef {object} CasesState
 * @property {string} tab
 * @property {Record<ListName, Case[]>} lists
 * @property {boolean} loaded
 * @property {Case | null} selected
 * @property {string | null} form the action form open under the selected case
 * @property {Matter[]} guide the matters found for the new-case form
 * @property {string} guideQuery
 * @property {Matter[]} picked the matters the new case (or cases) will be for
 * @property {string | null} busy the request in flight
 * @property {PanelMsg | null} msg
 * @property {Case[]} created
 * @property {string} query
 * @property {number | null} windowNo
 * @property {number | null} pickupWindow
 * @property {number | null} proxyWindow
 * @property {boolean} chosen whether the clerk picked the tab (rather than the window's default)
 */

export const TABS = ["new", "due", "overdue", "suspended", "pickup", "proxy", "search"];
/** The tabs a window may open on by itself; the clerk's own choice wins until the window changes. */
const AUTO_TABS = ["due", "pickup", "proxy"];
export const OPEN = ["accepted", "processing", "suspended"];

/**
 * Which actions a case allows in each state (the contract's state machine, as buttons).
 * @type {Record<string, string[]>}
 */
const ACTIONS = {
  accepted: ["process", "suspend", "complete", "withdraw"],
  processing: ["suspend", "complete", "withdraw"],
  suspended: ["resume", "withdraw"],
  completed: ["deliver-pickup", "deliver-mail"],
  villageCompleted: ["deliver-agent", "deliver-pickup", "deliver-mail"],
  delivered: [],
  withdrawn: [],
};

/** @returns {CasesState} */
export function initialCases() {
  return {
    tab: "due", lists: { due: [], overdue: [], suspended: [], pickup: [], proxy: [], search: [] }, loaded: false,
    selected: null, form: null, guide: [], guideQuery: "", picked: [], busy: null, msg: null, created: [], query: "",
    windowNo: null, pickupWindow: null, proxyWindow: null, chosen: false,
  };
}

/**
 * Return the actions the case's state allows, as data-action suffixes.
 * @param {Case | null | undefined} c
 * @returns {string[]}
 */
export function caseActions(c) {
  if (!c) return [];
  if (c.status === "completed" && isVillage(c)) return ACTIONS.villageCompleted;
  return ACTIONS[c.status] || [];
}

/**
 * Tell whether a case came from a village: an agent's (村能办) or a home case (家能办).
 * @param {Pick<Case, "channel">} c
 */
export function isVillage(c) {
  return c.channel === "agent" || c.channel === "home";
}

/**
 * Return the tab a window opens on: 待领取 at the pickup window, 代办件 at the proxy window.
 * @param {number | null} windowNo
 * @param {number | null} pickupWindow
 * @param {number | null} proxyWindow
 */
export function defaultTab(windowNo, pickupWindow, proxyWindow) {
  if (windowNo && windowNo === proxyWindow) return "proxy";
  if (windowNo && windowNo === pickupWindow) return "pickup";
  return "due";
}

/**
 * Open the window's own tab unless the clerk has picked one (or is on the form or a search).
 * @param {CasesState} state
 * @returns {CasesState}
 */
function autoTab(state) {
  if (state.chosen || !AUTO_TABS.includes(state.tab)) return state;
  return { ...state, tab: defaultTab(state.windowNo, state.pickupWindow, state.proxyWindow) };
}

/**
 * Return the documents that make sense to print for a case now.
 * @param {Case | null | undefined} c
 */
export function printKinds(c) {
  if (!c || c.status === "withdrawn") return [];
  const kinds = ["acceptance"];
  if (c.status === "suspended" || (c.missing && c.missing.length)) kinds.push("notice");
  if (c.status === "completed" || c.status === "delivered") kinds.push("completion");
  return kinds;
}

/**
 * Tell whether a case is waiting at the pickup window: completed, and collected at the hall.
 * @param {Pick<Case, "status"> & { channel?: Case["channel"] }} c
 */
export function awaitsPickup(c) {
  return c.status === "completed" && (c.channel === "window" || c.channel === undefined);
}

/**
 * Split the server's lists into the panel's tabs, as of today (YYYY-MM-DD in the hall's timezone).
 * @param {{ open?: Case[], overdue?: Case[], suspended?: Case[], completed?: Case[], proxy?: Case[] }} lists
 * @param {string} today
 */
export function splitLists({ open = [], overdue = [], suspended = [], completed = [], proxy = [] }, today) {
  /** @type {(a: Case, b: Case) => number} */
  const byDue = (a, b) => (a.due_date < b.due_date ? -1 : a.due_date > b.due_date ? 1 : a.id - b.id);
  return {
    due: open.filter((c) => c.due_date === today && OPEN.includes(c.status)).sort(byDue),
    overdue: [...overdue].sort(byDue),
    suspended: [...suspended].sort(byDue),
    pickup: completed.filter(awaitsPickup).sort((a, b) => String(a.completed_at).localeCompare(String(b.completed_at))),
    proxy: proxyQueue(proxy),
  };
}

/**
 * Order the proxy window's work: open cases by due date first, then those waiting for delivery.
 * @param {Case[]} cases
 */
export function proxyQueue(cases) {
  /** @type {(c: Case) => number} */
  const rank = (c) => (OPEN.includes(c.status) ? 0 : c.status === "completed" ? 1 : 2);
  return cases.filter((c) => rank(c) < 2).sort((a, b) => rank(a) - rank(b)
    || String(a.due_date).localeCompare(String(b.due_date)) || a.id - b.id);
}

/**
 * @param {Case[]} list
 * @param {Case} c
 */
function replaceIn(list, c) {
  return list.map((x) => (x.id === c.id ? c : x));
}

/**
 * Apply one message to the panel's state.
 * @param {CasesState} state
 * @param {{ type: string, [field: string]: any }} msg
 * @returns {CasesState}
 */
export function reduceCases(state, msg) {
  if (!msg || typeof msg !== "object") return state;
  switch (msg.type) {
    case "tab":
      return TABS.includes(msg.tab) ? { ...state, tab: msg.tab, msg: null, chosen: true } : state;
    case "window":
      if (msg.windowNo === state.windowNo) return state;
      return autoTab({ ...state, windowNo: msg.windowNo, chosen: false });
    case "lists":
      return autoTab({ ...state, loaded: true, lists: { ...state.lists, ...splitLists(/** @type {Record<string, Case[]>} */ (msg), msg.today) },
        pickupWindow: msg.pickupWindow ?? state.pickupWindow, proxyWindow: msg.proxyWindow ?? state.proxyWindow });
    case "search":
      return { ...state, tab: "search", query: msg.query, lists: { ...state.lists, search: msg.cases } };
    case "select":
      return { ...state, selected: msg.case, form: null, msg: null };
    case "case": {
      const lists = /** @type {Record<ListName, Case[]>} */ (
        Object.fromEntries(Object.entries(state.lists).map(([k, v]) => [k, replaceIn(v, msg.case)])));
      const selected = state.selected && state.selected.id === msg.case.id ? msg.case : state.selected;
      return { ...state, lists, selected };
    }
    case "form":
      return { ...state, form: msg.form, msg: null };
    case "guide":
      return { ...state, guide: msg.matters, guideQuery: msg.query || "" };
    case "pick":
      return state.picked.some((m) => m.code === msg.matter.code) ? state : { ...state, picked: [...state.picked, msg.matter] };
    case "unpick":
      return { ...state, picked: state.picked.filter((m) => m.code !== msg.code) };
    case "busy":
      return { ...state, busy: msg.action, msg: null };
    case "created":
      return { ...state, busy: null, picked: [], guide: [], created: msg.cases, selected: msg.cases[0] || state.selected,
        msg: { kind: "ok", key: "cs_created", vars: { list: msg.cases.map((/** @type {Case} */ c) => c.number).join("、") } } };
    case "done":
      return { ...state, busy: null, form: null, msg: msg.key ? { kind: "ok", key: msg.key, vars: msg.vars || {} } : null };
    case "failed":
      return { ...state, busy: null, msg: { kind: "error", code: msg.code, message: msg.message, key: msg.key, vars: msg.vars || {} } };
    case "dismiss":
      return { ...state, msg: null };
    default:
      return state;
  }
}

/**
 * Tell whether a hall event should make the panel re-read its lists.
 * @param {{ type?: unknown } | null | undefined} msg
 */
export function needsCaseRefresh(msg) {
  return !!msg && typeof msg.type === "string" && (msg.type.startsWith("case.") || msg.type === "snapshot");
}

/**
 * Check a mainland ID number's GB 11643 check digit (18 characters, the last may be X).
 * @param {string | null | undefined} id
 */
export function validIdNumber(id) {
  const s = String(id || "").trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(s)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((a, w, i) => a + w * Number(s[i]), 0);
  return "10X98765432"[sum % 11] === s[17];
}

/**
 * Tell whether a mobile number is 11 digits starting with 1.
 * @param {string | null | undefined} phone
 */
export function validPhone(phone) {
  return /^1\d{10}$/.test(String(phone || "").trim());
}

/**
 * Build the POST /api/cases bodies of the new-case form (one per matter), or the i18n key of what is wrong.
 * `card` is the ID card the linked ticket was issued for, as staff see it (the number masked): while
 * the form still shows that masked number, the server takes the full one from the ticket.
 * @param {{ code: string }[]} picked
 * @param {{ name: string, phone?: string, idNumber?: string, ticket?: number | null,
 *   card?: { name: string, id_number: string } | null }} form
 * @returns {{ error: string, bodies?: undefined } | { bodies: object[], error?: undefined }}
 */
export function createBodies(picked, { name, phone, idNumber, ticket, card = null }) {
  if (!picked.length) return { error: "cs_no_matter" };
  if (!String(name || "").trim()) return { error: "cs_bad_name" };
  if (phone && !validPhone(phone)) return { error: "cs_bad_phone" };
  if (card && idNumber && idNumber.trim() === card.id_number) {
    // The masked number stands for the card's: only under the card's own name, on its ticket.
    if (!ticket) return { error: "cs_card_unlinked" };
    if (name.trim() !== card.name) return { error: "cs_card_other_name" };
    idNumber = "";
  }
  if (idNumber && !validIdNumber(idNumber)) return { error: "cs_bad_id" };
  /** @type {{ name: string, phone?: string, id_number?: string }} */
  const applicant = { name: name.trim() };
  if (phone) applicant.phone = phone.trim();
  if (idNumber) applicant.id_number = idNumber.trim().toUpperCase();
  return { bodies: picked.map((m) => ({ matter: m.code, applicant, ...(ticket ? { ticket } : {}) })) };
}

/**
 * Build an action's body from the panel's small form, or name what is missing.
 * @param {string} action
 * @param {{ missing?: string[], other?: string, note?: string, result?: string }} [form]
 * @returns {{ error: string, body?: undefined, path?: undefined } | { body: object, path?: string, error?: undefined }}
 */
export function actionBody(action, { missing = [], other = "", note = "", result = "approved" } = {}) {
  switch (action) {
    case "suspend": {
      const list = [...missing, ...String(other).split(/\n+/)].map((x) => x.trim()).filter(Boolean);
      if (!list.length) return { error: "cs_need_missing" };
      return { body: note.trim() ? { missing: list, note: note.trim() } : { missing: list } };
    }
    case "complete":
      if (result === "refused" && !note.trim()) return { error: "cs_need_note" };
      return { body: note.trim() ? { result, note: note.trim() } : { result } };
    case "withdraw":
      return note.trim() ? { body: { note: note.trim() } } : { error: "cs_need_note" };
    case "deliver-pickup":
      return { path: "deliver", body: { method: "pickup" } };
    case "deliver-mail":
      return { path: "deliver", body: { method: "mail" } };
    case "deliver-agent":
      return { path: "deliver", body: { method: "agent" } };
    default:
      return { body: {} };
  }
}

/**
 * Say when a case is due, relative to today.
 * @param {Case | null | undefined} c
 * @param {string} today
 * @param {string} [lang]
 */
export function dueText(c, today, lang = "zh") {
  const t = translator(lang);
  if (!c || !c.due_date) return "";
  if (c.status === "completed" || c.status === "delivered") return t(c.on_time === false ? "cs_late" : "cs_on_time");
  if (c.status === "withdrawn") return "";
  if (c.due_date === today) return t("cs_due_today");
  if (c.overdue || c.due_date < today) return t("cs_overdue_by", { d: c.due_date });
  return t("cs_due_on", { d: c.due_date });
}

/**
 * Describe a refusal for the clerk; a printer fault says plainly that nothing was lost.
 * @param {string | undefined} code
 * @param {string | undefined} message
 * @param {string} [lang]
 */
export function caseErrorText(code, message, lang = "zh") {
  const t = translator(lang);
  if (code === "printer_fault") return t("cs_printer_fault", { msg: message || "" });
  const key = "cse_" + code;
  const hint = t(key);
  return hint !== key ? hint : message || t("err_unknown");
}

/**
 * Return the search query for GET /api/cases?q=, trimmed; an empty one is null.
 * @param {string | null | undefined} text
 */
export function searchQuery(text) {
  const q = String(text || "").trim();
  return q ? q.slice(0, 40) : null;
}
