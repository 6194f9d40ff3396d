// The clerk console's 办件 panel: wires cases_state.js to the DOM and the case API.
// main.js hands it the console's context (who, which window, the current ticket, the language)
// and every hall event; the panel owns everything inside #cases.
import { api } from "/static/common/api.js";
import * as C from "/static/clerk/cases_state.js";
import { translator } from "/static/clerk/i18n.js";

const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

let cs = C.initialCases();
let ctx = { me: null, windowNo: null, lang: "zh", ticket: null };
let t = translator("zh");
let lastTicket = null;

function today() {
  // The hall's day: the server's dates are Asia/Shanghai, and so is the hall's clock.
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
}

function dispatch(msg) {
  cs = C.reduceCases(cs, msg);
  render();
}

// ---- data -----------------------------------------------------------------------------------

let loadSeq = 0;
async function loadLists() {
  if (!ctx.me) return;
  const mine = ++loadSeq;
  try {
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
    if (cs.selected) {
      const fresh = all.find((c) => c.id === cs.selected.id);
      if (fresh) dispatch({ type: "case", case: fresh });
    }
  } catch (e) {
    if (mine === loadSeq && e.status !== 401) dispatch({ type: "failed", code: e.code, message: e.message });
  }
}

let refreshTimer = null;
function scheduleLoad(delay = 150) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(loadLists, delay);
}

async function search(text) {
  const q = C.searchQuery(text);
  if (!q) return;
  try {
    const r = await api(`/api/cases?q=${encodeURIComponent(q)}&limit=50`);
    dispatch({ type: "search", query: q, cases: r.cases });
  } catch (e) {
    dispatch({ type: "failed", code: e.code, message: e.message });
  }
}

let guideSeq = 0;
async function findMatters(text) {
  const q = String(text || "").trim();
  const mine = ++guideSeq;
  if (!q) { dispatch({ type: "guide", query: "", matters: [] }); return; }
  try {
    const r = await api(`/api/guide?q=${encodeURIComponent(q)}`);
    if (mine === guideSeq) dispatch({ type: "guide", query: q, matters: r.matters.slice(0, 12) });
  } catch (e) { /* typing on: the next keystroke asks again */ }
}

async function createCases() {
  const ticket = lastTicket ? lastTicket.id : null;
  const made = C.createBodies(cs.picked, { name: $("case-name").value, phone: $("case-phone").value,
    idNumber: $("case-id").value, ticket: $("case-link") && $("case-link").checked ? ticket : null });
  if (made.error) { dispatch({ type: "failed", key: made.error }); return; }
  dispatch({ type: "busy", action: "create" });
  const cases = [];
  try {
    for (const body of made.bodies) cases.push(await api("/api/cases", { method: "POST", body }));
    for (const id of ["case-name", "case-phone", "case-id", "case-matter-q"]) $(id).value = "";
    dispatch({ type: "created", cases });
    dispatch({ type: "tab", tab: "due" });
    dispatch({ type: "select", case: cases[0] });
  } catch (e) {
    if (cases.length) dispatch({ type: "created", cases });
    dispatch({ type: "failed", code: e.code, message: e.message });
  }
  scheduleLoad(0);
}

async function takeAction(action) {
  const c = cs.selected;
  if (!c || cs.busy) return;
  const form = {
    missing: Array.from(document.querySelectorAll("#case-detail [data-missing]:checked"), (x) => x.value),
    other: $("case-other") ? $("case-other").value : "",
    note: $("case-note") ? $("case-note").value : "",
    result: (document.querySelector("#case-detail input[name=case-result]:checked") || {}).value || "approved",
  };
  const made = C.actionBody(action, form);
  if (made.error) { dispatch({ type: "failed", key: made.error }); return; }
  dispatch({ type: "busy", action });
  try {
    const updated = await api(`/api/cases/${c.id}/${made.path || action}`, { method: "POST", body: made.body });
    dispatch({ type: "case", case: updated });
    dispatch({ type: "done", key: "cn_done", vars: { number: updated.number, action: t("cst_" + updated.status) } });
  } catch (e) {
    dispatch({ type: "failed", code: e.code, message: e.message });
  }
  scheduleLoad(0);
}

