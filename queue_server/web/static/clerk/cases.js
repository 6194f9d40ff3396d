// @ts-check
// The clerk console's 办件 panel: wires cases_state.js to the DOM and the case API.
// main.js hands it the console's context (who, which window, the current ticket, the language)
// and every hall event; the panel owns everything inside #cases.
import { api } from "../common/api.js";
import { $, draw, html, nothing, query, queryAll, repeat } from "../common/dom.js";
import * as C from "./cases_state.js";
import { translator } from "./i18n.js";

/** @typedef {C.Case} Case */
/** @typedef {C.Matter} Matter */
/** @typedef {import("../types/api").components["schemas"]} Schemas */
/** @typedef {import("../common/api.js").ApiError} ApiError */

/**
 * What the console tells the panel on every render.
 * @typedef {object} Context
 * @property {Schemas["Me"] | null} me
 * @property {number | null} windowNo the window the clerk holds, if any
 * @property {"zh" | "en"} lang
 * @property {Schemas["TicketPublic"] | null} ticket the window's current ticket
 * @property {Schemas["Catalog"] | null} [catalog]
 */

let cs = C.initialCases();
/** @type {Context} */
let ctx = { me: null, windowNo: null, lang: "zh", ticket: null };
let t = translator("zh");
/** @type {Schemas["TicketPublic"] | null} */
let lastTicket = null;

function today() {
  // The hall's day: the server's dates are Asia/Shanghai, and so is the hall's clock.
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
}

/** @param {{ type: string, [field: string]: any }} msg */
function dispatch(msg) {
  cs = C.reduceCases(cs, msg);
  render();
}

/** @param {string} id */
const field = (id) => $(id, HTMLInputElement);

// ---- data -----------------------------------------------------------------------------------

let loadSeq = 0;
async function loadLists() {
  if (!ctx.me) return;
  const mine = ++loadSeq;
  try {
    /** @type {Schemas["CaseList"][]} */
    const [open, overdue, suspended, completed, proxy] = await Promise.all([
      api("/api/cases?status=accepted,processing&limit=200"),
      api("/api/cases?overdue=true&limit=200"),
      api("/api/cases?status=suspended&limit=200"),
      api("/api/cases?status=completed&limit=200"),
      api("/api/cases?queue=proxy&status=accepted,processing,suspended,completed&limit=200"),
    ]);
    if (mine !== loadSeq) return;
    const all = [...open.cases, ...suspended.cases, ...completed.cases, ...proxy.cases];
    const atHall = all.find((c) => c.pickup_window);
    dispatch({ type: "lists", today: today(), open: open.cases, overdue: overdue.cases,
      suspended: suspended.cases, completed: completed.cases, proxy: proxy.cases,
      pickupWindow: atHall ? atHall.pickup_window : null, proxyWindow: proxy.proxy_window });
    const selected = cs.selected;
    if (selected) {
      const fresh = all.find((c) => c.id === selected.id);
      if (fresh) dispatch({ type: "case", case: fresh });
    }
  } catch (e) {
    const err = /** @type {ApiError} */ (e);
    if (mine === loadSeq && err.status !== 401) dispatch({ type: "failed", code: err.code, message: err.message });
  }
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let refreshTimer;
function scheduleLoad(delay = 150) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(loadLists, delay);
}

/** @param {string} text */
async function search(text) {
  const q = C.searchQuery(text);
  if (!q) return;
  try {
    /** @type {Schemas["CaseList"]} */
    const r = await api(`/api/cases?q=${encodeURIComponent(q)}&limit=50`);
    dispatch({ type: "search", query: q, cases: r.cases });
  } catch (e) {
    const err = /** @type {ApiError} */ (e);
    dispatch({ type: "failed", code: err.code, message: err.message });
  }
}

let guideSeq = 0;
/** @param {string} text */
async function findMatters(text) {
  const q = String(text || "").trim();
  const mine = ++guideSeq;
  if (!q) { dispatch({ type: "guide", query: "", matters: [] }); return; }
  try {
    /** @type {Schemas["GuideResult"]} */
    const r = await api(`/api/guide?q=${encodeURIComponent(q)}`);
    if (mine === guideSeq) dispatch({ type: "guide", query: q, matters: r.matters.slice(0, 12) });
  } catch (e) { /* typing on: the next keystroke asks again */ }
}

