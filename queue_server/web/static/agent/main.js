// @ts-check
// The village agent's page: log in, find a matter, submit cases (a batch for several), follow the
// station's cases live and confirm delivery, take a ticket. State logic lives in state.js.

import { api } from "../common/api.js";
import { $, draw, html, live, nothing, repeat } from "../common/dom.js";
import { hallKey } from "../common/hall.js";
import { connectHall } from "../common/hallsocket.js";
import * as S from "./state.js";
import { localName, setupLang } from "./i18n.js";

/** @typedef {import("../types/api").components["schemas"]} Schemas */
/** @typedef {import("../common/api.js").ApiError} ApiError */

const TOKEN = hallKey("hall.agent.token");
const DRAFT = hallKey("hall.agent.draft");
const { lang, t } = setupLang();

let token = localStorage.getItem(TOKEN);
/** @type {Schemas["Me"] | null} */
let me = null;
let state = S.initial(readDraft());
/** @type {ReturnType<typeof setTimeout> | null} */
let retryTimer = null;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let reloadTimer;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let guideTimer;
/** @type {Schemas["GuideMatter"][]} */
let matters = [];
/** @type {Schemas["GuideMatter"] | null} the matter opened from the search, or null while the list shows */
let opened = null;
/** @type {string | null} a failed search, shown in place of the list */
let guideError = null;

/** @returns {S.Draft | null} */
function readDraft() {
  try { return JSON.parse(localStorage.getItem(DRAFT) || "null"); } catch (e) { return null; }
}

function newKey() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);  // works on a plain-http intranet too (randomUUID needs https)
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** @param {{ type: string, [field: string]: any }} msg */
function dispatch(msg) {
  state = S.reduce(state, msg);
  // The form survives a reload, an error or a lost connection until the server accepted it.
  if (state.draft.entries.length) localStorage.setItem(DRAFT, JSON.stringify(state.draft));
  else localStorage.removeItem(DRAFT);
  render();
}

/**
 * Call the API with the agent's token.
 * @param {string} path
 * @param {import("../common/api.js").ApiOptions} [opts]
 */
function call(path, opts = {}) {
  return api(path, { ...opts, token });
}

// ---- screens ----------------------------------------------------------------------------------

