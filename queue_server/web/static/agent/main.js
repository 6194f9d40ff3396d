// The village agent's page: log in, find a matter, submit cases (a batch for several), follow the
// station's cases live and confirm delivery, take a ticket. State logic lives in state.js.

import { api } from "../common/api.js";
import { connectHall } from "../common/hallsocket.js";
import * as S from "./state.js";
import { localName, setupLang } from "./i18n.js";

const TOKEN = "hall.agent.token";
const DRAFT = "hall.agent.draft";
const { lang, t } = setupLang();
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

let token = localStorage.getItem(TOKEN);
let me = null;
let hall = null;
let state = S.initial(readDraft());
let retryTimer = null;
let reloadTimer = null;
let guideTimer = null;
let matters = [];

function readDraft() {
  try { return JSON.parse(localStorage.getItem(DRAFT) || "null"); } catch (e) { return null; }
}

function newKey() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);  // works on a plain-http intranet too (randomUUID needs https)
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

function dispatch(msg) {
  state = S.reduce(state, msg);
  // The form survives a reload, an error or a lost connection until the server accepted it.
  if (state.draft.entries.length) localStorage.setItem(DRAFT, JSON.stringify(state.draft));
  else localStorage.removeItem(DRAFT);
  render();
}

function call(path, opts = {}) {
  return api(path, { ...opts, token });
}

// ---- screens ----------------------------------------------------------------------------------

function show(screen) {
  document.body.dataset.screen = screen;
  for (const b of document.querySelectorAll("#tabs [data-tab]")) b.classList.toggle("on", b.dataset.tab === screen);
  if (screen === "cases") loadCases();
}

function renderNet() {
  const net = $("net");
  if (!me) { net.hidden = true; return; }
  const down = !state.online;
  const retrying = state.error && state.submitting === false && retryTimer;
  net.hidden = !(down || retrying);
  net.textContent = retrying ? t("net_retry") : t("net_down");
}

function renderDraft() {
  const d = state.draft;
  $("draft-count").textContent = d.entries.length ? String(d.entries.length) : "";
  if (!d.entries.length) {
    const done = state.done ? `<div class="card ok-card"><h2>${esc(t("done_n", { n: state.done.length }))}</h2><ol>${state.done.map((c) =>
      `<li><strong>${esc(c.number)}</strong> ${esc(c.matter_name)} · ${esc(c.applicant.name)}</li>`).join("")}</ol></div>` : "";
    $("draft").innerHTML = `${done}<p class="muted big">${esc(t("draft_empty"))}</p>`;
    return;
  }
  const groups = Object.keys(S.GROUPS).map((k) => `<option value="${k}">${esc(t("group_option", { g: t("g_" + k) }))}</option>`).join("");
  $("draft").innerHTML = d.entries.map((e, i) => `
    <fieldset class="card entry" data-index="${i}">
      <legend>${esc(t("entry_legend", { i: i + 1, matter: e.matter_name }))}</legend>
      <label>${esc(t("applicant_name"))} <input data-field="name" value="${esc(e.name)}" autocomplete="off"></label>
      <label>${esc(t("phone_opt"))} <input data-field="phone" inputmode="numeric" maxlength="11" value="${esc(e.phone)}"></label>
      <label>${esc(t("id_opt"))} <input data-field="id_number" maxlength="18" value="${esc(e.id_number)}"></label>
      <label>${esc(t("home"))} <select data-field="group"><option value="">${esc(t("home_no"))}</option>${groups}</select></label>
      <p class="label">${esc(t("received"))}</p>
      <ul class="checks">${e.materials.map((m) => `<li><label><input type="checkbox" data-material="${esc(m)}" ${e.received.includes(m) ? "checked" : ""}> ${esc(m)}</label></li>`).join("")}</ul>
      <button type="button" class="ghost" data-remove="${i}">${esc(t("remove"))}</button>
    </fieldset>`).join("") + `
    <div class="actions">
      <button type="button" id="draft-more" class="ghost">${esc(t("add_more"))}</button>
      <button type="button" id="draft-submit" class="primary" ${state.submitting ? "disabled" : ""}>
        ${esc(state.submitting ? t("submitting") : d.entries.length > 1 ? t("submit_n", { n: d.entries.length }) : t("submit_one"))}</button>
    </div>`;
  d.entries.forEach((e, i) => {
    const sel = document.querySelector(`.entry[data-index="${i}"] select`);
    if (sel) sel.value = e.group;
  });
}

