// @ts-check
// The screen above one window: its name, its current number in enormous type, its status.

import { $ } from "../common/dom.js";
import { connectHall } from "../common/hallsocket.js";
import { initialWindow, reduceWindow } from "./state.js";

/** @typedef {ReturnType<typeof initialWindow>} Screen */

const cfg = JSON.parse($("window-config").textContent || "{}");
if (new URLSearchParams(location.search).get("lang") === "en") document.body.classList.add("show-en");

let state = initialWindow(cfg.window);
window.__window = { get state() { return state; } };

/**
 * @param {Node} el
 * @param {string} text
 */
function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/** @param {Screen} s */
function view(s) {
  if (s.status === "closed") return { kind: "closed", label: "未开放", status: "暂停服务 · 请到其他窗口办理" };
  if (s.status === "paused") return { kind: "paused", label: s.current ? "当前号码" : "暂停", status: "暂停 · 请稍候" };
  if (!s.current) return { kind: "idle", label: "当前号码", status: "空闲 · 请等候叫号" };
  if (s.current.status === "serving") return { kind: "serving", label: "正在办理", status: "办理中" };
  return { kind: "called", label: "请到本窗口办理", status: "呼叫中" };
}

/**
 * @param {Screen} prev
 * @param {Screen} s
 */
function render(prev, s) {
  $("offline").hidden = s.connected;
  const v = view(s);
  if (document.body.dataset.status !== v.kind) document.body.dataset.status = v.kind;
  setText($("ws-label"), v.label);
  const shown = s.current && s.status !== "closed" ? s.current : null;
  setText($("ws-ticket"), shown ? shown.number : "—");
  $("ws-ticket").classList.toggle("empty", !shown);
  setText($("ws-status"), v.status);
  const name = $("ws-name").firstChild;
  if (name) setText(name, s.name);
  if (s.flash !== prev.flash) {
    const main = $("ws-main");
    main.classList.remove("flash");
    void main.offsetWidth; // restart the CSS animation
    main.classList.add("flash");
  }
}

/** @param {{ type?: string, [field: string]: any }} msg */
function dispatch(msg) {
  const prev = state;
  state = reduceWindow(state, msg);
  if (state !== prev) render(prev, state);
}

connectHall({ onMessage: dispatch, onStatus: (connected) => dispatch({ type: "connection", connected }) });
render(state, state);
