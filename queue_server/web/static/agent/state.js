// @ts-check
// The agent page's pure state: the draft (kept until the server accepted it), the station's
// cases with badges on what changed, and the connection. (state, message) → state; no I/O.

import { translator } from "./i18n.js";

/** @typedef {import("../types/api").components["schemas"]} Schemas */
/** @typedef {Schemas["CasePublic"]} Case */

/**
 * One resident's case in the draft, as the agent fills it in.
 * @typedef {object} Entry
 * @property {string} matter
 * @property {string} matter_name
 * @property {string[]} materials the guide's list, to tick what was received
 * @property {string} name
 * @property {string} phone
 * @property {string} id_number
 * @property {string} group a 家能办 group, or ""
 * @property {string[]} received
 */

/** @typedef {{ entries: Entry[], key: string | null }} Draft */

/**
 * The agent page's state.
 * @typedef {object} AgentState
 * @property {Draft} draft
 * @property {boolean} submitting
 * @property {number} attempt
 * @property {string | null} error
 * @property {Case[] | null} done the cases of the last accepted submission
 * @property {Case[]} cases the station's cases
 * @property {Record<string, string>} seen each case's last version seen
 * @property {Record<string, boolean>} changed cases changed since the agent last looked
 * @property {string} filter open | completed | done
 * @property {boolean} online
 */

/** @type {Record<string, string>} */
export const GROUPS = {
  elderly: "老年人", disabled: "残疾人", seriously_ill: "重病患者",
  left_behind: "留守人员", hardship: "困难群众",
};
/** @type {Record<string, string>} */
export const STATUS = {
  accepted: "已受理", processing: "办理中", suspended: "需补材料", completed: "已办结，待送达",
  delivered: "已送达", withdrawn: "已撤回",
};
const OPEN = ["accepted", "processing", "suspended"];

/**
 * @param {Draft | null} [draft] the draft kept on this device
 * @returns {AgentState}
 */
export function initial(draft = null) {
  return {
    draft: draft || { entries: [], key: null },
    submitting: false, attempt: 0, error: null, done: null,
    cases: [], seen: {}, changed: {}, filter: "open", online: true,
  };
}

/**
 * Start a resident's case for a matter of the guide.
 * @param {{ code: string, name: string, materials?: string[] }} matter
 * @returns {Entry}
 */
export function newEntry(matter) {
  return {
    matter: matter.code, matter_name: matter.name, materials: matter.materials || [],
    name: "", phone: "", id_number: "", group: "", received: [],
  };
}

/**
 * Build the request a draft submits: one case, or a batch for several.
 * @param {Draft} draft
 */
export function submission(draft) {
  const bodies = draft.entries.map((e) => {
    /** @type {{ name: string, phone?: string, id_number?: string }} */
    const applicant = { name: e.name.trim() };
    if (e.phone.trim()) applicant.phone = e.phone.trim();
    if (e.id_number.trim()) applicant.id_number = e.id_number.trim().toUpperCase();
    /** @type {{ matter: string, applicant: object, received_materials: string[], group?: string }} */
    const body = { matter: e.matter, applicant, received_materials: e.received };
    if (e.group) body.group = e.group;
    return body;
  });
  return bodies.length === 1 ? { path: "/api/cases", body: bodies[0] }
    : { path: "/api/cases/batch", body: { cases: bodies } };
}

/**
 * Return what is missing before a draft can be sent, or null.
 * @param {Draft} draft
 * @param {string} [lang]
 */
export function draftProblem(draft, lang = "zh") {
  const t = translator(lang);
  if (!draft.entries.length) return t("p_none");
  const i = draft.entries.findIndex((e) => !e.name.trim());
  if (i >= 0) return t("p_name", { i: i + 1 });
  const p = draft.entries.findIndex((e) => e.phone.trim() && !/^1\d{10}$/.test(e.phone.trim()));
  if (p >= 0) return t("p_phone", { i: p + 1 });
  return null;
}

/** @param {Case} c */
function version(c) {
  return `${c.status}|${c.history.length}`;
}

/**
 * Tell which list a case belongs to on the page.
 * @param {Pick<Case, "status">} c
 */
export function bucket(c) {
  if (OPEN.includes(c.status)) return "open";
  return c.status === "completed" ? "completed" : "done";
}

/**
 * Return the cases of the list the agent is looking at.
 * @param {AgentState} state
 */
export function visible(state) {
  return state.cases.filter((c) => bucket(c) === state.filter);
}

/**
 * Count the cases changed since the agent last looked.
 * @param {AgentState} state
 */
export function badgeCount(state) {
  return Object.keys(state.changed).length;
}

/**
 * @param {AgentState} state
 * @param {number} i
 * @param {Partial<Entry>} patch
 * @returns {AgentState}
 */
function setEntry(state, i, patch) {
  const entries = state.draft.entries.map((e, j) => (j === i ? { ...e, ...patch } : e));
  return { ...state, draft: { ...state.draft, entries }, done: null };
}

/**
 * Fold one message into the page's state.
 * @param {AgentState} state
 * @param {{ type: string, [field: string]: any }} msg
 * @returns {AgentState}
 */
export function reduce(state, msg) {
  switch (msg.type) {
    case "add":
      return { ...state, draft: { ...state.draft, entries: [...state.draft.entries, newEntry(msg.matter)] },
        error: null, done: null };
    case "remove":
      return { ...state, draft: { ...state.draft, entries: state.draft.entries.filter((_, j) => j !== msg.index) } };
    case "edit":
      return setEntry(state, msg.index, { [msg.field]: msg.value });
    case "toggle": {
      const e = state.draft.entries[msg.index];
      /** @type {string[]} */
      const received = e.received.includes(msg.material) ? e.received.filter((m) => m !== msg.material)
        : [...e.received, msg.material];
      return setEntry(state, msg.index, { received });
    }
    case "submit":  // the key is fixed at the first attempt and kept until the server accepts
      return { ...state, submitting: true, error: null, done: null,
        attempt: state.attempt + 1, draft: { ...state.draft, key: state.draft.key || msg.key } };
    case "submit_failed":
      return { ...state, submitting: false, error: msg.message, online: msg.network ? false : state.online };
    case "submitted":
      return { ...state, submitting: false, attempt: 0, error: null, done: msg.cases,
        draft: { entries: [], key: null }, online: true };
    case "cases": {
      const seen = { ...state.seen };
      const changed = { ...state.changed };
      for (const c of msg.cases) {
        const v = version(c);
        if (seen[c.id] !== undefined && seen[c.id] !== v && !msg.first) changed[c.id] = true;
        seen[c.id] = v;
      }
      return { ...state, cases: msg.cases, seen, changed };
    }
    case "event": {  // a case.* event for this station: mark it until the agent looks
      const c = msg.event.case;
      if (!c || !String(msg.event.type || "").startsWith("case.")) return state;
      if (msg.station && c.station !== msg.station) return state;
      if (msg.event.type === "case.accepted") return state;  // the agent's own submission
      return { ...state, changed: { ...state.changed, [c.id]: true } };
    }
    case "look": {
      const changed = { ...state.changed };
      delete changed[msg.id];
      return { ...state, changed };
    }
    case "filter":
      return { ...state, filter: msg.filter };
    case "online":
      return { ...state, online: msg.online };
    default:
      return state;
  }
}

/**
 * Say how long to wait before retrying a submission after a network failure (ms).
 * @param {number} attempt
 */
export function retryDelay(attempt) {
  return Math.min(15000, 1000 * 2 ** Math.max(0, attempt - 1));
}