function caseItem(c) {
  const changed = state.changed[c.id] ? `<span class="new">${esc(t("changed"))}</span>` : "";
  const group = c.group ? esc(t("case_group", { g: S.GROUPS[c.group] ? t("g_" + c.group) : c.group })) : "";
  const due = esc(c.status === "completed" ? t("completed_on", { d: (c.completed_at || "").slice(0, 10) }) : t("due_on", { d: c.due_date }));
  let actions = "";
  if (c.status === "completed") {
    actions = `<button type="button" class="primary" data-deliver="${c.id}">${esc(t("deliver"))}</button>`;
  } else if (["accepted", "processing", "suspended"].includes(c.status)) {
    actions = `<details class="withdraw"><summary>${esc(t("withdraw"))}</summary>
      <input data-note="${c.id}" placeholder="${esc(t("withdraw_ph"))}"><button type="button" class="ghost" data-withdraw="${c.id}">${esc(t("withdraw_ok"))}</button></details>`;
  }
  const missing = c.missing && c.missing.length ? `<p class="warn">${esc(t("missing", { list: c.missing.join(t("list_sep")) }))}</p>` : "";
  return `<li class="case ${state.changed[c.id] ? "changed" : ""}" data-case="${c.id}">
    <div class="row1"><strong>${esc(c.number)}</strong> ${changed}<span class="chip st-${esc(c.status)}">${esc(S.STATUS[c.status] ? t("st_" + c.status) : c.status)}</span></div>
    <div class="row2">${esc(c.matter_name)}</div>
    <div class="row3">${esc(c.applicant.name)}${group} · ${due}</div>${missing}${actions}</li>`;
}

function renderCases() {
  const n = S.badgeCount(state);
  $("case-badge").hidden = !n;
  $("case-badge").textContent = String(n);
  for (const b of document.querySelectorAll("#case-filters [data-filter]")) b.classList.toggle("on", b.dataset.filter === state.filter);
  const list = S.visible(state);
  $("case-list").innerHTML = list.length ? list.map(caseItem).join("")
    : `<li class="muted big">${esc(t("empty_" + state.filter))}</li>`;
}

function render() {
  if (!me) return;
  $("who").textContent = `${me.station_name || me.station || ""} · ${me.display_name || me.username}`;
  renderNet();
  renderCases();
  const focus = document.activeElement;
  const typing = focus && focus.closest("#draft") && /^(INPUT|SELECT|TEXTAREA)$/.test(focus.tagName);
  if (!typing) renderDraft();  // never redraw the field the agent is typing in
  else {
    $("draft-count").textContent = state.draft.entries.length ? String(state.draft.entries.length) : "";
    const btn = $("draft-submit");
    if (btn) { btn.disabled = state.submitting; }
  }
  $("draft-error").textContent = state.online ? state.error || "" : "";  // the bar says it already
}

// ---- data -------------------------------------------------------------------------------------

let firstLoad = true;
async function loadCases() {
  try {
    const r = await call("/api/cases?limit=200");
    dispatch({ type: "cases", cases: r.cases, first: firstLoad });
    firstLoad = false;
    $("case-error").textContent = "";
  } catch (e) {
    if (e.status === 401) return logout();
    $("case-error").textContent = e.message;
  }
}

function scheduleReload() {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(loadCases, 200);
}

