// Clerk console: wires the pure state (state.js) to the DOM, the API and the hall websocket.
import { api } from "/static/common/api.js";
import { connectHall } from "/static/common/hallsocket.js";
import * as S from "/static/clerk/state.js";
import { applyStatic, loadLang, otherLang, saveLang, translator } from "/static/clerk/i18n.js";
import { casesContext, casesOnHall, initCases } from "/static/clerk/cases.js";

let state = { ...S.initialState(), lang: loadLang() };
let t = translator(state.lang);
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

function dispatch(msg) {
  state = S.reduce(state, msg);
  t = translator(state.lang);
  render();
}

/** Switch the console between Chinese and English in place, and remember the choice. */
function toggleLang() {
  const next = otherLang(state.lang);
  saveLang(next);
  applyStatic(document, next);
  dispatch({ type: "lang", lang: next });
}

// ---- data loading ---------------------------------------------------------

let refreshTimer = null;
let refreshSeq = 0;
let actionEpoch = 0;

function scheduleRefresh(delay = 120) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, delay);
}

async function refresh() {
  if (!state.me) return;
  const mySeq = ++refreshSeq;
  const epoch = actionEpoch;
  try {
    const windows = await api("/api/windows");
    if (mySeq !== refreshSeq) return;
    if (epoch !== actionEpoch) { scheduleRefresh(0); return; }
    dispatch({ type: "windows", windows });
    const n = state.windowNo;
    if (n !== null && S.holdsWindow(state)) {
      const queue = await api(`/api/windows/${n}/queue`);
      if (mySeq !== refreshSeq) return;
      if (epoch !== actionEpoch) { scheduleRefresh(0); return; }
      dispatch({ type: "queue", window: n, queue });
    }
  } catch (e) {
    if (e.status === 401) { dispatch({ type: "logged-out" }); return; }
    if (mySeq === refreshSeq) dispatch({ type: "failed", action: "refresh", code: e.code, message: e.message });
  }
}

async function loadCatalog() {
  try { dispatch({ type: "catalog", catalog: await api("/api/catalog") }); } catch (e) { /* retried on next login */ }
}

async function whoAmI() {
  try {
    const me = await api("/api/auth/me");
    if (me.kind !== "user") { dispatch({ type: "logged-out" }); return; }
    dispatch({ type: "me", me });
    startLive();
    await refresh();
  } catch (e) {
    dispatch({ type: "logged-out" });
  }
}

let hall = null;
function startLive() {
  if (hall) return;
  hall = connectHall({
    onMessage: (m) => {
      dispatch({ type: "hall", msg: m });
      if (S.needsRefresh(m)) scheduleRefresh();
      casesOnHall(m);
    },
    onStatus: (ok) => { dispatch({ type: "socket", connected: ok }); if (ok) scheduleRefresh(0); },
  });
}

// ---- actions ----------------------------------------------------------------

const REFRESH_CODES = new Set(["ticket_not_waiting", "no_current_ticket", "invalid_state", "window_busy",
  "window_closed", "forbidden", "conflict", "not_found"]);

async function act(action, { window: win, body } = {}) {
  if (state.pending) return;
  const n = win ?? state.windowNo;
  if (n === null || n === undefined) return;
  dispatch({ type: "pending", action });
  try {
    const result = await api(`/api/windows/${n}/${action}`, { method: "POST", body });
    actionEpoch += 1;
    dispatch({ type: "done", action, result });
    if (action === "open") dispatch({ type: "select", window: n });
  } catch (e) {
    actionEpoch += 1;
    if (e.status === 401) { dispatch({ type: "logged-out" }); return; }
    dispatch({ type: "failed", action, code: e.code, message: e.message });
    if (!REFRESH_CODES.has(e.code)) return;
  }
  scheduleRefresh(0);
}

