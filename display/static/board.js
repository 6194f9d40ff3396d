// @ts-check
// The hall board: /ws/hall → pure state (state.js) → DOM, with the announcer and the pass QR.
// Served at /static/display/, so "../common/" is /static/common/ (the board shares the pages' modules).

import { adoptFragmentToken, api, ApiError } from "../common/api.js";
import { $, draw, html, repeat } from "../common/dom.js";
import { hallUrl } from "../common/hall.js";
import { connectHall } from "../common/hallsocket.js";
import * as S from "./state.js";
import { browserVoice, createAnnouncer, webAudioChime } from "./announcer.js";

const cfg = JSON.parse($("board-config").textContent || "{}");
const token = adoptFragmentToken();
if (new URLSearchParams(location.search).get("lang") === "en") document.body.classList.add("show-en");

let state = S.initialBoard(cfg);
/** @type {{ url: string | URL, opened: number | null, first: string | null }[]} */
const sockets = []; // the last few connection attempts, for tests and for a technician's console

window.__announcements = [];
window.__board = { sockets, get state() { return state; } };

const announcer = createAnnouncer({
  say: browserVoice({ ttsPath: hallUrl("/api/tts") }),
  chime: webAudioChime(),
  isCurrent: (item) => S.stillCurrent(state, item),
  log: window.__announcements,
});

// ---- rendering: touch only what changed, so a call reaches the screen in a few milliseconds

/** @typedef {ReturnType<typeof S.initialBoard>} Board */

/** @param {Element} el @param {string} selector */
const part = (el, selector) => /** @type {HTMLElement} */ (el.querySelector(selector));
const tiles = new Map([...document.querySelectorAll(".tile")].map((el) => [Number(/** @type {HTMLElement} */ (el).dataset.window), {
  el, ticket: part(el, ".tile-ticket"), status: part(el, ".tile-status"),
}]));
const cats = new Map([...document.querySelectorAll(".cat")].map((el) => [/** @type {HTMLElement} */ (el).dataset.cat, {
  el, waiting: part(el, ".cat-waiting"), eta: part(el, ".cat-eta"),
}]));

/**
 * @param {Element} el
 * @param {string} text
 */
function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/**
 * @param {Element} el
 * @param {string} name
 * @param {string} value
 */
