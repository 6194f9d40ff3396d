// /clerk: 预约签到 at the counter — the resident tells the 6-digit code; the clerk takes the ticket.

import { api } from "../common/api.js";

const $ = (id) => document.getElementById(id);

async function checkIn(ev) {
  ev.preventDefault();
  const code = $("appt-code").value.trim();
  const out = $("appt-result");
  out.classList.remove("error");
  if (!/^\d{6}$/.test(code)) {
    out.textContent = "预约码是 6 位数字";
    out.classList.add("error");
    return;
  }
  $("appt-submit").disabled = true;
  try {
    const found = await api(`/api/appointments/code/${code}`);
    const key = `appt-${code}-${Date.now()}`;
    const t = await api("/api/tickets", { method: "POST", headers: { "Idempotency-Key": key },
      body: { service: found.service, channel: "counter", appointment: code } });
    out.textContent = `已签到：${t.number}（${t.service_name} · 预约 ${t.appointment.start.slice(11, 16)} 时段），已进入等候队列`;
    $("appt-code").value = "";
  } catch (e) {
    out.textContent = e.message;
    out.classList.add("error");
  } finally {
    $("appt-submit").disabled = false;
  }
}

if ($("appt-form")) $("appt-form").addEventListener("submit", checkIn);