async function createCases() {
  const ticket = lastTicket ? lastTicket.id : null;
  const link = query("#case-link", HTMLInputElement);
  const made = C.createBodies(cs.picked, { name: field("case-name").value, phone: field("case-phone").value,
    idNumber: field("case-id").value, ticket: link && link.checked ? ticket : null,
    card: lastTicket && lastTicket.applicant ? lastTicket.applicant : null });
  if (made.error !== undefined) { dispatch({ type: "failed", key: made.error }); return; }
  dispatch({ type: "busy", action: "create" });
  /** @type {Case[]} */
  const cases = [];
  try {
    for (const body of made.bodies) cases.push(await api("/api/cases", { method: "POST", body }));
    // Nothing binds these fields' values: what the clerk typed stays through every redraw until now.
    for (const id of ["case-name", "case-phone", "case-id", "case-matter-q"]) field(id).value = "";
    dispatch({ type: "created", cases });
    dispatch({ type: "tab", tab: "due" });
    dispatch({ type: "select", case: cases[0] });
  } catch (e) {
    const err = /** @type {ApiError} */ (e);
    if (cases.length) dispatch({ type: "created", cases });
    dispatch({ type: "failed", code: err.code, message: err.message });
  }
  scheduleLoad(0);
}

/** @param {string} action */
async function takeAction(action) {
  const c = cs.selected;
  if (!c || cs.busy) return;
  const note = query("#case-note", HTMLInputElement);
  const other = query("#case-other", HTMLTextAreaElement);
  const result = query("#case-detail input[name=case-result]:checked", HTMLInputElement);
  const form = {
    missing: queryAll("#case-detail [data-missing]:checked", HTMLInputElement).map((x) => x.value),
    other: other ? other.value : "",
    note: note ? note.value : "",
    result: result ? result.value : "approved",
  };
  const made = C.actionBody(action, form);
  if (made.error !== undefined) { dispatch({ type: "failed", key: made.error }); return; }
  dispatch({ type: "busy", action });
  try {
    /** @type {Case} */
    const updated = await api(`/api/cases/${c.id}/${made.path || action}`, { method: "POST", body: made.body });
    dispatch({ type: "case", case: updated });
    dispatch({ type: "done", key: "cn_done", vars: { number: updated.number, action: t("cst_" + updated.status) } });
  } catch (e) {
    const err = /** @type {ApiError} */ (e);
    dispatch({ type: "failed", code: err.code, message: err.message });
  }
  scheduleLoad(0);
}

/** @param {string} kind */
async function printDoc(kind) {
  const c = cs.selected;
  if (!c || cs.busy) return;
  if (!ctx.windowNo) { dispatch({ type: "failed", key: "cs_need_window" }); return; }
  dispatch({ type: "busy", action: "print" });
  try {
    await api(`/api/cases/${c.id}/print`, { method: "POST", body: { window: ctx.windowNo, kind } });
    dispatch({ type: "done", key: "cn_printed", vars: { doc: t("cp_" + kind).replace(/^打印|^Print /, ""), n: ctx.windowNo } });
  } catch (e) {
    const err = /** @type {ApiError} */ (e);
    dispatch({ type: "failed", code: err.code, message: err.message });
  }
}

/** Print the 一次性告知书 for the last ticket (materials incomplete) without opening a case. */
async function printTicketNotice() {
  if (!lastTicket || !cs.picked.length || cs.busy) return;
  if (!ctx.windowNo) { dispatch({ type: "failed", key: "cs_need_window" }); return; }
  dispatch({ type: "busy", action: "print" });
  try {
    for (const m of cs.picked) {
      await api(`/api/tickets/${lastTicket.id}/notice`, { method: "POST", body: { window: ctx.windowNo, matter: m.code } });
    }
    dispatch({ type: "done", key: "cn_printed", vars: { doc: t("cs_ticket_notice_doc"), n: ctx.windowNo } });
  } catch (e) {
    const err = /** @type {ApiError} */ (e);
    dispatch({ type: "failed", code: err.code, message: err.message });
  }
}

// ---- rendering ------------------------------------------------------------------------------

/** @param {string} s */
const statusLabel = (s) => t("cst_" + s);

/** @param {Matter} m */
function modeText(m) {
  if (!m.handled_here) return t("cs_not_here");
  return m.mode === "deferred" ? t("cs_mode_deferred", { d: m.promised_days }) : t("cs_mode_" + m.mode);
}

function renderTabs() {
  const tabs = C.TABS.filter((k) => k !== "search" || cs.tab === "search");
  /** @param {string} k */
  const tab = (k) => {
    const n = k === "new" ? nothing : html` <span class="count">${cs.lists[/** @type {C.ListName} */ (k)].length}</span>`;
    return html`<button type="button" class="tab ${cs.tab === k ? "on" : ""} ${k === "overdue" && cs.lists.overdue.length ? "alarm" : ""}"
      data-action="case-tab" data-tab=${k}>${t("cs_tab_" + k)}${n}</button>`;
  };
  draw($("case-tabs"), repeat(tabs, (k) => k, tab));
}