let disarmTimer = null;
function command(action, el) {
  const c = S.controls(state);
  switch (action) {
    case "open":
      act("open", { window: Number(el?.dataset.window ?? state.windowNo) });
      return;
    case "enter":
      dispatch({ type: "select", window: Number(el.dataset.window) });
      scheduleRefresh(0);
      return;
    case "pause-toggle":
      if (c.pause) act("pause", pauseBody()); else if (c.resume) act("resume");
      return;
    case "pause":
      if (c.pause) act("pause", pauseBody());
      return;
    case "cancel":
      clearTimeout(disarmTimer);
      if (state.dialog) dispatch({ type: "dialog", dialog: null });
      else if (state.armed) dispatch({ type: "disarm" });
      else if (state.error || state.notice) dispatch({ type: "dismiss" });
      return;
    case "no-show":
      if (!c["no-show"]) return;
      if (state.armed !== "no-show") {
        dispatch({ type: "arm", action: "no-show" });
        clearTimeout(disarmTimer);
        disarmTimer = setTimeout(() => dispatch({ type: "disarm" }), 6000);
        return;
      }
      clearTimeout(disarmTimer);
      act("no-show");
      return;
    case "transfer":
      if (el && el.dataset.target) { submitTransfer(el.dataset.target); return; }
      if (c.transfer) dispatch({ type: "dialog", dialog: "transfer" });
      return;
    case "finish":
      if (c.finish) act("finish", { body: { outcome: state.outcome } });
      return;
    case "call":
      if (c.call) act("call", { body: { ticket: Number(el.dataset.ticket) } });
      return;
    default:
      if (c[action]) act(action);
  }
}

/** The pause reason picked from the fixed list (never typed: it may be shown publicly). */
function pauseBody() {
  const reason = $("pause-reason") ? $("pause-reason").value : "";
  return reason ? { body: { reason } } : undefined;
}

function submitTransfer(target) {
  if (target === "service") {
    const code = $("transfer-service").value;
    if (code) act("transfer", { body: { service: code } });
  } else {
    const w = Number($("transfer-window").value);
    if (w) act("transfer", { body: { window: w } });
  }
}

async function login(ev) {
  ev.preventDefault();
  const username = $("username").value.trim();
  const password = $("password").value;
  $("login-submit").disabled = true;
  try {
    await api("/api/auth/login", { method: "POST", body: { username, password } });
    $("password").value = "";
    await whoAmI();
  } catch (e) {
    dispatch(e.status === 401 ? { type: "login-error", key: "bad_login" } : { type: "login-error", message: e.message });
  } finally {
    $("login-submit").disabled = false;
  }
}

async function logout() {
  try { await api("/api/auth/logout", { method: "POST" }); } catch (e) { /* the cookie is cleared anyway */ }
  if (hall) { hall.stop(); hall = null; }
  dispatch({ type: "logged-out" });
}