async function printDoc(kind) {
  const c = cs.selected;
  if (!c || cs.busy) return;
  if (!ctx.windowNo) { dispatch({ type: "failed", key: "cs_need_window" }); return; }
  dispatch({ type: "busy", action: "print" });
  try {
    await api(`/api/cases/${c.id}/print`, { method: "POST", body: { window: ctx.windowNo, kind } });
    dispatch({ type: "done", key: "cn_printed", vars: { doc: t("cp_" + kind).replace(/^打印|^Print /, ""), n: ctx.windowNo } });
  } catch (e) {
    dispatch({ type: "failed", code: e.code, message: e.message });
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
    dispatch({ type: "failed", code: e.code, message: e.message });
  }
}

// ---- rendering ------------------------------------------------------------------------------

const statusLabel = (s) => t("cst_" + s);

function modeText(m) {
  if (!m.handled_here) return t("cs_not_here");
  return m.mode === "deferred" ? t("cs_mode_deferred", { d: m.promised_days }) : t("cs_mode_" + m.mode);
}

function renderTabs() {
  const tabs = C.TABS.filter((k) => k !== "search" || cs.tab === "search");
  $("case-tabs").innerHTML = tabs.map((k) => {
    const n = k === "new" ? "" : ` <span class="count">${cs.lists[k].length}</span>`;
    return `<button type="button" class="tab ${cs.tab === k ? "on" : ""} ${k === "overdue" && cs.lists.overdue.length ? "alarm" : ""}" data-action="case-tab" data-tab="${k}">${esc(t("cs_tab_" + k))}${n}</button>`;
  }).join("");
}

function caseRow(c) {
  const sel = cs.selected && cs.selected.id === c.id ? "on" : "";
  const from = c.station ? `<span class="cv">${esc(c.station)} · ${esc(t("cs_channel_" + c.channel))}</span>` : "";
  return `<li class="${sel}"><button type="button" class="caserow" data-action="case-open" data-case="${c.id}">
    <span class="cn">${esc(c.number)}</span><span class="cm">${esc(c.matter_name)}</span>
    <span class="ca">${esc(c.applicant.name)} ${esc(c.applicant.phone || "")}</span>
    <span class="cst st-${esc(c.status)}">${esc(statusLabel(c.status))}</span>${from}
    <span class="cd ${c.overdue ? "bad" : ""}">${esc(C.dueText(c, today(), ctx.lang))}</span></button></li>`;
}

let formKey = null;
function renderList() {
  if (cs.tab === "new") {
    // Build the form once per opening (and language); later renders only touch its lists,
    // so what the clerk has typed stays put.
    const key = ctx.lang + (lastTicket ? lastTicket.id : "");
    if (formKey !== key || !$("case-guide")) { $("case-list").innerHTML = renderNewForm(); formKey = key; }
    $("case-guide").innerHTML = guideHits();
    $("case-picked").innerHTML = pickedChips();
    $("case-create").disabled = !!cs.busy;
    const notice = $("case-ticket-notice");
    if (notice) notice.disabled = !!cs.busy || !cs.picked.length;
    return;
  }
  formKey = null;
  const list = cs.lists[cs.tab] || [];
  $("case-list").innerHTML = list.length ? `<ol class="cases-ol">${list.map(caseRow).join("")}</ol>`
    : `<p class="muted none">${esc(t("cs_empty_" + cs.tab))}</p>`;
}

function guideHits() {
  return cs.guide.map((m) => `<li><span><b>${esc(m.name)}</b><small>${esc(m.department)} · ${esc(modeText(m))}</small></span>
    <button type="button" class="mid" data-action="case-pick" data-matter="${esc(m.code)}">${esc(t(cs.picked.some((p) => p.code === m.code) ? "cs_matter_picked" : "cs_matter_pick"))}</button></li>`).join("")
    || (cs.guideQuery ? `<li class="muted">${esc(t("cs_matter_none"))}</li>` : "");
}

function pickedChips() {
  return cs.picked.map((m) => `<span class="chip">${esc(m.name)} <button type="button" class="link" data-action="case-unpick" data-matter="${esc(m.code)}" aria-label="${esc(t("cs_matter_remove"))}">✕</button></span>`).join("");
}