function setAttr(el, name, value) {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/** @param {HTMLElement | Element} el */
function flash(el) {
  el.classList.remove("flash");
  void (/** @type {HTMLElement} */ (el)).offsetWidth; // restart the CSS animation
  el.classList.add("flash");
}

const STATUS = { closed: "未开放", paused: "暂停", called: "呼叫中", serving: "办理中", idle: "空闲" };

/** @param {Board["windows"][number]} w */
function tileView(w) {
  if (w.status === "closed") return { kind: "closed", label: STATUS.closed };
  if (w.status === "paused") return { kind: "paused", label: STATUS.paused };
  if (!w.current) return { kind: "idle", label: STATUS.idle };
  return w.current.status === "serving" ? { kind: "serving", label: STATUS.serving } : { kind: "called", label: STATUS.called };
}

/** @param {Board} s */
function renderTiles(s) {
  for (const w of s.windows) {
    const t = tiles.get(w.number);
    if (!t) continue;
    const v = tileView(w);
    setAttr(t.el, "data-status", v.kind);
    setText(t.ticket, w.current && w.status !== "closed" ? w.current.number : "—");
    setText(t.status, v.label);
  }
}

/**
 * @param {Board} prev
 * @param {Board} s
 */
function renderBanner(prev, s) {
  const b = s.banner;
  const banner = $("banner");
  if (!b) { setAttr(banner, "data-state", "idle"); setText($("banner-label"), "欢迎光临"); return; }
  setAttr(banner, "data-state", "call");
  setText($("banner-label"), b.kind === "recall" ? "再次呼叫" : "正在呼叫");
  setText($("banner-number"), b.number);
  setText($("banner-window"), String(b.window));
  const same = prev.banner && prev.banner.number === b.number && prev.banner.window === b.window && prev.banner.at === b.at;
  const fresh = prev.seq !== null && !same; // not on the first snapshot: nothing new arrived
  if (fresh) {
    flash(banner);
    const t = tiles.get(b.window);
    if (t) flash(t.el);
  }
}

/** @param {Board} s */
function renderRecent(s) {
  const rows = s.recent.slice(0, 8);
  draw($("recent"), repeat(rows, (c) => `${c.number}@${c.window}@${c.at}`, (c) => html`<li><b>${c.number}</b><span>${c.window} 号窗口</span></li>`));
}

/** @param {Board} s */
function renderCats(s) {
  for (const c of s.categories) {
    const el = cats.get(c.code);
    if (!el) continue;
    setText(el.waiting, String(c.waiting));
    setText(el.eta, String(Math.round(c.eta_minutes || 0)));
    setAttr(el.el, "data-open", S.categoryOpen(s, c.code) ? "yes" : "no");
  }
}

/** @type {string | null} */
let noticeText = null;
/** @param {Board} s */
function renderNotice(s) {
  if (s.notice === noticeText) return;
  noticeText = s.notice;
  const el = $("notice");
  el.textContent = s.notice;
  // Scroll at a steady reading speed whatever the length of the notice.
  const track = /** @type {HTMLElement} */ (el.parentElement);
  const width = el.scrollWidth + /** @type {HTMLElement} */ (track.parentElement).clientWidth;
  track.style.animationDuration = `${Math.max(20, width / 110)}s`;
}

/** @param {Board} s */
function renderPickup(s) {
  const rows = (s.pickup || []).slice(-12).reverse();
  $("pickup-box").hidden = !rows.length;
  if (rows.length) setText($("pickup-window"), String(rows[0].window));
  draw($("pickup"), repeat(rows, (p) => p.id, (p) => html`<li data-case=${p.id}
    title=${S.pickupPhrase(p.number, p.window)}>${S.shortCaseNumber(p.number)}</li>`));
}

/**
 * @param {Board} prev
 * @param {Board} s
 */
function render(prev, s) {
  $("offline").hidden = s.connected;
  document.body.classList.toggle("disconnected", !s.connected);
  renderTiles(s);
  renderBanner(prev, s);
  renderRecent(s);
  renderCats(s);
  renderPickup(s);
  renderNotice(s);
}

/** @param {{ type?: string, [field: string]: any }} msg */
function dispatch(msg) {
  const prev = state;
  state = S.reduceBoard(state, msg);
  for (const call of S.callsToAnnounce(prev, msg)) {
    announcer.enqueue({
      ...call,
      text: S.callPhrase(call.number, call.window),
      spoken: S.spokenPhrase(call.number, call.window, state.announce.digits),
      repeat: state.announce.repeat,
    });
  }
  for (const p of S.pickupsToAnnounce(prev, msg)) {
    announcer.enqueue({
      ...p,
      text: S.pickupPhrase(p.number, p.window),
      spoken: S.spokenPickup(p.number, p.window),
      repeat: state.announce.repeat,
    });
  }
  if (state !== prev) render(prev, state);
  // A window opening, pausing or closing changes every estimate, and events carry none.
  if (typeof msg.type === "string" && msg.type.startsWith("window.")) refreshQueueSoon();
}

// ---- the socket, recorded so a test can see that a reconnect resumes with ?since=

class RecordedSocket extends WebSocket {
  /** @param {string | URL} url */
  constructor(url) {
    super(url);
    sockets.push({ url, opened: null, first: null });
    if (sockets.length > 20) sockets.shift();
  }
}
let awaitingFirst = false;

connectHall({
  WebSocketImpl: RecordedSocket,
  onMessage: (msg) => {
    if (awaitingFirst && sockets.length) { sockets[sockets.length - 1].first = msg.type; awaitingFirst = false; }
    dispatch(msg);
  },
  onStatus: (connected) => {
    if (connected) {
      awaitingFirst = true;
      if (sockets.length) sockets[sockets.length - 1].opened = Date.now();
      refreshConfig();
    }
    dispatch({ type: "connection", connected });
  },
});

// ---- estimates and settings, which events do not carry

async function refreshQueue() {
  try { dispatch({ ...(await api("/api/queue")), type: "queue" }); } catch (e) { /* next round */ }
}

/** @type {ReturnType<typeof setTimeout> | null} */
let queueSoon = null;
/** Ask for the estimates once a burst of window events (the hall opening at 8:30) has passed. */
function refreshQueueSoon() {
  if (queueSoon !== null) return;
  queueSoon = setTimeout(() => { queueSoon = null; refreshQueue(); }, 500);
}

async function refreshConfig() {
  try { dispatch({ ...(await api("/display/config.json")), type: "config" }); } catch (e) { /* next round */ }
}

setInterval(refreshQueue, 30000);
setInterval(refreshConfig, 300000);

// ---- the rotating hall pass: shown only when the board holds a display device token

/** @type {ReturnType<typeof setTimeout> | undefined} */
let passTimer;
/** @type {string | null} */
let passUrl = null;
let passExpires = 0;

/** @param {string} url */
function showPass(url) {
  const fig = $("pass");
  if (url === passUrl) { fig.hidden = false; return; }
  // Load the new code off-screen first so the old one never blinks out.
  const img = new Image();
  img.onload = () => { $("pass-qr", HTMLImageElement).src = img.src; fig.hidden = false; passUrl = url; };
  img.src = hallUrl(`/display/qr.svg?data=${encodeURIComponent(url)}`);
}

async function refreshPass() {
  clearTimeout(passTimer);
  let next = 60;
  try {
    const p = await api("/api/hall-pass", { token });
    if (p.mode === "off") {
      $("pass").hidden = true;
    } else {
      showPass(p.url);
      passExpires = Date.parse(p.expires_at) || 0;
    }
    next = Math.min(30, Math.max(5, (p.rotation_seconds || 60) / 3));
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      $("pass").hidden = true; // revoked or wrong token: show no code rather than a dead one
    } else {
      next = 5;
      if (passExpires && Date.now() > passExpires) $("pass").hidden = true;
    }
  }
  passTimer = setTimeout(refreshPass, next * 1000);
}

if (token) refreshPass();

// ---- date and time in the hall's timezone

const dateFmt = new Intl.DateTimeFormat("zh-CN", { timeZone: cfg.timezone, year: "numeric", month: "long", day: "numeric", weekday: "long" });
const timeFmt = new Intl.DateTimeFormat("zh-CN", { timeZone: cfg.timezone, hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
function tick() {
  const now = new Date();
  setText($("date"), dateFmt.format(now));
  setText($("time"), timeFmt.format(now));
}
tick();
setInterval(tick, 1000);
render(state, state);