async function walkIn(ev) {
  ev.preventDefault();
  if (state.pending) return;
  const service = $("walkin-service").value;
  const priority = $("walkin-priority").value;
  const body = { service, channel: "counter" };
  if (priority) body.priority = priority;
  dispatch({ type: "pending", action: "walk-in" });
  try {
    const key = `walkin-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const t = await api("/api/tickets", { method: "POST", body, headers: { "Idempotency-Key": key } });
    dispatch({ type: "done", action: "walk-in", result: t });
    $("walkin-priority").value = "";
  } catch (e) {
    dispatch({ type: "failed", action: "walk-in", code: e.code, message: e.message });
  }
  scheduleRefresh(0);
}

// ---- rendering ----------------------------------------------------------------

const lastHtml = {};
function setHtml(id, html) {
  if (lastHtml[id] === html) return;
  lastHtml[id] = html;
  $(id).innerHTML = html;
}

function render() {
  const loggedIn = !!state.me;
  const w = S.myWindow(state);
  const inConsole = loggedIn && state.windowNo !== null;
  $("login").hidden = loggedIn;
  $("chooser").hidden = !loggedIn || inConsole;
  $("console").hidden = !inConsole;
  $("logout").hidden = !loggedIn;
  $("switch-window").hidden = !inConsole;
  $("me").textContent = loggedIn ? `${state.me.display_name || state.me.username}` : "";
  $("conn").textContent = t(state.connected ? "conn_on" : "conn_off");
  $("conn").className = "conn " + (state.connected ? "on" : "off");
  $("where").textContent = w ? t("where", { n: w.number, name: S.windowName(state.catalog, w.number, w.name, state.lang) }) : "";
  $("login-error").hidden = !state.loginError;
  $("login-error").textContent = state.loginError || "";

  $("alert").hidden = !state.error;
  if (state.error) {
    $("alert-title").textContent = state.error.title;
    $("alert-detail").textContent = state.error.detail ? t("detail", { d: state.error.detail }) : "";
    $("alert").dataset.code = state.error.code || "";
  }
  $("notice").hidden = !state.notice || !!state.error;
  $("notice").textContent = state.notice || "";

  if (loggedIn && !inConsole) renderChooser();
  if (inConsole) renderConsole(w);
  renderDialog(w);
  casesContext({ me: state.me, windowNo: inConsole && S.holdsWindow(state) ? state.windowNo : null,
    lang: state.lang, ticket: w && w.current ? w.current : null, catalog: state.catalog });
}

function renderChooser() {
  const me = state.me.username;
  const cards = state.windows.map((w) => {
    const holder = w.clerk && w.status !== "closed" ? w.clerk : null;
    const mine = holder && holder.username === me;
    const cls = mine ? "mine" : holder ? "taken" : "";
    const who = holder ? (mine ? esc(t("mine")) : esc(t("used_by", { name: holder.display_name }))) : esc(t("free"));
    const btn = mine
      ? `<button type="button" class="mid primary" data-cmd="enter" data-window="${w.number}">${esc(t("enter"))}</button>`
      : `<button type="button" class="mid" data-action="open" data-window="${w.number}">${esc(t("open_this"))}</button>`;
    return `<div class="wincard ${cls}" data-window-card="${w.number}"><span class="n">${esc(t("win_no", { n: w.number }))}</span>
      <span>${esc(S.windowName(state.catalog, w.number, w.name, state.lang))}</span><span class="muted">${esc(S.codeLabel("ws_", w.status, state.lang))} · ${who}</span>${btn}</div>`;
  }).join("");
  setHtml("window-grid", cards || `<p class="muted">${esc(t("loading_windows"))}</p>`);
}

function renderConsole(w) {
  const c = S.controls(state);
  const holds = S.holdsWindow(state);
  $("win-title").textContent = t("win_title", { n: state.windowNo });
  const status = w ? w.status : "closed";
  $("win-status").textContent = S.codeLabel("ws_", status, state.lang);
  $("win-status").className = "badge " + status;
  $("win-reason").textContent = w && w.pause_reason ? t("pause_reason", { r: w.pause_reason }) : "";
  $("btn-pause").hidden = status === "paused";
  $("btn-resume").hidden = status !== "paused";

  const lost = $("lost");
  if (w && !holds) {
    lost.hidden = false;
    lost.textContent = w.status === "closed"
      ? t("lost_closed", { n: w.number })
      : t("lost_taken", { n: w.number, name: w.clerk ? w.clerk.display_name : t("someone") });
  } else {
    lost.hidden = true;
  }

  for (const action of ["call-next", "recall", "start", "finish", "no-show", "transfer", "pause", "resume", "close"]) {
    const btn = document.querySelector(`#console [data-action="${action}"]`);
    if (btn) btn.disabled = !c[action];
  }
  const ns = $("btn-no-show");
  const armed = state.armed === "no-show";
  ns.classList.toggle("armed", armed);
  setHtml("btn-no-show", `<span>${esc(t(armed ? "no_show_armed" : "no_show"))}</span> <kbd>-</kbd>`);
  const outcome = S.OUTCOMES.some(([o]) => o === state.outcome) ? state.outcome : "done";
  const finishText = outcome === "done" ? t("finish") : t("finish_as", { o: S.codeLabel("o_", outcome, state.lang) });
  setHtml("btn-finish", `<span>${esc(finishText)}</span> <kbd>Enter</kbd>`);
  setHtml("outcomes", `<legend>${esc(t("outcome_legend"))}</legend>` + S.OUTCOMES.map(([code], i) =>
    `<label class="${state.outcome === code ? "on" : ""}"><input type="radio" name="outcome" value="${code}" ${state.outcome === code ? "checked" : ""}>${esc(S.codeLabel("o_", code, state.lang))} <kbd>${i + 1}</kbd></label>`).join(""));

  renderCurrent(w);
  renderQueue(c);
  setHtml("last-called", state.lastCalled.length
    ? state.lastCalled.map((e) => `<li>${esc(e.number)}<small>${esc(clock(e.at))}</small></li>`).join("")
    : `<li class="none">${esc(t("none_yet"))}</li>`);
  renderWalkIn();
  setHtml("shortcut-table", S.SHORTCUTS.map((s) =>
    `<tr><td>${s.keys.map((k) => `<kbd>${esc(k)}</kbd>`).join(" ")}</td><td>${esc(t(s.text))}</td></tr>`).join(""));
  tick();
}

