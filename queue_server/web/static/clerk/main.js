// Clerk console: wires the pure state (state.js) to the DOM, the API and the hall websocket.
import { api } from "/static/common/api.js";
import { connectHall } from "/static/common/hallsocket.js";
import * as S from "/static/clerk/state.js";

let state = S.initialState();
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

function dispatch(msg) {
  state = S.reduce(state, msg);
  render();
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
      if (c.pause) act("pause"); else if (c.resume) act("resume");
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
    dispatch({ type: "login-error", message: e.status === 401 ? "用户名或密码不正确" : e.message });
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
  $("conn").textContent = state.connected ? "● 实时" : "● 连接中断，正在重连…";
  $("conn").className = "conn " + (state.connected ? "on" : "off");
  $("where").textContent = w ? `${w.number} 号窗口 · ${w.name}` : "";
  $("login-error").hidden = !state.loginError;
  $("login-error").textContent = state.loginError || "";

  $("alert").hidden = !state.error;
  if (state.error) {
    $("alert-title").textContent = state.error.title;
    $("alert-detail").textContent = state.error.detail ? `（${state.error.detail}）` : "";
    $("alert").dataset.code = state.error.code || "";
  }
  $("notice").hidden = !state.notice || !!state.error;
  $("notice").textContent = state.notice || "";

  if (loggedIn && !inConsole) renderChooser();
  if (inConsole) renderConsole(w);
  renderDialog(w);
}

function renderChooser() {
  const me = state.me.username;
  const cards = state.windows.map((w) => {
    const holder = w.clerk && w.status !== "closed" ? w.clerk : null;
    const mine = holder && holder.username === me;
    const cls = mine ? "mine" : holder ? "taken" : "";
    const who = holder ? (mine ? "您正在使用" : `由 ${esc(holder.display_name)} 使用`) : "空闲";
    const btn = mine
      ? `<button type="button" class="mid primary" data-cmd="enter" data-window="${w.number}">进入工作台</button>`
      : `<button type="button" class="mid" data-action="open" data-window="${w.number}">开启此窗口</button>`;
    return `<div class="wincard ${cls}" data-window-card="${w.number}"><span class="n">${w.number} 号</span>
      <span>${esc(w.name)}</span><span class="muted">${S.WINDOW_STATUS_LABELS[w.status] || w.status} · ${who}</span>${btn}</div>`;
  }).join("");
  setHtml("window-grid", cards || `<p class="muted">正在读取窗口…</p>`);
}