function renderNewForm() {
  const tk = lastTicket;
  return `<div class="newcase"><h3>${esc(t("cs_new_title"))}</h3>
    <label class="full">${esc(t("cs_matter_label"))}<input id="case-matter-q" autocomplete="off" placeholder="${esc(t("cs_matter_ph"))}"></label>
    <ul class="guide-hits" id="case-guide"></ul>
    <div class="chips" id="case-picked"></div>
    <div class="grid3"><label>${esc(t("cs_name"))}<input id="case-name" autocomplete="off"></label>
      <label>${esc(t("cs_phone"))}<input id="case-phone" inputmode="numeric" maxlength="11" autocomplete="off"></label>
      <label>${esc(t("cs_id"))}<input id="case-id" maxlength="18" autocomplete="off"></label></div>
    <p>${tk ? `<label class="inline"><input type="checkbox" id="case-link" checked> ${esc(t("cs_ticket", { number: tk.number }))}</label>` : esc(t("cs_no_ticket"))}</p>
    <button type="button" class="big primary" id="case-create" data-action="case-create">${esc(t("cs_create"))}</button>
    ${tk ? `<button type="button" class="mid" id="case-ticket-notice" data-action="case-ticket-notice">${esc(t("cs_ticket_notice"))}</button>` : ""}</div>`;
}

function fact(label, value, cls = "") {
  return `<div class="${cls}"><b>${esc(label)}</b>${value}</div>`;
}

function renderDetail() {
  const c = cs.selected;
  if (!c) { $("case-detail").innerHTML = `<p class="muted none">${esc(t("cs_pick"))}</p>`; return; }
  const result = c.result ? esc(t("res_" + c.result)) + (c.result_note ? `（${esc(c.result_note)}）` : "") : "—";
  const from = c.station ? fact(t("cs_from"), esc(`${c.station} · ${t("cs_channel_" + c.channel)}${c.group ? " · " + t("cs_group_" + c.group) : ""}`)) : "";
  const missing = c.missing && c.missing.length ? fact(t("cs_missing"), esc(c.missing.join("、")), "wide") : "";
  const history = c.history.map((h) => `<li><b>${esc(statusLabel(h.status))}</b> ${esc(h.at.slice(0, 16).replace("T", " "))} · ${esc(h.by)}${h.note ? ` · ${esc(h.note)}` : ""}</li>`).join("");
  const acts = C.caseActions(c).map((a) => `<button type="button" class="mid ${a.startsWith("deliver") ? "success" : a === "withdraw" ? "danger" : ""}" data-action="case-${a}" ${cs.busy ? "disabled" : ""}>${esc(t("ca_" + a.replace("-", "_")))}</button>`).join("");
  const prints = C.printKinds(c).map((k) => `<button type="button" class="mid" data-action="case-print" data-kind="${k}" ${cs.busy ? "disabled" : ""}>${esc(t("cp_" + k))}</button>`).join("");
  $("case-detail").innerHTML = `<div class="casehead"><span class="bignum" id="case-number">${esc(c.number)}</span>
      <span class="cst st-${esc(c.status)}" id="case-status" data-status="${esc(c.status)}">${esc(statusLabel(c.status))}</span></div>
    <div class="facts">${fact(t("cs_matter"), esc(c.matter_name), "wide")}${fact(t("cs_applicant"), `${esc(c.applicant.name)} ${esc(c.applicant.phone || "")}<br><small>${esc(c.applicant.id_number || "")}</small>`)}
      ${fact(t("cs_due"), `${esc(c.due_date)}<br><small class="${c.overdue ? "bad" : ""}">${esc(C.dueText(c, today(), ctx.lang))}</small>`)}
      ${fact(t("cs_mode"), esc(t("cs_mode_" + c.mode, { d: c.promised_days })))}${fact(t("cs_result"), result)}${from}${missing}</div>
    <div class="case-actions">${acts}</div><div class="case-forms">${renderActionForm(c)}</div>
    <div class="case-prints">${prints}</div>
    <details class="history"><summary>${esc(t("cs_history"))}（${c.history.length}）</summary><ol>${history}</ol></details>`;
}

/** List the guide's materials for a case's matter (from the console's catalogue). */
function materialsOf(c) {
  for (const cat of (ctx.catalog && ctx.catalog.categories) || []) {
    for (const sv of cat.services || []) {
      const m = (sv.matters || []).find((x) => x.code === c.matter);
      if (m) return m.materials || [];
    }
  }
  return [];
}