function clock(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return isNaN(d) ? "" : d.toTimeString().slice(0, 8);
}

function svcName(tk) {
  return S.serviceName(state.catalog, tk.service, state.lang) || tk.service_name || tk.service;
}

function renderCurrent(w) {
  const tk = w && w.current;
  if (!tk) {
    const paused = w && w.status === "paused";
    setHtml("materials", "");
    setHtml("current", `<div class="empty" data-testid="idle"><div>${paused
      ? `${esc(t("idle_paused"))}<br><small>${esc(t("idle_paused_hint"))}</small>`
      : `${esc(t("idle_none"))}<br><small>${esc(t("idle_none_hint", { n: state.queue.length }))}</small>`}</div></div>`);
    return;
  }
  const prio = tk.priority ? `<span class="prio">${esc(S.codeLabel("pr_", tk.priority, state.lang))}</span>` : esc(t("no_prio"));
  const mats = S.materialsFor(state.catalog, tk.service);
  const matHtml = mats.length ? mats.map((m, i) => `<h3>${esc(m.matter)}</h3><ul>${m.materials.map((x, j) =>
    `<li><label><input type="checkbox" data-material="${i}-${j}">${esc(x)}</label></li>`).join("")}</ul>`).join("")
    : `<p class="muted">${esc(t("no_materials"))}</p>`;
  const total = mats.reduce((a, m) => a + m.materials.length, 0);
  const catName = S.categoryName(state.catalog, tk.category, state.lang) || tk.category_name || "";
  setHtml("current", `
    <div class="head">
      <span class="number" id="current-number" data-ticket-id="${tk.id}">${esc(tk.number)}</span>
      <span class="svc">${esc(svcName(tk))}</span>
      <span class="status ${tk.status}" id="current-status" data-status="${tk.status}">${esc(S.codeLabel("st_", tk.status, state.lang))}</span>
    </div>
    <div class="facts">
      <div><b>${esc(t("f_waited"))}</b>${S.formatDuration(S.waitedSeconds(tk), state.lang)}</div>
      <div><b>${esc(t(tk.status === "serving" ? "f_serving" : "f_called"))}</b><span data-since="${esc(tk.status === "serving" ? tk.started_at : tk.called_at)}"></span></div>
      <div><b>${esc(t("f_prio"))}</b>${prio}</div>
      <div><b>${esc(t("f_channel"))}</b>${esc(S.codeLabel("ch_", tk.channel, state.lang))}</div>
      <div><b>${esc(t("f_calls"))}</b>${tk.call_count ?? 1}</div>
      <div><b>${esc(t("f_category"))}</b>${esc(tk.category)} ${esc(catName)}</div>
    </div>`);
  // A language switch redraws the checklist: keep the ticks the clerk has made for this ticket.
  const ticked = Array.from(document.querySelectorAll("#materials [data-material]:checked"), (x) => x.dataset.material);
  const sameTicket = $("materials").dataset.ticket === String(tk.id);
  setHtml("materials", `<strong>${esc(t("materials"))}</strong> <span class="tally" id="material-tally" data-total="${total}"></span>
    <span class="muted small">${esc(t("materials_hint", { number: tk.number, svc: svcName(tk) }))}</span>${matHtml}`);
  $("materials").dataset.ticket = String(tk.id);
  if (sameTicket) {
    for (const id of ticked) {
      const box = document.querySelector(`#materials [data-material="${id}"]`);
      if (box) box.checked = true;
    }
  }
  updateTally();
}

