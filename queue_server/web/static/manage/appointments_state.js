// @ts-check
// /manage 预约: group a day's bookings by slot and service (pure, tested with node).

/** @typedef {import("../types/api").components["schemas"]["AppointmentPublic"]} Appointment */
/** @typedef {{ start: string, slot: string, service: string, booked: number, used: number, missed: number, cancelled: number }} SlotRow */

/**
 * Return rows {slot, service, booked, used, missed, cancelled} sorted by slot, then service.
 * @param {Pick<Appointment, "start" | "end" | "service" | "service_name" | "status">[]} appointments
 * @returns {SlotRow[]}
 */
export function slotRows(appointments) {
  /** @type {Map<string, SlotRow>} */
  const rows = new Map();
  for (const a of appointments) {
    const slot = `${a.start.slice(11, 16)}–${a.end.slice(11, 16)}`;
    const key = `${a.start}|${a.service}`;
    if (!rows.has(key)) rows.set(key, { start: a.start, slot, service: a.service_name, booked: 0, used: 0, missed: 0, cancelled: 0 });
    const row = /** @type {SlotRow} */ (rows.get(key));
    if (a.status === "cancelled") row.cancelled += 1;
    else {
      row.booked += 1;
      if (a.status === "used") row.used += 1;
      if (a.status === "missed") row.missed += 1;
    }
  }
  return [...rows.values()].sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : x.service.localeCompare(y.service)));
}

/**
 * Return the day after a YYYY-MM-DD day.
 * @param {string} day
 */
export function nextDay(day) {
  return new Date(Date.parse(day + "T00:00:00Z") + 86400000).toISOString().slice(0, 10);
}