function renderActionForm(c) {
  if (cs.form === "suspend") {
    const guide = materialsOf(c).map((m, i) => `<label class="inline"><input type="checkbox" data-missing="${i}" value="${esc(m)}"> ${esc(m)}</label>`).join("");
    return `<fieldset class="caseform"><legend>${esc(t("cs_suspend_title"))}</legend><div class="checks">${guide}</div>
      <label>${esc(t("cs_suspend_other"))}<textarea id="case-other" rows="2"></textarea></label>
      <label>${esc(t("cs_suspend_note"))}<input id="case-note"></label>
      <div class="row"><button type="button" class="mid primary" data-action="case-suspend" data-confirm="1">${esc(t("cs_suspend_ok"))}</button>
      <button type="button" class="mid" data-action="case-cancel">${esc(t("cs_cancel"))}</button></div></fieldset>`;
  }
  if (cs.form === "complete") {
    return `<fieldset class="caseform"><legend>${esc(t("cs_complete_title"))}</legend>
      <div class="row"><label class="inline big-radio"><input type="radio" name="case-result" value="approved" checked> ${esc(t("res_approved"))}</label>
      <label class="inline big-radio"><input type="radio" name="case-result" value="refused"> ${esc(t("res_refused"))}</label></div>
      <label>${esc(t("cs_complete_note"))}<input id="case-note"></label>
      <div class="row"><button type="button" class="mid success" data-action="case-complete" data-confirm="1">${esc(t("cs_complete_ok"))}</button>
      <button type="button" class="mid" data-action="case-cancel">${esc(t("cs_cancel"))}</button></div></fieldset>`;
  }
  if (cs.form === "withdraw") {
    return `<fieldset class="caseform"><legend>${esc(t("cs_withdraw_title"))}</legend><label><input id="case-note"></label>
      <div class="row"><button type="button" class="mid danger" data-action="case-withdraw" data-confirm="1">${esc(t("cs_withdraw_ok"))}</button>
      <button type="button" class="mid" data-action="case-cancel">${esc(t("cs_cancel"))}</button></div></fieldset>`;
  }
  return "";
}

function renderMsg() {
  const box = $("case-msg");
  box.hidden = !cs.msg;
  if (!cs.msg) return;
  box.className = "case-msg " + cs.msg.kind;
  box.dataset.code = cs.msg.code || "";
  box.textContent = cs.msg.kind === "error" && !cs.msg.key ? C.caseErrorText(cs.msg.code, cs.msg.message, ctx.lang) : t(cs.msg.key, cs.msg.vars);
}

function render() {
  if (!$("cases")) return;
  renderTabs();
  renderList();
  renderDetail();
  renderMsg();
  $("case-q").placeholder = t("cs_search_ph");
  const own = C.defaultTab(ctx.windowNo, cs.pickupWindow, cs.proxyWindow);
  $("case-pickup-hint").hidden = own !== "pickup";
  if ($("case-proxy-hint")) $("case-proxy-hint").hidden = own !== "proxy";
}

// ---- wiring ---------------------------------------------------------------------------------

/** Take the console's context (called on every console render); reload the lists on login. */
export function casesContext(next) {
  const wasMe = ctx.me;
  const langChanged = next.lang !== ctx.lang;
  ctx = next;
  t = translator(ctx.lang);
  if (next.ticket) lastTicket = next.ticket;
  if (!wasMe && next.me) loadLists();
  if (langChanged || (!wasMe && next.me)) render();
  if (next.windowNo !== cs.windowNo) dispatch({ type: "window", windowNo: next.windowNo });
}

/** Hear a hall event: case events re-read the lists. */
export function casesOnHall(msg) {
  if (C.needsCaseRefresh(msg)) scheduleLoad();
}

let guideTimer = null;
function onClick(ev) {
  const el = ev.target.closest("[data-action^='case-']");
  if (!el || el.disabled || !$("cases").contains(el)) return;
  const a = el.dataset.action.slice(5);
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
  else if (a === "print") printDoc(el.dataset.kind);
  else if (a === "cancel") dispatch({ type: "form", form: null });
  else if (a === "search") { ev.preventDefault(); search($("case-q").value); }
  else if (["suspend", "complete", "withdraw"].includes(a) && !el.dataset.confirm) dispatch({ type: "form", form: a });
  else takeAction(a);
}

export function initCases() {
  if (!$("cases")) return;
  document.addEventListener("click", onClick);
  $("case-search").addEventListener("submit", (ev) => { ev.preventDefault(); search($("case-q").value); });
  $("cases").addEventListener("input", (ev) => {
    if (ev.target.id !== "case-matter-q") return;
    clearTimeout(guideTimer);
    guideTimer = setTimeout(() => findMatters(ev.target.value), 200);
  });
  setInterval(() => { if (ctx.me) scheduleLoad(0); }, 60000);
  render();
}
