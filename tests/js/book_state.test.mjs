import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { BOOK_TEXT, bookableDays, checkDetails, dayLabel, initial, reduce, slotLabel } from "../../queue_server/web/static/mobile/book_state.js";

const template = readFileSync(new URL("../../queue_server/web/templates/mobile_book.html", import.meta.url), "utf8");

test("/m/book: service → day → slot → form → done, and back only to earlier steps", () => {
  let s = initial();
  s = reduce(s, { type: "service", service: { code: "invoice", name: "发票" } });
  assert.equal(s.step, "day");
  s = reduce(s, { type: "day", day: "2026-12-03" });
  s = reduce(s, { type: "slot", slot: { start: "2026-12-03T09:00:00+08:00", end: "2026-12-03T09:30:00+08:00" } });
  assert.equal(s.step, "form");
  assert.equal(reduce(s, { type: "back", to: "done" }).step, "form");
  assert.equal(reduce(s, { type: "back", to: "day" }).step, "day");
  s = reduce(s, { type: "booked", appointment: { code: "123456" } });
  assert.equal(s.step, "done");
  assert.equal(reduce(s, { type: "error", message: "x" }).error, "x");
});

test("/m/book: days from tomorrow, labels and checks", () => {
  assert.deepEqual(bookableDays("2026-12-30", 3), ["2026-12-31", "2027-01-01", "2027-01-02"]);
  assert.equal(dayLabel("2026-12-03"), "12月3日 周四");
  assert.equal(slotLabel({ start: "2026-12-03T09:00:00+08:00", end: "2026-12-03T09:30:00+08:00" }), "09:00–09:30");
  assert.match(checkDetails("", "13900000000"), /姓名/);
  assert.match(checkDetails("王", "1390000"), /11 位/);
  assert.equal(checkDetails("王", "13900000000"), "");
});

test("/m/book: both languages have the same keys, English has no Chinese but the kiosk button, the template's keys exist", () => {
  assert.deepEqual(Object.keys(BOOK_TEXT.en).sort(), Object.keys(BOOK_TEXT.zh).sort());
  for (const [k, v] of Object.entries(BOOK_TEXT.en)) {
    assert.doesNotMatch(v.replace("「我有预约」", ""), /[\u4e00-\u9fff]/, k);
  }
  for (const m of template.matchAll(/data-bk="(\w+)"/g)) assert.ok(m[1] in BOOK_TEXT.zh, m[1]);
});