async function submit() {
  clearTimeout(retryTimer);
  retryTimer = null;
  const problem = S.draftProblem(state.draft, lang);
  if (problem) { dispatch({ type: "submit_failed", message: problem }); return; }
  dispatch({ type: "submit", key: newKey() });
  const { path, body } = S.submission(state.draft);
  try {
    const r = await call(path, { method: "POST", body, headers: { "Idempotency-Key": state.draft.key } });
    dispatch({ type: "submitted", cases: r.cases || [r] });
    loadCases();
  } catch (e) {
    if (e.status === 401) return logout();
    const network = e.status === 0 || e.status >= 500;
    dispatch({ type: "submit_failed", network, message: network
      ? t("net_retry") : e.message });
    if (network) retryTimer = setTimeout(submit, S.retryDelay(state.attempt));
    renderNet();
  }
}

async function act(id, path, body) {
  try {
    await call(`/api/cases/${id}/${path}`, { method: "POST", body });
    dispatch({ type: "look", id: Number(id) });
    loadCases();
  } catch (e) {
    if (e.status === 401) return logout();
    $("case-error").textContent = e.message;
  }
}

let guideSeq = 0;
async function searchGuide() {
  const q = $("guide-q").value.trim();
  const mine = ++guideSeq;
  try {
    const found = (await api(`/api/guide?q=${encodeURIComponent(q)}`)).matters;
    if (mine !== guideSeq) return;  // a later search is on its way
    matters = found;
  } catch (e) {
    $("guide-list").innerHTML = `<li class="error">${esc(e.message)}</li>`;
    return;
  }
  $("matter").hidden = true;
  $("guide-list").innerHTML = matters.slice(0, 40).map((m, i) => `<li><button type="button" class="hit" data-matter="${i}">
    <strong>${esc(m.name)}</strong><span>${esc(m.department)} · ${esc(m.handled_here ? (m.mode === "onsite" ? t("hit_onsite") : t("hit_days", { d: m.promised_days })) : t("hit_not_here"))}</span></button></li>`).join("")
    || `<li class="muted big">${esc(t("guide_none"))}</li>`;
}

function showMatter(m) {
  $("guide-list").innerHTML = "";
  $("matter").hidden = false;
  $("matter").innerHTML = `<h2>${esc(m.name)}</h2>
    <p>${esc(t(m.handled_here ? "here_yes" : "here_no"))} · ${esc(m.department)}</p>
    <p class="label">${esc(t("materials_label"))}</p><ul class="materials">${m.materials.map((x) => `<li>☐ ${esc(x)}</li>`).join("")}</ul>
    <div class="actions"><button type="button" class="ghost" id="matter-back">${esc(t("back"))}</button>
    <button type="button" class="primary" id="matter-add" data-code="${esc(m.code)}">${esc(t("do_it"))}</button></div>`;
  $("matter-add").onclick = () => { dispatch({ type: "add", matter: m }); show("draft"); };
  $("matter-back").onclick = searchGuide;
}

async function loadCatalog() {
  hall = await api("/api/catalog");
  $("ticket-service").innerHTML = hall.categories.map((c) => `<optgroup label="${esc(localName(c, lang))}">${c.services.map((s) =>
    `<option value="${esc(s.code)}">${esc(localName(s, lang))}</option>`).join("")}</optgroup>`).join("");
}

let ticketKey = null;
async function takeTicket() {
  ticketKey = ticketKey || newKey();
  $("ticket-error").textContent = "";
  try {
    const tk = await call("/api/tickets", { method: "POST", headers: { "Idempotency-Key": ticketKey },
      body: { service: $("ticket-service").value, channel: "agent" } });
    ticketKey = null;
    $("ticket-result").hidden = false;
    $("ticket-result").innerHTML = `<p>${esc(t("ticket_number"))}</p><p class="number">${esc(tk.number)}</p>
      <p>${esc(t("ticket_ahead", { n: tk.ahead, m: Math.round(tk.eta_minutes), w: tk.windows.join(t("list_sep")) }))}</p>
      <p class="muted">${esc(t("ticket_tell"))}</p>`;
  } catch (e) {
    if (e.status !== 0) ticketKey = null;  // a network failure retries with the same key
    $("ticket-error").textContent = e.message;
  }
}

// ---- login and wiring --------------------------------------------------------------------------

