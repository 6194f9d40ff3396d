// @ts-check
// The calls-for-a-guide panel of /clerk and /manage: wires help_state.js to the page, the help API
// and the hall stream the page already follows. A new call chimes and shows at once, on top.
import { api } from "./api.js";
import { chime, unlockOnGesture } from "./chime.js";
import { draw, html, nothing, repeat } from "./dom.js";
import { describe, helpChanged, helpText, initialHelp, reduceHelp, toChime } from "./help_state.js";

/** @typedef {import("./help_state.js").HelpCall} HelpCall */

// A call nobody has answered chimes again this often, so a busy hall does not forget it.
const REMIND_MS = 60000;

/**
 * Create the panel in a container; the page starts it once someone is logged in.
 * @param {HTMLElement} root the panel's container (hidden while no call is open)
 * @param {() => string} lang the page's current language
 */
export function helpPanel(root, lang) {
  let state = initialHelp();
  let running = false;
  let loadSeq = 0;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let reminder;

  /** @param {{ type: string, [field: string]: any }} msg */
  function dispatch(msg) {
    state = reduceHelp(state, msg);
    const fresh = toChime(state);
    if (running && fresh.length) {
      chime("help");
      state = reduceHelp(state, { type: "chimed", ids: fresh });
    }
    render();
  }

  async function load() {
    if (!running) return;
    const mine = ++loadSeq;
    try {
      /** @type {HelpCall[]} */
      const calls = await api("/api/help?status=open");
      if (mine === loadSeq && running) dispatch({ type: "list", calls });
    } catch (e) { /* the next hall event or the reconnect asks again */ }
  }

  /**
   * @param {number} id
   * @param {"ack" | "resolve"} action
   */
  async function answer(id, action) {
    if (state.busy !== null) return;
    dispatch({ type: "busy", id });
    try {
      /** @type {HelpCall} */
      const call = await api(`/api/help/${id}/${action}`, { method: "POST" });
      dispatch({ type: "done", call });
    } catch (e) {
      dispatch({ type: "failed", message: /** @type {Error} */ (e).message });
      load();
    }
  }

  function render() {
    const t = helpText(lang());
    root.hidden = !running || !state.calls.length;
    if (root.hidden) { draw(root, nothing); return; }
    const now = Date.now();
    /** @param {HelpCall} c */
    const row = (c) => {
      const words = describe(c, now, lang());
      const busy = state.busy !== null;
      return html`<div class="help-call ${c.status}" data-help-id=${c.id} data-status=${c.status}>
        <div class="help-words"><strong>${words.headline}</strong><span>${words.detail}</span></div>
        <div class="help-buttons">${c.status === "requested"
          ? html`<button type="button" class="help-ack" data-help-action="ack" ?disabled=${busy}>${t("ack")}</button>`
          : nothing}<button type="button" class="help-resolve" data-help-action="resolve" ?disabled=${busy}>${t("resolve")}</button></div></div>`;
    };
    draw(root, html`<h2 class="help-title">${t("title")} <span class="help-count">${state.calls.length}</span></h2>
      ${repeat(state.calls, (c) => c.id, row)}
      ${state.error ? html`<p class="help-error" role="alert">${t("failed", { msg: state.error })}</p>` : nothing}`);
  }

  root.addEventListener("click", (ev) => {
    const el = /** @type {Element | null} */ (ev.target);
    const button = /** @type {HTMLButtonElement | null} */ (el && el.closest("[data-help-action]"));
    const card = /** @type {HTMLElement | null} */ (button && button.closest("[data-help-id]"));
    if (!button || !card || button.disabled) return;
    answer(Number(card.dataset.helpId), button.dataset.helpAction === "ack" ? "ack" : "resolve");
  });
  unlockOnGesture();

  return {
    /** Show the hall's open calls and follow them (someone is logged in). */
    start() {
      if (running) return;
      running = true;
      reminder = setInterval(() => {
        if (state.calls.some((c) => c.status === "requested")) chime("help-reminder");
      }, REMIND_MS);
      load();
    },
    /** Stop and forget the calls (logged out). */
    stop() {
      running = false;
      clearInterval(reminder);
      state = initialHelp();
      render();
    },
    /** Hear a hall message: a help event (or a fresh snapshot) reloads the list. @param {{ type?: string }} m */
    onHall(m) {
      if (running && helpChanged(m)) load();
    },
    /** Load the list again (the socket came back). */
    reload: load,
    render,
  };
}
