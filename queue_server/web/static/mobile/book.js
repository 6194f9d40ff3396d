// @ts-check
// /m/book: service → day → slot → name and phone → a big 6-digit code with a QR; manage or cancel.

import { api } from "../common/api.js";
import { $, draw, html, nothing, repeat } from "../common/dom.js";
import { hallUrl } from "../common/hall.js";
import { setupLang } from "./i18n.js";
import { STEPS, applyBookStatic, bookTranslator, bookableDays, checkDetails, dayLabel, initial, reduce, slotLabel } from "./book_state.js";

/** @typedef {import("../types/api").components["schemas"]} Schemas */
/** @typedef {import("./book_state.js").Service} Service */

const { lang } = setupLang();
const t = bookTranslator(lang);
const root = $("book");
const params = new URLSearchParams(location.search);
let state = initial();

applyBookStatic(document, lang, "bk");
document.title = t("title");

/** @param {{ type: string, [field: string]: any }} msg */
function dispatch(msg) {
  state = reduce(state, msg);
  render();
}

/**
 * One choice: a label, a line of figures, and what a tap does.
 * @param {string} label
 * @param {string} sub
 * @param {() => void} onClick
 * @param {boolean} [disabled]
 */
function button(label, sub, onClick, disabled = false) {
  return html`<button type="button" ?disabled=${disabled} @click=${onClick}>${label}${sub ? html`<small>${sub}</small>` : nothing}</button>`;
}

function render() {
  for (const step of STEPS) $("bk-step-" + step).hidden = state.step !== step;
  draw($("bk-steps"), STEPS.map((s) => html`<li class=${s === state.step ? "on" : ""}>${t("step_" + s)}</li>`));
  $("bk-error").hidden = !state.error;
  $("bk-error").textContent = state.error;
  const service = state.service;
  if (state.step === "service") {
    draw($("bk-services"), repeat(state.services, (s) => s.code, (s) => button(s.name, s.category, () => chooseService(s))));
  }
  if (service) $("bk-chosen-service").textContent = service.name;
  if (state.step === "day") {
    draw($("bk-days"), state.days.length ? repeat(state.days, (d) => d.day, (d) => button(dayLabel(d.day, lang),
      d.available > 0 ? t("left", { n: d.available }) : t("full"), () => chooseDay(d.day), d.available <= 0))
      : html`<p>${t("no_days")}</p>`);
  }
  if (service && state.day) $("bk-chosen-day").textContent = `${service.name} · ${dayLabel(state.day, lang)}`;
  if (state.step === "slot") {
    draw($("bk-slots"), repeat(state.slots, (s) => s.start, (s) => button(slotLabel(s) + (s.extra ? t("extra") : ""),
      s.available > 0 ? t("left", { n: s.available }) : t("full"), () => dispatch({ type: "slot", slot: s }), s.available <= 0)));
  }
  if (service && state.day && state.slot) {
    $("bk-chosen-slot").textContent = `${service.name} · ${dayLabel(state.day, lang)} ${slotLabel(state.slot)}`;
  }
  if (state.step === "done" && state.appointment) showAppointment(state.appointment);
}

/** @param {Schemas["AppointmentPublic"]} a */
function showAppointment(a) {
  $("bk-status").textContent = t("status_" + a.status);
  $("bk-code").textContent = a.code || "";
  const qr = $("bk-qr", HTMLImageElement);
  qr.hidden = a.status !== "booked";
  if (a.status === "booked") qr.src = hallUrl("/display/qr.svg?data=" + encodeURIComponent(a.code || ""));
  $("bk-when").textContent = `${a.service_name} · ${dayLabel(a.start.slice(0, 10), lang)} ${slotLabel(a)}`;
  $("bk-how").hidden = a.status !== "booked";
  $("bk-keep").hidden = a.status !== "booked";
  $("bk-step-done").classList.toggle("bk-cancelled", a.status !== "booked");
  const link = $("bk-manage", HTMLAnchorElement);
  link.href = a.manage_url || hallUrl(`/m/book?id=${a.id}&token=${encodeURIComponent(params.get("token") || "")}`);
  link.hidden = !a.manage_url; // on the manage page itself the link is where we are
  $("bk-cancel").hidden = a.status !== "booked" || !!a.manage_url;
}