/** @param {string} screen */
function show(screen) {
  document.body.dataset.screen = screen;
  for (const b of document.querySelectorAll("#tabs [data-tab]")) {
    b.classList.toggle("on", /** @type {HTMLElement} */ (b).dataset.tab === screen);
  }
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

/**
 * One resident's entry of the draft. Every field is bound to the state it edits (live: what is
 * typed is the state), so a redraw while the agent types changes nothing under the cursor.
 * @param {S.Entry} e
 * @param {number} i
 */
function entryView(e, i) {
  return html`
    <fieldset class="card entry" data-index=${i}>
      <legend>${t("entry_legend", { i: i + 1, matter: e.matter_name })}</legend>
      <label>${t("applicant_name")} <input data-field="name" .value=${live(e.name)} autocomplete="off"></label>
      <label>${t("phone_opt")} <input data-field="phone" inputmode="numeric" maxlength="11" .value=${live(e.phone)}></label>
      <label>${t("id_opt")} <input data-field="id_number" maxlength="18" .value=${live(e.id_number)}></label>
      <label>${t("home")} <select data-field="group"><option value="" .selected=${live(!e.group)}>${t("home_no")}</option>${
        Object.keys(S.GROUPS).map((k) => html`<option value=${k} .selected=${live(e.group === k)}>${t("group_option", { g: t("g_" + k) })}</option>`)
      }</select></label>
      <p class="label">${t("received")}</p>
      <ul class="checks">${e.materials.map((m) => html`<li><label><input type="checkbox" data-material=${m}
        .checked=${live(e.received.includes(m))}> ${m}</label></li>`)}</ul>
      <button type="button" class="ghost" data-remove=${i}>${t("remove")}</button>
    </fieldset>`;
}

function renderDraft() {
  const d = state.draft;
  $("draft-count").textContent = d.entries.length ? String(d.entries.length) : "";
  if (!d.entries.length) {
    const done = state.done;
    draw($("draft"), html`${done ? html`<div class="card ok-card"><h2>${t("done_n", { n: done.length })}</h2><ol>${
      repeat(done, (c) => c.id, (c) => html`<li><strong>${c.number}</strong> ${c.matter_name} · ${c.applicant.name}</li>`)}</ol></div>` : nothing}
      <p class="muted big">${t("draft_empty")}</p>`);
    return;
  }
  // Entries are keyed by their place: removing one redraws those after it from the state.
  draw($("draft"), html`${d.entries.map(entryView)}
    <div class="actions">
      <button type="button" id="draft-more" class="ghost">${t("add_more")}</button>
      <button type="button" id="draft-submit" class="primary" ?disabled=${state.submitting}>
        ${state.submitting ? t("submitting") : d.entries.length > 1 ? t("submit_n", { n: d.entries.length }) : t("submit_one")}</button>
    </div>`);
}

/** @param {S.Case} c */
function caseItem(c) {
  const changed = state.changed[c.id] ? html`<span class="new">${t("changed")}</span>` : nothing;
  const group = c.group ? t("case_group", { g: S.GROUPS[c.group] ? t("g_" + c.group) : c.group }) : "";
  const due = c.status === "completed" ? t("completed_on", { d: (c.completed_at || "").slice(0, 10) }) : t("due_on", { d: c.due_date });
  let actions = html``;
  if (c.status === "completed") {
    actions = html`<button type="button" class="primary" data-deliver=${c.id}>${t("deliver")}</button>`;
  } else if (["accepted", "processing", "suspended"].includes(c.status)) {
    // What the agent types here stays through live refreshes: nothing binds the note's value.
    actions = html`<details class="withdraw"><summary>${t("withdraw")}</summary>
      <input data-note=${c.id} placeholder=${t("withdraw_ph")}><button type="button" class="ghost" data-withdraw=${c.id}>${t("withdraw_ok")}</button></details>`;
  }
  const missing = c.missing && c.missing.length ? html`<p class="warn">${t("missing", { list: c.missing.join(t("list_sep")) })}</p>` : nothing;
  return html`<li class="case ${state.changed[c.id] ? "changed" : ""}" data-case=${c.id}>
    <div class="row1"><strong>${c.number}</strong> ${changed}<span class="chip st-${c.status}">${S.STATUS[c.status] ? t("st_" + c.status) : c.status}</span></div>
    <div class="row2">${c.matter_name}</div>
    <div class="row3">${c.applicant.name}${group} · ${due}</div>${missing}${actions}</li>`;
}

function renderCases() {
  const n = S.badgeCount(state);
  $("case-badge").hidden = !n;
  $("case-badge").textContent = String(n);
  for (const b of document.querySelectorAll("#case-filters [data-filter]")) {
    b.classList.toggle("on", /** @type {HTMLElement} */ (b).dataset.filter === state.filter);
  }
  const list = S.visible(state);
  draw($("case-list"), list.length ? repeat(list, (c) => c.id, caseItem)
    : html`<li class="muted big">${t("empty_" + state.filter)}</li>`);
}

function render() {
  if (!me) return;
  $("who").textContent = `${me.station_name || me.station || ""} · ${me.display_name || me.username}`;
  renderNet();
  renderCases();
  renderDraft();
  $("draft-error").textContent = state.online ? state.error || "" : "";  // the bar says it already
}

// ---- data -------------------------------------------------------------------------------------

let firstLoad = true;
async function loadCases() {
  try {
    /** @type {Schemas["CaseList"]} */
    const r = await call("/api/cases?limit=200");
    dispatch({ type: "cases", cases: r.cases, first: firstLoad });
    firstLoad = false;
    $("case-error").textContent = "";
  } catch (e) {
    const err = /** @type {ApiError} */ (e);
    if (err.status === 401) { logout(); return; }
    $("case-error").textContent = err.message;
  }
}

function scheduleReload() {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(loadCases, 200);
}

async function submit() {
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
  const problem = S.draftProblem(state.draft, lang);
  if (problem) { dispatch({ type: "submit_failed", message: problem }); return; }
  dispatch({ type: "submit", key: newKey() });
  const { path, body } = S.submission(state.draft);
  try {
    const r = await call(path, { method: "POST", body, headers: { "Idempotency-Key": state.draft.key || "" } });
    dispatch({ type: "submitted", cases: r.cases || [r] });
    loadCases();
  } catch (e) {
    const err = /** @type {ApiError} */ (e);
    if (err.status === 401) { logout(); return; }
    const network = err.status === 0 || err.status >= 500;
    dispatch({ type: "submit_failed", network, message: network
      ? t("net_retry") : err.message });
    if (network) retryTimer = setTimeout(submit, S.retryDelay(state.attempt));
    renderNet();
  }
}

/**
 * @param {string} id
 * @param {string} path
 * @param {object} body
 */
async function act(id, path, body) {
  try {
    await call(`/api/cases/${id}/${path}`, { method: "POST", body });
    dispatch({ type: "look", id: Number(id) });
    loadCases();
  } catch (e) {
    const err = /** @type {ApiError} */ (e);
    if (err.status === 401) { logout(); return; }
    $("case-error").textContent = err.message;
  }
}

/** @param {Schemas["GuideMatter"]} m */
function hitText(m) {
  if (!m.handled_here) return t("hit_not_here");
  return m.mode === "onsite" ? t("hit_onsite") : t("hit_days", { d: m.promised_days });
}

function renderGuide() {
  const m = opened;
  $("matter").hidden = !m;
  if (m) {
    draw($("guide-list"), nothing);
    draw($("matter"), html`<h2>${m.name}</h2>
      <p>${t(m.handled_here ? "here_yes" : "here_no")} · ${m.department}</p>
      <p class="label">${t("materials_label")}</p><ul class="materials">${m.materials.map((x) => html`<li>☐ ${x}</li>`)}</ul>
      <div class="actions"><button type="button" class="ghost" id="matter-back" @click=${searchGuide}>${t("back")}</button>
      <button type="button" class="primary" id="matter-add" data-code=${m.code}
        @click=${() => { dispatch({ type: "add", matter: m }); show("draft"); }}>${t("do_it")}</button></div>`);
    return;
  }
  if (guideError !== null) { draw($("guide-list"), html`<li class="error">${guideError}</li>`); return; }
  const hits = matters.slice(0, 40);
  draw($("guide-list"), hits.length ? repeat(hits, (x) => x.code, (x, i) => html`<li><button type="button" class="hit" data-matter=${i}>
    <strong>${x.name}</strong><span>${x.department} · ${hitText(x)}</span></button></li>`)
    : html`<li class="muted big">${t("guide_none")}</li>`);
}

let guideSeq = 0;
async function searchGuide() {
  const q = $("guide-q", HTMLInputElement).value.trim();
  const mine = ++guideSeq;
  try {
    /** @type {Schemas["GuideResult"]} */
    const found = await api(`/api/guide?q=${encodeURIComponent(q)}`);
    if (mine !== guideSeq) return;  // a later search is on its way
    matters = found.matters;
    guideError = null;
  } catch (e) {
    guideError = /** @type {Error} */ (e).message;
    renderGuide();
    return;
  }
  opened = null;
  renderGuide();
}

/** @param {Schemas["GuideMatter"]} m */
function showMatter(m) {
  opened = m;
  renderGuide();
}

async function loadCatalog() {
  /** @type {Schemas["Catalog"]} */
  const hall = await api("/api/catalog");
  draw($("ticket-service"), repeat(hall.categories, (c) => c.code, (c) => html`<optgroup label=${localName(c, lang)}>${
    repeat(c.services, (s) => s.code, (s) => html`<option value=${s.code}>${localName(s, lang)}</option>`)}</optgroup>`));
}

/** @type {string | null} */
let ticketKey = null;
async function takeTicket() {
  ticketKey = ticketKey || newKey();
  $("ticket-error").textContent = "";
  try {
    /** @type {Schemas["TicketPublic"]} */
    const tk = await call("/api/tickets", { method: "POST", headers: { "Idempotency-Key": ticketKey },
      body: { service: $("ticket-service", HTMLSelectElement).value, channel: "agent" } });
    ticketKey = null;
    $("ticket-result").hidden = false;
    draw($("ticket-result"), html`<p>${t("ticket_number")}</p><p class="number">${tk.number}</p>
      <p>${t("ticket_ahead", { n: tk.ahead, m: Math.round(tk.eta_minutes), w: tk.windows.join(t("list_sep")) })}</p>
      <p class="muted">${t("ticket_tell")}</p>`);
  } catch (e) {
    const err = /** @type {ApiError} */ (e);
    if (err.status !== 0) ticketKey = null;  // a network failure retries with the same key
    $("ticket-error").textContent = err.message;
  }
}

// ---- login and wiring --------------------------------------------------------------------------

async function start() {
  try {
    me = await call("/api/auth/me");
  } catch (e) {
    if (/** @type {ApiError} */ (e).status === 0) { setTimeout(start, 3000); return; }
    me = null;
  }
  if (!me || me.role !== "agent") {
    me = null;
    $("logout").hidden = true;
    $("tabs").hidden = true;
    document.body.dataset.screen = "login";
    return;
  }
  const station = me.station;
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
      dispatch({ type: "event", event: msg, station });
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
  const f = new FormData(/** @type {HTMLFormElement} */ (ev.target));
  try {
    /** @type {Schemas["LoginResult"]} */
    const r = await api("/api/auth/login", { method: "POST", body: { username: f.get("username"), password: f.get("password") } });
    if (r.user.role !== "agent") { $("login-error").textContent = t("only_agents"); return; }
    token = r.token;
    localStorage.setItem(TOKEN, r.token);
    start();
  } catch (e) {
    const err = /** @type {ApiError} */ (e);
    $("login-error").textContent = err.status === 401 ? t("bad_login") : err.message;
  }
});
$("logout").addEventListener("click", logout);
$("tabs").addEventListener("click", (ev) => {
  const b = /** @type {HTMLElement | null} */ (/** @type {Element} */ (ev.target).closest("[data-tab]"));
  if (b) show(b.dataset.tab || "");
});
$("guide-q").addEventListener("input", () => { clearTimeout(guideTimer); ++guideSeq; guideTimer = setTimeout(searchGuide, 250); });
$("guide-list").addEventListener("click", (ev) => {
  const b = /** @type {HTMLElement | null} */ (/** @type {Element} */ (ev.target).closest("[data-matter]"));
  if (b) { clearTimeout(guideTimer); ++guideSeq; showMatter(matters[Number(b.dataset.matter)]); }
});
$("draft").addEventListener("input", (ev) => {
  const el = /** @type {HTMLInputElement | HTMLSelectElement} */ (ev.target);
  const entry = /** @type {HTMLElement | null} */ (el.closest(".entry"));
  if (!entry) return;
  const index = Number(entry.dataset.index);
  if (el.dataset.field) dispatch({ type: "edit", index, field: el.dataset.field, value: el.value });
  else if (el.dataset.material !== undefined) dispatch({ type: "toggle", index, material: el.dataset.material });
});
$("draft").addEventListener("click", (ev) => {
  const el = /** @type {HTMLElement} */ (ev.target);
  if (el.id === "draft-submit") submit();
  else if (el.id === "draft-more") show("guide");
  else if (el.dataset.remove !== undefined) dispatch({ type: "remove", index: Number(el.dataset.remove) });
});
$("case-filters").addEventListener("click", (ev) => {
  const b = /** @type {HTMLElement | null} */ (/** @type {Element} */ (ev.target).closest("[data-filter]"));
  if (b) dispatch({ type: "filter", filter: b.dataset.filter });
});
$("case-list").addEventListener("click", (ev) => {
  const el = /** @type {HTMLElement} */ (ev.target);
  if (el.dataset.deliver) act(el.dataset.deliver, "deliver", { method: "agent" });
  else if (el.dataset.withdraw) {
    const input = /** @type {HTMLInputElement | null} */ (document.querySelector(`[data-note="${el.dataset.withdraw}"]`));
    const note = input ? input.value.trim() : "";
    if (!note) { $("case-error").textContent = t("withdraw_need"); return; }
    act(el.dataset.withdraw, "withdraw", { note });
  } else {
    const li = /** @type {HTMLElement | null} */ (el.closest("[data-case]"));
    if (li && state.changed[li.dataset.case || ""]) dispatch({ type: "look", id: li.dataset.case });
  }
});
$("ticket-take").addEventListener("click", takeTicket);
window.addEventListener("online", () => dispatch({ type: "online", online: true }));
window.addEventListener("offline", () => dispatch({ type: "online", online: false }));

start();