function updateTally() {
  const el = $("material-tally");
  if (!el) return;
  const total = Number(el.dataset.total);
  const got = document.querySelectorAll("#materials [data-material]:checked").length;
  el.textContent = total ? t(got === total ? "tally_full" : "tally", { got, total }) : "";
}

function renderQueue(c) {
  const q = state.queue;
  const counts = S.queueCounts(q);
  $("queue-count").textContent = String(counts.total);
  const cats = Object.entries(counts.byCategory).map(([k, v]) => t("queue_cat", { k, v })).join(t("list_sep"));
  $("queue-sub").textContent = t("queue_sub") + (counts.total ? t("queue_cats", { list: cats }) : "")
    + (counts.priority ? t("queue_prio", { n: counts.priority }) : "")
    + (counts.transferred ? t("queue_tr", { n: counts.transferred }) : "");
  const rows = q.map((tk) => {
    const tags = (tk.priority ? `<span class="tag">${esc(S.codeLabel("pr_", tk.priority, state.lang))}</span>` : "")
      + (tk.designated_window ? `<span class="tag tr">${esc(t("tag_tr"))}</span>` : "");
    return `<li data-queue-ticket="${tk.id}" data-number="${esc(tk.number)}"><span class="qn">${esc(tk.number)}</span>
      <span class="qs">${esc(svcName(tk))}${tags}<small>${esc(t("waited"))} <span data-since="${esc(tk.issued_at)}"></span> · ${esc(S.codeLabel("ch_", tk.channel, state.lang))}</small></span>
      <button type="button" class="mid" data-action="call" data-ticket="${tk.id}" ${c.call ? "" : "disabled"}>${esc(t("call_this"))}</button></li>`;
  }).join("");
  setHtml("queue", rows || `<li class="none">${esc(t("nobody"))}</li>`);
}

let walkInLang = null;
function renderWalkIn() {
  const sel = $("walkin-service");
  if ((sel.options.length && walkInLang === state.lang) || !state.catalog) return;
  const keep = sel.value;
  const w = S.myWindow(state);
  const mine = new Set(w ? w.services : []);
  const opts = S.serviceOptions(state.catalog, state.lang);
  opts.sort((a, b) => Number(mine.has(b.code)) - Number(mine.has(a.code)));
  sel.innerHTML = opts.map((o) => `<option value="${esc(o.code)}">${esc(o.category)} ${esc(o.name)}</option>`).join("");
  if (keep && opts.some((o) => o.code === keep)) sel.value = keep;
  walkInLang = state.lang;
}

