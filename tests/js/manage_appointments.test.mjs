import { test } from "node:test";
import assert from "node:assert/strict";
import { nextDay, slotRows } from "../../queue_server/web/static/manage/appointments_state.js";

test("/manage 预约: bookings grouped by slot and service, cancelled counted apart", () => {
  const a = (start, status, service_name = "发票办理") => ({ start: `2026-12-03T${start}:00+08:00`, end: `2026-12-03T${start.slice(0, 3)}30:00+08:00`, status, service_name, service: service_name });
  const rows = slotRows([a("10:00", "booked"), a("09:00", "used"), a("09:00", "missed"), a("09:00", "cancelled"), a("09:00", "booked", "不动产登记")]);
  assert.deepEqual(rows.map((r) => [r.slot, r.service, r.booked, r.used, r.missed, r.cancelled]), [
    ["09:00–09:30", "不动产登记", 1, 0, 0, 0], ["09:00–09:30", "发票办理", 2, 1, 1, 1], ["10:00–10:30", "发票办理", 1, 0, 0, 0]]);
  assert.equal(nextDay("2026-12-31"), "2027-01-01");
});