/** @param {Case} c */
function caseRow(c) {
  const sel = cs.selected && cs.selected.id === c.id ? "on" : "";
  const from = c.station ? html`<span class="cv">${c.station} · ${t("cs_channel_" + c.channel)}</span>` : nothing;
  return html`<li class=${sel}><button type="button" class="caserow" data-action="case-open" data-case=${c.id}>
    <span class="cn">${c.number}</span><span class="cm">${c.matter_name}</span>
    <span class="ca">${c.applicant.name} ${c.applicant.phone || ""}</span>
    <span class="cst st-${c.status}">${statusLabel(c.status)}</span>${from}
    <span class="cd ${c.overdue ? "bad" : ""}">${C.dueText(c, today(), ctx.lang)}</span></button></li>`;
}

function renderList() {
  if (cs.tab === "new") {
    // The form stays in the page while this tab is open: its fields keep what the clerk typed,
    // whatever is redrawn around them (a language switch, a hall event, a new current ticket).
    draw($("case-list"), newForm());
    return;
  }
  const list = cs.lists[/** @type {C.ListName} */ (cs.tab)] || [];
  draw($("case-list"), list.length ? html`<ol class="cases-ol">${repeat(list, (c) => c.id, caseRow)}</ol>`
    : html`<p class="muted none">${t("cs_empty_" + cs.tab)}</p>`);
}

function guideHits() {
  if (!cs.guide.length) return cs.guideQuery ? html`<li class="muted">${t("cs_matter_none")}</li>` : nothing;
  return repeat(cs.guide, (m) => m.code, (m) => html`<li><span><b>${m.name}</b><small>${m.department} · ${modeText(m)}</small></span>
    <button type="button" class="mid" data-action="case-pick" data-matter=${m.code}>${
      t(cs.picked.some((p) => p.code === m.code) ? "cs_matter_picked" : "cs_matter_pick")}</button></li>`);
}

function pickedChips() {
  return repeat(cs.picked, (m) => m.code, (m) => html`<span class="chip">${m.name} <button type="button" class="link"
    data-action="case-unpick" data-matter=${m.code} aria-label=${t("cs_matter_remove")}>✕</button></span>`);
}

function newForm() {
  const tk = lastTicket;
  // Keyed by the ticket: a new current ticket gets a fresh link box, ticked again.
  const link = tk ? repeat([tk], (x) => x.id, (x) => html`<label class="inline"><input type="checkbox" id="case-link" checked>
    ${t("cs_ticket", { number: x.number })}</label>`) : t("cs_no_ticket");
  return html`<div class="newcase"><h3>${t("cs_new_title")}</h3>
    <label class="full">${t("cs_matter_label")}<input id="case-matter-q" autocomplete="off" placeholder=${t("cs_matter_ph")}></label>
    <ul class="guide-hits" id="case-guide">${guideHits()}</ul>
    <div class="chips" id="case-picked">${pickedChips()}</div>
    <div class="grid3"><label>${t("cs_name")}<input id="case-name" autocomplete="off"></label>
      <label>${t("cs_phone")}<input id="case-phone" inputmode="numeric" maxlength="11" autocomplete="off"></label>
      <label>${t("cs_id")}<input id="case-id" maxlength="18" autocomplete="off"></label></div>
    ${tk && tk.applicant ? html`<p class="card-filled" id="case-card">${t("cs_card_filled", { name: tk.applicant.name })}</p>` : nothing}
    <p>${link}</p>
    <button type="button" class="big primary" id="case-create" data-action="case-create" ?disabled=${!!cs.busy}>${t("cs_create")}</button>
    ${tk ? html`<button type="button" class="mid" id="case-ticket-notice" data-action="case-ticket-notice"
      ?disabled=${!!cs.busy || !cs.picked.length}>${t("cs_ticket_notice")}</button>` : nothing}</div>`;
}

/**
 * @param {string} label
 * @param {unknown} value
 * @param {string} [cls]
 */
function fact(label, value, cls = "") {
  return html`<div class=${cls}><b>${label}</b>${value}</div>`;
}

