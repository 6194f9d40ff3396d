import { test } from "node:test";
import assert from "node:assert/strict";
import {
  initialState, reduce, view, phoneOk, remember, tokenFor, activeEntry, etaMinutes, takeBody,
} from "../../queue_server/web/static/mobile/state.js";
import { pickLang, translator } from "../../queue_server/web/static/mobile/i18n.js";

const waiting = { id: 7, number: "D003", status: "waiting", ahead: 2, eta_minutes: 9.6, windows: [9, 10], call_count: 0 };
const called = (n, w = 9) => ({ ...waiting, status: "called", ahead: 0, window: w, call_count: n });

test("a waiting ticket shows its figures and a cancel button, and no alert", () => {
  const s = reduce(initialState(), { type: "ticket", ticket: waiting });
  const v = view(s);
  assert.equal(v.phase, "waiting");
  assert.equal(v.showFigures, true);
  assert.equal(v.canCancel, true);
  assert.equal(v.alert, null);
});

test("being called raises a full alert naming the window", () => {
  let s = reduce(initialState(), { type: "ticket", ticket: waiting });
  s = reduce(s, { type: "ticket", ticket: called(1, 12) });
  assert.deepEqual(view(s).alert, { number: "D003", window: 12, callCount: 1 });
  assert.equal(view(s).canCancel, false);
});

test("dismissing silences the alert until a recall raises it again", () => {
  let s = reduce(initialState(), { type: "ticket", ticket: called(1) });
  s = reduce(s, { type: "dismiss" });
  assert.equal(s.alert, null);
  assert.equal(s.seenCalls, 1);
  s = reduce(s, { type: "ticket", ticket: called(1) }); // an estimate update, not a new call
  assert.equal(s.alert, null);
  s = reduce(s, { type: "ticket", ticket: called(2) });
  assert.equal(s.alert.callCount, 2);
});

test("a reopened tab does not alert again for a call already acknowledged", () => {
  const s = reduce(initialState({ seenCalls: 1 }), { type: "ticket", ticket: called(1) });
  assert.equal(s.alert, null);
  const fresh = reduce(initialState({ seenCalls: 0 }), { type: "ticket", ticket: called(1) });
  assert.ok(fresh.alert);
});

test("starting service clears the alert; done asks for an evaluation once", () => {
  let s = reduce(initialState(), { type: "ticket", ticket: called(1) });
  s = reduce(s, { type: "ticket", ticket: { ...called(1), status: "serving" } });
  assert.equal(s.alert, null);
  s = reduce(s, { type: "ticket", ticket: { ...called(1), status: "done" } });
  assert.equal(view(s).canEvaluate, true);
  s = reduce(s, { type: "evaluated", grade: 5 });
  assert.equal(view(s).canEvaluate, false);
  assert.equal(view(s).thanks, true);
  assert.equal(s.grade, 5);
});

test("cancel asks for confirmation only while waiting", () => {
  let s = reduce(initialState(), { type: "ticket", ticket: waiting });
  s = reduce(s, { type: "cancel-ask" });
  assert.equal(view(s).confirmCancel, true);
  s = reduce(s, { type: "ticket", ticket: { ...waiting, status: "cancelled" } });
  assert.equal(view(s).confirmCancel, false);
  assert.equal(view(s).canCancel, false);
  assert.equal(reduce(s, { type: "cancel-ask" }).cancelling, false);
});

test("another ticket's message and unknown messages change nothing", () => {
  const s = reduce(initialState(), { type: "ticket", ticket: waiting });
  assert.equal(reduce(s, { type: "ticket", ticket: { ...waiting, id: 8, status: "called" } }), s);
  assert.equal(reduce(s, { type: "something.new" }), s);
});

test("an active ticket without a connection is shown as offline", () => {
  let s = reduce(initialState(), { type: "ticket", ticket: waiting });
  assert.equal(view(s).offline, true);
  s = reduce(s, { type: "connection", connected: true });
  assert.equal(view(s).offline, false);
});

test("phone numbers are optional but must look like a mainland mobile number", () => {
  assert.equal(phoneOk(""), true);
  assert.equal(phoneOk("13800001234"), true);
  assert.equal(phoneOk("1380000123"), false);
  assert.equal(phoneOk("23800001234"), false);
});

test("短信提醒 on /m: texts only when ticked, and then a valid phone is needed", () => {
  assert.deepEqual(takeBody({ service: "pension-insurance", pass: "P", phone: "", sms: false }),
    { ok: true, body: { service: "pension-insurance", channel: "mobile", pass: "P" } });
  assert.deepEqual(takeBody({ service: "pension-insurance", phone: "13800001234", sms: false }),
    { ok: true, body: { service: "pension-insurance", channel: "mobile", phone: "13800001234" } });
  assert.deepEqual(takeBody({ service: "pension-insurance", phone: " 138-0000-1234 ", sms: true }),
    { ok: true, body: { service: "pension-insurance", channel: "mobile", phone: "13800001234", sms: true } });
  assert.deepEqual(takeBody({ service: "s", phone: "", sms: true }), { ok: false, error: "sms_phone_needed" });
  assert.deepEqual(takeBody({ service: "s", phone: "1380000123", sms: true }), { ok: false, error: "sms_phone_needed" });
  assert.deepEqual(takeBody({ service: "s", phone: "23800001234", sms: false }), { ok: false, error: "phone_bad" });
  const zh = translator("zh");
  assert.equal(zh("sms_optin"), "短信提醒（叫号前发短信）");
  assert.match(zh("sms_phone_needed"), /手机号/);
  assert.match(translator("en")("sms_phone_needed"), /^For a text reminder/);
});

