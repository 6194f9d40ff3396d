// @ts-check
// /clerk: 预约签到 at the counter — the resident tells the 6-digit code; the clerk takes the ticket.

import { api } from "../common/api.js";
import { $ } from "../common/dom.js";

/** @typedef {import("../types/api").components["schemas"]} Schemas */

/** @param {SubmitEvent} ev */
async function checkIn(ev) {
  ev.preventDefault();
  const input = $("appt-code", HTMLInputElement);
  const submit = $("appt-submit", HTMLButtonElement);
  const code = input.value.trim();
  const out = $("appt-result");
  out.classList.remove("error");
  if (!/^\d{6}$/.test(code)) {
    out.textContent = "预约码是 6 位数字";
    out.classList.add("error");
    return;
  }
  submit.disabled = true;
  try {
    /** @type {Schemas["AppointmentPublic"]} */
    const found = await api(`/api/appointments/code/${code}`);
    const key = `appt-${code}-${Date.now()}`;
    /** @type {Schemas["TicketPublic"]} */
    const t = await api("/api/tickets", { method: "POST", headers: { "Idempotency-Key": key },
      body: { service: found.service, channel: "counter", appointment: code } });
    const start = String((t.appointment && t.appointment.start) || "");
    out.textContent = `已签到：${t.number}（${t.service_name} · 预约 ${start.slice(11, 16)} 时段），已进入等候队列`;
    input.value = "";
  } catch (e) {
    out.textContent = /** @type {Error} */ (e).message;
    out.classList.add("error");
  } finally {
    submit.disabled = false;
  }
}

const form = document.getElementById("appt-form");
if (form) form.addEventListener("submit", checkIn);