function renderDetail() {
  const c = cs.selected;
  if (!c) { draw($("case-detail"), html`<p class="muted none">${t("cs_pick")}</p>`); return; }
  const result = c.result ? `${t("res_" + c.result)}${c.result_note ? `（${c.result_note}）` : ""}` : "—";
  const from = c.station ? fact(t("cs_from"), `${c.station} · ${t("cs_channel_" + c.channel)}${c.group ? " · " + t("cs_group_" + c.group) : ""}`) : nothing;
  const missing = c.missing && c.missing.length ? fact(t("cs_missing"), c.missing.join("、"), "wide") : nothing;
  const history = c.history.map((h) => html`<li><b>${statusLabel(h.status)}</b> ${h.at.slice(0, 16).replace("T", " ")} · ${h.by}${h.note ? ` · ${h.note}` : ""}</li>`);
  /** @param {string} a */
  const actCls = (a) => (a.startsWith("deliver") ? "success" : a === "withdraw" ? "danger" : "");
  const acts = C.caseActions(c).map((a) => html`<button type="button" class="mid ${actCls(a)}" data-action=${"case-" + a}
    ?disabled=${!!cs.busy}>${t("ca_" + a.replace("-", "_"))}</button>`);
  const prints = C.printKinds(c).map((k) => html`<button type="button" class="mid" data-action="case-print" data-kind=${k}
    ?disabled=${!!cs.busy}>${t("cp_" + k)}</button>`);
  draw($("case-detail"), html`<div class="casehead"><span class="bignum" id="case-number">${c.number}</span>
      <span class="cst st-${c.status}" id="case-status" data-status=${c.status}>${statusLabel(c.status)}</span></div>
    <div class="facts">${fact(t("cs_matter"), c.matter_name, "wide")}${fact(t("cs_applicant"),
      html`${c.applicant.name} ${c.applicant.phone || ""}<br><small>${c.applicant.id_number || ""}</small>`)}
      ${fact(t("cs_due"), html`${c.due_date}<br><small class=${c.overdue ? "bad" : ""}>${C.dueText(c, today(), ctx.lang)}</small>`)}
      ${fact(t("cs_mode"), t("cs_mode_" + c.mode, { d: c.promised_days }))}${fact(t("cs_result"), result)}${from}${missing}</div>
    <div class="case-actions">${acts}</div><div class="case-forms">${actionForm(c)}</div>
    <div class="case-prints">${prints}</div>
    <details class="history"><summary>${t("cs_history")}（${c.history.length}）</summary><ol>${history}</ol></details>`);
}

/**
 * List the guide's materials for a case's matter (from the console's catalogue).
 * @param {Case} c
 * @returns {string[]}
 */
function materialsOf(c) {
  for (const cat of (ctx.catalog && ctx.catalog.categories) || []) {
    for (const sv of cat.services || []) {
      const m = (sv.matters || []).find((x) => x.code === c.matter);
      if (m) return m.materials || [];
    }
  }
  return [];
}

/** @param {string} action */
function formButtons(action) {
  const cls = { suspend: "primary", complete: "success", withdraw: "danger" }[action] || "";
  return html`<div class="row"><button type="button" class="mid ${cls}" data-action=${"case-" + action} data-confirm="1">${t(`cs_${action}_ok`)}</button>
      <button type="button" class="mid" data-action="case-cancel">${t("cs_cancel")}</button></div>`;
}

/** The small form under a case for an action that needs more than a click; what is typed stays through redraws. @param {Case} c */
function actionForm(c) {
  if (cs.form === "suspend") {
    const guide = materialsOf(c).map((m, i) => html`<label class="inline"><input type="checkbox" data-missing=${i} value=${m}> ${m}</label>`);
    return html`<fieldset class="caseform"><legend>${t("cs_suspend_title")}</legend><div class="checks">${guide}</div>
      <label>${t("cs_suspend_other")}<textarea id="case-other" rows="2"></textarea></label>
      <label>${t("cs_suspend_note")}<input id="case-note"></label>
      ${formButtons("suspend")}</fieldset>`;
  }
  if (cs.form === "complete") {
    return html`<fieldset class="caseform"><legend>${t("cs_complete_title")}</legend>
      <div class="row"><label class="inline big-radio"><input type="radio" name="case-result" value="approved" checked> ${t("res_approved")}</label>
      <label class="inline big-radio"><input type="radio" name="case-result" value="refused"> ${t("res_refused")}</label></div>
      <label>${t("cs_complete_note")}<input id="case-note"></label>
      ${formButtons("complete")}</fieldset>`;
  }
  if (cs.form === "withdraw") {
    return html`<fieldset class="caseform"><legend>${t("cs_withdraw_title")}</legend><label><input id="case-note"></label>
      ${formButtons("withdraw")}</fieldset>`;
  }
  return nothing;
}

function renderMsg() {
  const box = $("case-msg");
  const msg = cs.msg;
  box.hidden = !msg;
  if (!msg) return;
  box.className = "case-msg " + msg.kind;
  box.dataset.code = msg.code || "";
  box.textContent = msg.kind === "error" && !msg.key ? C.caseErrorText(msg.code, msg.message, ctx.lang) : t(msg.key || "", msg.vars);
}