function renderConsole(w) {
  const c = S.controls(state);
  const holds = S.holdsWindow(state);
  $("win-title").textContent = `${state.windowNo} 号窗口`;
  const status = w ? w.status : "closed";
  $("win-status").textContent = S.WINDOW_STATUS_LABELS[status] || status;
  $("win-status").className = "badge " + status;
  $("win-reason").textContent = w && w.pause_reason ? `暂停原因：${w.pause_reason}` : "";
  $("btn-pause").hidden = status === "paused";
  $("btn-resume").hidden = status !== "paused";

  const lost = $("lost");
  if (w && !holds) {
    lost.hidden = false;
    lost.textContent = w.status === "closed"
      ? `${w.number} 号窗口已关闭。请到窗口列表重新开启。`
      : `${w.number} 号窗口现由 ${w.clerk ? w.clerk.display_name : "其他人员"} 使用，您不能再操作这个窗口。`;
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
  setHtml("btn-no-show", armed ? "确认过号？再按一次 <kbd>-</kbd>" : "过号 <kbd>-</kbd>");
  const label = (S.OUTCOMES.find(([o]) => o === state.outcome) || S.OUTCOMES[0])[1];
  setHtml("btn-finish", `${label === "办结" ? "办结" : "办结：" + esc(label)} <kbd>Enter</kbd>`);
  setHtml("outcomes", `<legend>办结结果</legend>` + S.OUTCOMES.map(([code, name], i) =>
    `<label class="${state.outcome === code ? "on" : ""}"><input type="radio" name="outcome" value="${code}" ${state.outcome === code ? "checked" : ""}>${name} <kbd>${i + 1}</kbd></label>`).join(""));

  renderCurrent(w);
  renderQueue(c);
  setHtml("last-called", state.lastCalled.length
    ? state.lastCalled.map((e) => `<li>${esc(e.number)}<small>${esc(clock(e.at))}</small></li>`).join("")
    : `<li class="none">暂无</li>`);
  renderWalkIn();
  setHtml("shortcut-table", S.SHORTCUTS.map((s) =>
    `<tr><td>${s.keys.map((k) => `<kbd>${esc(k)}</kbd>`).join(" ")}</td><td>${esc(s.label)}</td></tr>`).join(""));
  tick();
}

function clock(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return isNaN(d) ? "" : d.toTimeString().slice(0, 8);
}

function renderCurrent(w) {
  const t = w && w.current;
  if (!t) {
    const paused = w && w.status === "paused";
    setHtml("materials", "");
    setHtml("current", `<div class="empty" data-testid="idle"><div>${paused
      ? "窗口已暂停<br><small>按“恢复”后继续叫号</small>"
      : `当前没有号码<br><small>按“叫下一位”或从右侧列表叫指定号（等候 ${state.queue.length} 人）</small>`}</div></div>`);
    return;
  }
  const prio = t.priority ? `<span class="prio">${esc(S.PRIORITY_LABELS[t.priority] || t.priority)}</span>` : "无";
  const mats = S.materialsFor(state.catalog, t.service);
  const matHtml = mats.length ? mats.map((m, i) => `<h3>${esc(m.matter)}</h3><ul>${m.materials.map((x, j) =>
    `<li><label><input type="checkbox" data-material="${i}-${j}">${esc(x)}</label></li>`).join("")}</ul>`).join("")
    : `<p class="muted">该业务没有登记材料清单</p>`;
  const total = mats.reduce((a, m) => a + m.materials.length, 0);
  setHtml("current", `
    <div class="head">
      <span class="number" id="current-number" data-ticket-id="${t.id}">${esc(t.number)}</span>
      <span class="svc">${esc(t.service_name || t.service)}</span>
      <span class="status ${t.status}" id="current-status" data-status="${t.status}">${esc(S.STATUS_LABELS[t.status] || t.status)}</span>
    </div>
    <div class="facts">
      <div><b>等候时长</b>${S.formatDuration(S.waitedSeconds(t))}</div>
      <div><b>${t.status === "serving" ? "已办理" : "已叫号"}</b><span data-since="${esc(t.status === "serving" ? t.started_at : t.called_at)}"></span></div>
      <div><b>优先</b>${prio}</div>
      <div><b>取号渠道</b>${esc(S.CHANNEL_LABELS[t.channel] || t.channel)}</div>
      <div><b>叫号次数</b>${t.call_count ?? 1}</div>
      <div><b>类别</b>${esc(t.category)} ${esc(t.category_name || "")}</div>
    </div>`);
  setHtml("materials", `<strong>材料清单</strong> <span class="tally" id="material-tally" data-total="${total}"></span>
    <span class="muted small">（${esc(t.number)} · ${esc(t.service_name || t.service)}，逐项核对材料是否齐全）</span>${matHtml}`);
  updateTally();
}

function updateTally() {
  const el = $("material-tally");
  if (!el) return;
  const total = Number(el.dataset.total);
  const got = document.querySelectorAll("#materials [data-material]:checked").length;
  el.textContent = total ? (got === total ? `（已核对 ${got}/${total}，材料齐全）` : `（已核对 ${got}/${total}）`) : "";
}

function renderQueue(c) {
  const q = state.queue;
  const counts = S.queueCounts(q);
  $("queue-count").textContent = String(counts.total);
  const cats = Object.entries(counts.byCategory).map(([k, v]) => `${k} 类 ${v}`).join("，");
  $("queue-sub").textContent = `按“叫下一位”的顺序排列${counts.total ? `：${cats}` : ""}${counts.priority ? `；优先 ${counts.priority}` : ""}${counts.transferred ? `；转入本窗口 ${counts.transferred}` : ""}`;
  const rows = q.map((t) => {
    const tags = (t.priority ? `<span class="tag">${esc(S.PRIORITY_LABELS[t.priority] || t.priority)}</span>` : "")
      + (t.designated_window ? `<span class="tag tr">转入</span>` : "");
    return `<li data-queue-ticket="${t.id}" data-number="${esc(t.number)}"><span class="qn">${esc(t.number)}</span>
      <span class="qs">${esc(t.service_name || t.service)}${tags}<small>已等 <span data-since="${esc(t.issued_at)}"></span> · ${esc(S.CHANNEL_LABELS[t.channel] || t.channel)}</small></span>
      <button type="button" class="mid" data-action="call" data-ticket="${t.id}" ${c.call ? "" : "disabled"}>叫此号</button></li>`;
  }).join("");
  setHtml("queue", rows || `<li class="none">没有等候的号码</li>`);
}

function renderWalkIn() {
  const sel = $("walkin-service");
  if (sel.options.length || !state.catalog) return;
  const w = S.myWindow(state);
  const mine = new Set(w ? w.services : []);
  const opts = S.serviceOptions(state.catalog);
  opts.sort((a, b) => Number(mine.has(b.code)) - Number(mine.has(a.code)));
  sel.innerHTML = opts.map((o) => `<option value="${esc(o.code)}">${esc(o.category)} ${esc(o.name)}</option>`).join("");
}

function renderDialog(w) {
  const root = $("dialog-root");
  if (state.dialog !== "transfer" || !w || !w.current) {
    if (root.innerHTML) { root.innerHTML = ""; lastHtml["dialog-root"] = ""; }
    return;
  }
  if (root.querySelector(".dialog")) {
    root.querySelectorAll("[data-target]").forEach((b) => { b.disabled = !!state.pending; });
    return;
  }
  const t = w.current;
  const services = S.serviceOptions(state.catalog).map((o) =>
    `<option value="${esc(o.code)}" ${o.code === t.service ? "disabled" : ""}>${esc(o.category)} ${esc(o.name)}</option>`).join("");
  const windows = state.windows.filter((x) => x.number !== w.number).map((x) =>
    `<option value="${x.number}">${x.number} 号 ${esc(x.name)}（${S.WINDOW_STATUS_LABELS[x.status] || x.status}${x.clerk ? " · " + esc(x.clerk.display_name) : ""}）</option>`).join("");
  root.innerHTML = `<div class="backdrop"><div class="dialog" role="dialog" aria-modal="true" aria-labelledby="transfer-title">
    <h2 id="transfer-title">转移 ${esc(t.number)}（${esc(t.service_name || t.service)}）</h2>
    <p class="muted">转移后号码不变，并<strong>保留原来的排队位置</strong>：目标窗口会先于之后取号的群众叫到他。</p>
    <div class="row"><label>转到另一项业务<select id="transfer-service"><option value="">请选择业务</option>${services}</select></label>
      <button type="button" class="mid primary" data-action="transfer" data-target="service">转到该业务</button></div>
    <div class="row"><label>或转到指定窗口<select id="transfer-window"><option value="">请选择窗口</option>${windows}</select></label>
      <button type="button" class="mid primary" data-action="transfer" data-target="window">转到该窗口</button></div>
    <div class="foot"><button type="button" class="mid" data-cmd="cancel">取消 <kbd>Esc</kbd></button></div>
  </div></div>`;
  lastHtml["dialog-root"] = root.innerHTML;
  $("transfer-service").focus();
}

function tick() {
  const now = Date.now();
  document.querySelectorAll("[data-since]").forEach((el) => {
    const t = Date.parse(el.dataset.since);
    el.textContent = isNaN(t) ? "" : S.formatDuration((now - t) / 1000);
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
$("walkin-form").addEventListener("submit", walkIn);
$("logout").addEventListener("click", logout);
$("alert-close").addEventListener("click", () => dispatch({ type: "dismiss" }));
$("switch-window").addEventListener("click", () => { dispatch({ type: "leave" }); scheduleRefresh(0); });
setInterval(tick, 1000);
// A slow safety net: the websocket drives updates, this only repairs a missed one.
setInterval(() => { if (state.me) scheduleRefresh(0); }, 30000);

render();
loadCatalog();
whoAmI();