async function start() {
  try {
    me = await call("/api/auth/me");
  } catch (e) {
    if (e.status === 0) { setTimeout(start, 3000); return; }
    me = null;
  }
  if (!me || me.role !== "agent") {
    me = null;
    $("logout").hidden = true;
    $("tabs").hidden = true;
    document.body.dataset.screen = "login";
    return;
  }
  $("logout").hidden = false;
  $("tabs").hidden = false;
  show(state.draft.entries.length ? "draft" : "guide");
  render();
  loadCases();
  loadCatalog().catch(() => {});
  searchGuide();
  connectHall({
    onMessage: (msg) => {
      if (msg.type === "snapshot") { scheduleReload(); return; }
      if (!String(msg.type).startsWith("case.")) return;
      dispatch({ type: "event", event: msg, station: me.station });
      scheduleReload();
    },
    onStatus: (up) => dispatch({ type: "online", online: up }),
  });
  if (state.draft.key && state.draft.entries.length) submit();  // an unfinished submission resumes
}

async function logout() {
  try { await call("/api/auth/logout", { method: "POST" }); } catch (e) { /* gone anyway */ }
  localStorage.removeItem(TOKEN);
  token = null;
  location.reload();
}

$("login-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  try {
    const r = await api("/api/auth/login", { method: "POST", body: { username: f.get("username"), password: f.get("password") } });
    if (r.user.role !== "agent") { $("login-error").textContent = t("only_agents"); return; }
    token = r.token;
    localStorage.setItem(TOKEN, token);
    start();
  } catch (e) {
    $("login-error").textContent = e.status === 401 ? t("bad_login") : e.message;
  }
});
$("logout").addEventListener("click", logout);
$("tabs").addEventListener("click", (ev) => {
  const b = ev.target.closest("[data-tab]");
  if (b) show(b.dataset.tab);
});
$("guide-q").addEventListener("input", () => { clearTimeout(guideTimer); ++guideSeq; guideTimer = setTimeout(searchGuide, 250); });
$("guide-list").addEventListener("click", (ev) => {
  const b = ev.target.closest("[data-matter]");
  if (b) { clearTimeout(guideTimer); ++guideSeq; showMatter(matters[Number(b.dataset.matter)]); }
});
$("draft").addEventListener("input", (ev) => {
  const entry = ev.target.closest(".entry");
  if (!entry) return;
  const index = Number(entry.dataset.index);
  if (ev.target.dataset.field) dispatch({ type: "edit", index, field: ev.target.dataset.field, value: ev.target.value });
  else if (ev.target.dataset.material !== undefined) dispatch({ type: "toggle", index, material: ev.target.dataset.material });
});
$("draft").addEventListener("click", (ev) => {
  if (ev.target.id === "draft-submit") submit();
  else if (ev.target.id === "draft-more") show("guide");
  else if (ev.target.dataset.remove !== undefined) { dispatch({ type: "remove", index: Number(ev.target.dataset.remove) }); renderDraft(); }
});
$("case-filters").addEventListener("click", (ev) => {
  const b = ev.target.closest("[data-filter]");
  if (b) dispatch({ type: "filter", filter: b.dataset.filter });
});
$("case-list").addEventListener("click", (ev) => {
  const el = ev.target;
  if (el.dataset.deliver) act(el.dataset.deliver, "deliver", { method: "agent" });
  else if (el.dataset.withdraw) {
    const note = document.querySelector(`[data-note="${el.dataset.withdraw}"]`).value.trim();
    if (!note) { $("case-error").textContent = t("withdraw_need"); return; }
    act(el.dataset.withdraw, "withdraw", { note });
  } else {
    const li = el.closest("[data-case]");
    if (li && state.changed[li.dataset.case]) dispatch({ type: "look", id: li.dataset.case });
  }
});
$("ticket-take").addEventListener("click", takeTicket);
window.addEventListener("online", () => dispatch({ type: "online", online: true }));
window.addEventListener("offline", () => dispatch({ type: "online", online: false }));

start();