/** @param {Service} service */
async function chooseService(service) {
  dispatch({ type: "service", service });
  const days = bookableDays(root.dataset.today || "", Number(root.dataset.days));
  try {
    /** @type {{ day: string, slots: Schemas["SlotPublic"][] }[]} */
    const answers = await Promise.all(days.map((day) =>
      api(`/api/appointments/slots?service=${encodeURIComponent(service.code)}&date=${day}`).then((slots) => ({ day, slots }))));
    if (state.service !== service) return; // the resident went back and chose another
    dispatch({ type: "days", days: answers.filter((a) => a.slots.length)
      .map((a) => ({ day: a.day, available: a.slots.reduce((n, s) => n + s.available, 0) })) });
  } catch (e) { dispatch({ type: "error", message: /** @type {Error} */ (e).message }); }
}

/** @param {string} day */
async function chooseDay(day) {
  if (!state.service) return;
  dispatch({ type: "day", day });
  try {
    const slots = await api(`/api/appointments/slots?service=${encodeURIComponent(state.service.code)}&date=${day}`);
    if (state.day === day) dispatch({ type: "slots", slots });
  } catch (e) { dispatch({ type: "error", message: /** @type {Error} */ (e).message }); }
}

/** @param {SubmitEvent} ev */
async function submit(ev) {
  ev.preventDefault();
  const name = $("bk-name", HTMLInputElement).value.trim();
  const phone = $("bk-phone", HTMLInputElement).value.trim();
  const problem = checkDetails(name, phone, lang);
  if (problem) { dispatch({ type: "error", message: problem }); return; }
  if (!state.service || !state.slot) return;
  const send = $("bk-submit", HTMLButtonElement);
  send.disabled = true;
  try {
    /** @type {Schemas["AppointmentPublic"]} */
    const a = await api("/api/appointments", { method: "POST", body: { service: state.service.code, start: state.slot.start, name, phone } });
    try { localStorage.setItem("hall.appointment.last", a.manage_url || ""); } catch (e) { /* private mode */ }
    dispatch({ type: "booked", appointment: a });
    window.scrollTo(0, 0);
  } catch (e) {
    dispatch({ type: "error", message: /** @type {Error} */ (e).message });
  } finally {
    send.disabled = false;
  }
}

async function cancel() {
  const booked = state.appointment;
  if (!booked || !window.confirm(t("confirm_cancel"))) return;
  try {
    const a = await api(`/api/appointments/${booked.id}/cancel?token=${encodeURIComponent(params.get("token") || "")}`, { method: "POST" });
    dispatch({ type: "cancelled", appointment: { ...a, code: booked.code } });
  } catch (e) { dispatch({ type: "error", message: /** @type {Error} */ (e).message }); }
}

async function start() {
  const id = params.get("id");
  const token = params.get("token");
  if (id && token) {
    try {
      const a = await api(`/api/appointments/${encodeURIComponent(id)}?token=${encodeURIComponent(token)}`);
      dispatch({ type: "loaded", appointment: a });
    } catch (e) { dispatch({ type: "error", message: /** @type {Error} */ (e).message }); }
    return;
  }
  if (root.dataset.enabled !== "yes") { dispatch({ type: "error", message: t("off") }); return; }
  try {
    /** @type {Schemas["Catalog"]} */
    const catalog = await api("/api/catalog");
    dispatch({ type: "catalog", services: catalog.categories.flatMap((c) =>
      c.services.map((s) => ({ code: s.code, name: s.name, category: `${c.code} · ${c.name}` }))) });
  } catch (e) { dispatch({ type: "error", message: /** @type {Error} */ (e).message }); }
}

for (const b of document.querySelectorAll("[data-back]")) {
  const to = /** @type {HTMLElement} */ (b).dataset.back;
  b.addEventListener("click", () => dispatch({ type: "back", to }));
}
$("bk-form").addEventListener("submit", submit);
$("bk-cancel").addEventListener("click", cancel);
render();
start();
