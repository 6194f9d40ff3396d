// /m/book: service → day → slot → name and phone → a big 6-digit code with a QR; manage or cancel.

import { api } from "/static/common/api.js";
import { setupLang } from "./i18n.js";
import { STEPS, bookTranslator, bookableDays, checkDetails, dayLabel, initial, reduce, slotLabel } from "./book_state.js";

const { lang } = setupLang();
const t = bookTranslator(lang);
const $ = (id) => document.getElementById(id);
const root = $("book");
const params = new URLSearchParams(location.search);
let state = initial();

for (const el of document.querySelectorAll("[data-bk]")) el.textContent = t(el.dataset.bk);
document.title = t("title");

function dispatch(msg) {
  state = reduce(state, msg);
  render();
}

function button(label, sub, onClick, disabled = false) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  if (sub) b.append(Object.assign(document.createElement("small"), { textContent: sub }));
  b.disabled = disabled;
  b.addEventListener("click", onClick);
  return b;
}

function render() {
  for (const step of STEPS) $("bk-step-" + step).hidden = state.step !== step;
  $("bk-steps").replaceChildren(...STEPS.map((s) => Object.assign(document.createElement("li"), {
    textContent: t("step_" + s), className: s === state.step ? "on" : "" })));
  $("bk-error").hidden = !state.error;
  $("bk-error").textContent = state.error;
  if (state.step === "service") {
    $("bk-services").replaceChildren(...state.services.map((s) => button(s.name, s.category, () => chooseService(s))));
  }
  if (state.service) $("bk-chosen-service").textContent = state.service.name;
  if (state.step === "day") {
    $("bk-days").replaceChildren(...(state.days.length ? state.days.map((d) => button(dayLabel(d.day, lang),
      d.available > 0 ? t("left", { n: d.available }) : t("full"), () => chooseDay(d.day), d.available <= 0))
      : [Object.assign(document.createElement("p"), { textContent: t("no_days") })]));
  }
  if (state.day) $("bk-chosen-day").textContent = `${state.service.name} · ${dayLabel(state.day, lang)}`;
  if (state.step === "slot") {
    $("bk-slots").replaceChildren(...state.slots.map((s) => button(slotLabel(s) + (s.extra ? t("extra") : ""),
      s.available > 0 ? t("left", { n: s.available }) : t("full"), () => dispatch({ type: "slot", slot: s }), s.available <= 0)));
  }
  if (state.slot) $("bk-chosen-slot").textContent = `${state.service.name} · ${dayLabel(state.day, lang)} ${slotLabel(state.slot)}`;
  if (state.step === "done") showAppointment(state.appointment);
}

function showAppointment(a) {
  $("bk-status").textContent = t("status_" + a.status);
  $("bk-code").textContent = a.code || "";
  $("bk-qr").hidden = a.status !== "booked";
  if (a.status === "booked") $("bk-qr").src = "/display/qr.svg?data=" + encodeURIComponent(a.code);
  $("bk-when").textContent = `${a.service_name} · ${dayLabel(a.start.slice(0, 10), lang)} ${slotLabel(a)}`;
  $("bk-how").hidden = a.status !== "booked";
  $("bk-keep").hidden = a.status !== "booked";
  $("bk-step-done").classList.toggle("bk-cancelled", a.status !== "booked");
  const manage = a.manage_url || `/m/book?id=${a.id}&token=${encodeURIComponent(params.get("token") || "")}`;
  $("bk-manage").href = manage;
  $("bk-manage").hidden = !a.manage_url;  // on the manage page itself the link is where we are
  $("bk-cancel").hidden = a.status !== "booked" || !!a.manage_url;
}

async function chooseService(service) {
  dispatch({ type: "service", service });
  const days = bookableDays(root.dataset.today, Number(root.dataset.days));
  try {
    const answers = await Promise.all(days.map((day) =>
      api(`/api/appointments/slots?service=${encodeURIComponent(service.code)}&date=${day}`).then((slots) => ({ day, slots }))));
    if (state.service !== service) return;  // the resident went back and chose another
    dispatch({ type: "days", days: answers.filter((a) => a.slots.length)
      .map((a) => ({ day: a.day, available: a.slots.reduce((n, s) => n + s.available, 0) })) });
  } catch (e) { dispatch({ type: "error", message: e.message }); }
}

async function chooseDay(day) {
  dispatch({ type: "day", day });
  try {
    const slots = await api(`/api/appointments/slots?service=${encodeURIComponent(state.service.code)}&date=${day}`);
    if (state.day === day) dispatch({ type: "slots", slots });
  } catch (e) { dispatch({ type: "error", message: e.message }); }
}

async function submit(ev) {
  ev.preventDefault();
  const name = $("bk-name").value.trim();
  const phone = $("bk-phone").value.trim();
  const problem = checkDetails(name, phone, lang);
  if (problem) { dispatch({ type: "error", message: problem }); return; }
  $("bk-submit").disabled = true;
  try {
    const a = await api("/api/appointments", { method: "POST", body: { service: state.service.code, start: state.slot.start, name, phone } });
    try { localStorage.setItem("hall.appointment.last", a.manage_url); } catch (e) { /* private mode */ }
    dispatch({ type: "booked", appointment: a });
    window.scrollTo(0, 0);
  } catch (e) {
    dispatch({ type: "error", message: e.message });
  } finally {
    $("bk-submit").disabled = false;
  }
}

async function cancel() {
  if (!window.confirm(t("confirm_cancel"))) return;
  try {
    const a = await api(`/api/appointments/${state.appointment.id}/cancel?token=${encodeURIComponent(params.get("token"))}`, { method: "POST" });
    dispatch({ type: "cancelled", appointment: { ...a, code: state.appointment.code } });
  } catch (e) { dispatch({ type: "error", message: e.message }); }
}

async function start() {
  if (params.get("id") && params.get("token")) {
    try {
      const a = await api(`/api/appointments/${encodeURIComponent(params.get("id"))}?token=${encodeURIComponent(params.get("token"))}`);
      dispatch({ type: "loaded", appointment: a });
    } catch (e) { dispatch({ type: "error", message: e.message }); }
    return;
  }
  if (root.dataset.enabled !== "yes") { dispatch({ type: "error", message: t("off") }); return; }
  try {
    const catalog = await api("/api/catalog");
    dispatch({ type: "catalog", services: catalog.categories.flatMap((c) =>
      c.services.map((s) => ({ code: s.code, name: s.name, category: `${c.code} · ${c.name}` }))) });
  } catch (e) { dispatch({ type: "error", message: e.message }); }
}

for (const b of document.querySelectorAll("[data-back]")) b.addEventListener("click", () => dispatch({ type: "back", to: b.dataset.back }));
$("bk-form").addEventListener("submit", submit);
$("bk-cancel").addEventListener("click", cancel);
render();
start();