/** What the form was last filled with from a ticket's ID card, to tell it from what the clerk typed. */
let prefilled = { name: "", id: "" };

/** Fill the applicant from the current ticket's ID card, leaving alone anything the clerk typed. */
function prefillFromCard() {
  const name = document.getElementById("case-name");
  const id = document.getElementById("case-id");
  if (!(name instanceof HTMLInputElement) || !(id instanceof HTMLInputElement)) return;
  const card = lastTicket && lastTicket.applicant;
  const next = card ? { name: card.name, id: card.id_number } : { name: "", id: "" };
  if (name.value === "" || name.value === prefilled.name) name.value = next.name;
  if (id.value === "" || id.value === prefilled.id) id.value = next.id;
  prefilled = next;
}

function render() {
  if (!document.getElementById("cases")) return;
  renderTabs();
  renderList();
  prefillFromCard();
  renderDetail();
  renderMsg();
  $("case-q", HTMLInputElement).placeholder = t("cs_search_ph");
  const own = C.defaultTab(ctx.windowNo, cs.pickupWindow, cs.proxyWindow);
  $("case-pickup-hint").hidden = own !== "pickup";
  const proxyHint = document.getElementById("case-proxy-hint");
  if (proxyHint) proxyHint.hidden = own !== "proxy";
}

// ---- wiring ---------------------------------------------------------------------------------

/**
 * Take the console's context (called on every console render); reload the lists on login.
 * @param {Context} next
 */
export function casesContext(next) {
  const wasMe = ctx.me;
  const langChanged = next.lang !== ctx.lang;
  const ticketChanged = (next.ticket ? next.ticket.id : null) !== (lastTicket ? lastTicket.id : null) && !!next.ticket;
  ctx = next;
  t = translator(ctx.lang);
  if (next.ticket) lastTicket = next.ticket;
  if (!wasMe && next.me) loadLists();
  if (langChanged || ticketChanged || (!wasMe && next.me)) render();
  if (next.windowNo !== cs.windowNo) dispatch({ type: "window", windowNo: next.windowNo });
}

/**
 * Hear a hall event: case events re-read the lists.
 * @param {{ type?: unknown }} msg
 */
export function casesOnHall(msg) {
  if (C.needsCaseRefresh(msg)) scheduleLoad();
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let guideTimer;

/** @param {MouseEvent} ev */
function onClick(ev) {
  const target = /** @type {Element | null} */ (ev.target);
  const el = /** @type {HTMLElement | null} */ (target && target.closest("[data-action^='case-']"));
  if (!el || (el instanceof HTMLButtonElement && el.disabled) || !$("cases").contains(el)) return;
  const a = (el.dataset.action || "").slice(5);
  if (a === "tab") dispatch({ type: "tab", tab: el.dataset.tab });
  else if (a === "open") {
    const id = Number(el.dataset.case);
    const found = Object.values(cs.lists).flat().find((c) => c.id === id) || cs.created.find((c) => c.id === id);
    if (found) dispatch({ type: "select", case: found });
  } else if (a === "pick") {
    const m = cs.guide.find((x) => x.code === el.dataset.matter);
    if (m) dispatch({ type: "pick", matter: m });
  } else if (a === "unpick") dispatch({ type: "unpick", code: el.dataset.matter });
  else if (a === "create") createCases();
  else if (a === "ticket-notice") printTicketNotice();
  else if (a === "print") printDoc(el.dataset.kind || "");
  else if (a === "cancel") dispatch({ type: "form", form: null });
  else if (a === "search") { ev.preventDefault(); search($("case-q", HTMLInputElement).value); }
  else if (["suspend", "complete", "withdraw"].includes(a) && !el.dataset.confirm) dispatch({ type: "form", form: a });
  else takeAction(a);
}

/** Wire the panel (if the console has one) and draw it. */
export function initCases() {
  if (!document.getElementById("cases")) return;
  document.addEventListener("click", onClick);
  $("case-search").addEventListener("submit", (ev) => { ev.preventDefault(); search($("case-q", HTMLInputElement).value); });
  $("cases").addEventListener("input", (ev) => {
    const el = ev.target;
    if (!(el instanceof HTMLInputElement) || el.id !== "case-matter-q") return;
    clearTimeout(guideTimer);
    guideTimer = setTimeout(() => findMatters(el.value), 200);
  });
  setInterval(() => { if (ctx.me) scheduleLoad(0); }, 60000);
  render();
}