let dialogLang = null;
function renderDialog(w) {
  const root = $("dialog-root");
  if (state.dialog !== "transfer" || !w || !w.current) {
    if (root.innerHTML) { root.innerHTML = ""; lastHtml["dialog-root"] = ""; }
    return;
  }
  if (root.querySelector(".dialog") && dialogLang === state.lang) {
    root.querySelectorAll("[data-target]").forEach((b) => { b.disabled = !!state.pending; });
    return;
  }
  // Built once per opening (and again on a language switch, keeping the choices made).
  const keepService = $("transfer-service") ? $("transfer-service").value : "";
  const keepWindow = $("transfer-window") ? $("transfer-window").value : "";
  const tk = w.current;
  const services = S.serviceOptions(state.catalog, state.lang).map((o) =>
    `<option value="${esc(o.code)}" ${o.code === tk.service ? "disabled" : ""}>${esc(o.category)} ${esc(o.name)}</option>`).join("");
  const windows = state.windows.filter((x) => x.number !== w.number).map((x) =>
    `<option value="${x.number}">${esc(t("tr_window_opt", { n: x.number, name: S.windowName(state.catalog, x.number, x.name, state.lang),
      status: S.codeLabel("ws_", x.status, state.lang), clerk: x.clerk ? " · " + x.clerk.display_name : "" }))}</option>`).join("");
  root.innerHTML = `<div class="backdrop"><div class="dialog" role="dialog" aria-modal="true" aria-labelledby="transfer-title">
    <h2 id="transfer-title">${esc(t("tr_title", { number: tk.number, svc: svcName(tk) }))}</h2>
    <p class="muted">${t("tr_hint")}</p>
    <div class="row"><label>${esc(t("tr_to_service"))}<select id="transfer-service"><option value="">${esc(t("tr_pick_service"))}</option>${services}</select></label>
      <button type="button" class="mid primary" data-action="transfer" data-target="service">${esc(t("tr_service_btn"))}</button></div>
    <div class="row"><label>${esc(t("tr_to_window"))}<select id="transfer-window"><option value="">${esc(t("tr_pick_window"))}</option>${windows}</select></label>
      <button type="button" class="mid primary" data-action="transfer" data-target="window">${esc(t("tr_window_btn"))}</button></div>
    <div class="foot"><button type="button" class="mid" data-cmd="cancel">${esc(t("cancel"))} <kbd>Esc</kbd></button></div>
  </div></div>`;
  lastHtml["dialog-root"] = root.innerHTML;
  const reopened = dialogLang !== null && dialogLang !== state.lang && (keepService || keepWindow);
  dialogLang = state.lang;
  if (reopened) {
    $("transfer-service").value = keepService;
    $("transfer-window").value = keepWindow;
  }
  $("transfer-service").focus();
}

function tick() {
  const now = Date.now();
  document.querySelectorAll("[data-since]").forEach((el) => {
    const since = Date.parse(el.dataset.since);
    el.textContent = isNaN(since) ? "" : S.formatDuration((now - since) / 1000, state.lang);
  });
}

// ---- events ----------------------------------------------------------------------

document.addEventListener("click", (ev) => {
  const el = ev.target.closest("[data-action], [data-cmd]");
  if (!el || el.disabled) return;
  if (el.id === "btn-pause" || el.id === "btn-resume") { command(el.dataset.action, el); return; }
  command(el.dataset.action || el.dataset.cmd, el);
});

document.addEventListener("change", (ev) => {
  if (ev.target.name === "outcome") dispatch({ type: "outcome", outcome: ev.target.value });
  if (ev.target.dataset && ev.target.dataset.material !== undefined) updateTally();
});

document.addEventListener("keydown", (ev) => {
  if (!state.me || state.windowNo === null) return;
  const tag = ev.target && ev.target.tagName;
  const inField = ["INPUT", "SELECT", "TEXTAREA"].includes(tag) && ev.target.type !== "radio" && ev.target.type !== "checkbox";
  const cmd = S.keyCommand(ev.key, { inField, dialog: state.dialog });
  if (!cmd) return;
  ev.preventDefault();
  if (cmd.action === "outcome") { dispatch({ type: "outcome", outcome: cmd.outcome }); return; }
  command(cmd.action, null);
});

$("login-form").addEventListener("submit", login);
$("lang-toggle").addEventListener("click", toggleLang);
$("walkin-form").addEventListener("submit", walkIn);
$("logout").addEventListener("click", logout);
$("alert-close").addEventListener("click", () => dispatch({ type: "dismiss" }));
$("switch-window").addEventListener("click", () => { dispatch({ type: "leave" }); scheduleRefresh(0); });
setInterval(tick, 1000);
// A slow safety net: the websocket drives updates, this only repairs a missed one.
setInterval(() => { if (state.me) scheduleRefresh(0); }, 30000);

applyStatic(document, state.lang);
initCases();
render();
loadCatalog();
whoAmI();