test("remembered tickets restore a token and offer today's active ticket", () => {
  let list = remember([], { id: 1, token: "a", status: "done", day: "2024-06-13" });
  list = remember(list, { id: 2, token: "b", status: "waiting", day: "2024-06-13" });
  list = remember(list, { id: 1, token: "a", status: "done", day: "2024-06-13" });
  assert.equal(list.length, 2);
  assert.equal(tokenFor(list, "2"), "b");
  assert.equal(tokenFor(list, 3), null);
  assert.equal(activeEntry(list, "2024-06-13").id, 2);
  assert.equal(activeEntry(list, "2024-06-14"), null);
});

test("estimates are whole minutes and never negative", () => {
  assert.equal(etaMinutes(9.6), 10);
  assert.equal(etaMinutes(-3), 0);
  assert.equal(etaMinutes(undefined), 0);
});

test("Chinese is the default language and English is available", () => {
  assert.equal(pickLang("", null), "zh");
  assert.equal(pickLang("?pass=x&lang=en", null), "en");
  assert.equal(pickLang("", "en"), "en");
  assert.equal(translator("zh")("alert_window", { w: 3 }), "请到 3 号窗口 办理");
  assert.equal(translator("en")("alert_window", { w: 3 }), "Please go to window 3");
});

test("window lists are compact: runs become ranges", async () => {
  const { windowList, etaText } = await import("../../queue_server/web/static/mobile/state.js");
  assert.equal(windowList([3, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]), "1–18");
  assert.equal(windowList([9, 10]), "9、10");
  assert.equal(windowList([1, 2, 3, 7, 9, 10, 11]), "1–3、7、9–11");
  assert.deepEqual(etaText(0, 2), ["eta_soon", {}]);
  assert.deepEqual(etaText(0, 0), ["eta_none", {}]);
  assert.deepEqual(etaText(7.4, 3), ["eta_n", { n: 7 }]);
});

test("before a window that serves it opens, the estimate never says there is no wait", async () => {
  const { etaText, servesNow } = await import("../../queue_server/web/static/mobile/state.js");
  assert.deepEqual(etaText(0, 0, true), ["eta_closed", {}]);
  assert.deepEqual(etaText(0, 2, true), ["eta_closed", {}]);
  assert.deepEqual(etaText(12.2, 3, true), ["eta_n_open", { n: 12 }]);
  assert.equal(translator("zh")("eta_n_open", { n: 12 }), "开始办理后约 12 分钟");
  const hall = [{ number: 9, status: "closed" }, { number: 10, status: "paused" }, { number: 11, status: "open" }];
  assert.equal(servesNow(hall, [9]), false);
  assert.equal(servesNow(hall, [9, 10]), true);
  assert.equal(servesNow(hall, ["11"]), true);
  assert.equal(servesNow(hall, []), false);
  assert.equal(servesNow([], [9]), null);
  assert.equal(servesNow(undefined, [9]), null);
});

test("only a ticket message that moves the ticket asks about the windows again", async () => {
  const { ticketMoved } = await import("../../queue_server/web/static/mobile/state.js");
  const first = { id: 1, status: "waiting", ahead: 0, eta_minutes: 0, number: "G001" };
  assert.equal(ticketMoved(undefined, first), true);
  assert.equal(ticketMoved(first, { ...first }), false);
  assert.equal(ticketMoved(first, { ...first, service_name: "x" }), false);
  assert.equal(ticketMoved({ ...first, ahead: 2, eta_minutes: 14 }, { ...first, ahead: 2, eta_minutes: 7 }), true);
  assert.equal(ticketMoved(first, { ...first, ahead: 1 }), true);
  assert.equal(ticketMoved(first, { ...first, status: "called" }), true);
  assert.equal(ticketMoved(first, undefined), false);
});

test("a waiting ticket says the windows are not open only once the hall said so", () => {
  let s = reduce(initialState(), { type: "ticket", ticket: waiting });
  assert.equal(view(s).notOpen, false);
  s = reduce(s, { type: "windows", open: false });
  assert.equal(view(s).notOpen, true);
  s = reduce(s, { type: "windows", open: null });
  assert.equal(view(s).notOpen, false);
  s = reduce(s, { type: "windows", open: false });
  s = reduce(s, { type: "ticket", ticket: called(1) });
  assert.equal(view(s).notOpen, false);
  s = reduce(s, { type: "windows", open: true });
  assert.equal(view(s).notOpen, false);
});
