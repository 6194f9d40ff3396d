import { test } from "node:test";
import assert from "node:assert/strict";
import * as S from "../../queue_server/web/static/clerk/state.js";

const me = { username: "li", display_name: "李娜", role: "clerk" };
const ticket = (id, number, status = "called", extra = {}) => ({
  id, number, status, service: "invoice", category: "G", issued_at: "2024-06-01T09:00:00+08:00", ...extra,
});
const win = (number, extra = {}) => ({
  number, name: "综合受理窗口", status: "open", clerk: { username: "li", display_name: "李娜" },
  current: null, services: ["invoice"], ...extra,
});

function ready(extra = {}) {
  let s = S.reduce(S.initialState(), { type: "me", me });
  s = S.reduce(s, { type: "windows", windows: [win(1, extra), win(2, { clerk: { username: "wang", display_name: "王强" } })] });
  return s;
}

test("the console selects the window the clerk already holds", () => {
  const s = ready();
  assert.equal(s.windowNo, 1);
  assert.equal(S.holdsWindow(s), true);
});

test("leaving for the window list does not bounce back to the held window", () => {
  let s = S.reduce(ready(), { type: "leave" });
  s = S.reduce(s, { type: "windows", windows: s.windows });
  assert.equal(s.windowNo, null);
});

test("an idle open window can call but not finish; a called ticket can be finished but not called over", () => {
  const idle = S.controls(ready());
  assert.equal(idle["call-next"], true);
  assert.equal(idle.call, true);
  assert.equal(idle.finish, false);
  assert.equal(idle["no-show"], false);
  const called = S.controls(ready({ current: ticket(7, "G007") }));
  assert.deepEqual(
    [called["call-next"], called.recall, called.start, called.finish, called["no-show"], called.transfer, called.close],
    [false, true, true, true, true, true, false]);
  const serving = S.controls(ready({ current: ticket(7, "G007", "serving") }));
  assert.equal(serving["no-show"], false, "a resident being served cannot be a no-show");
  assert.equal(serving.start, false);
  assert.equal(serving.finish, true);
});

test("a paused window cannot call but can still finish the resident at the counter", () => {
  const c = S.controls(ready({ status: "paused", current: ticket(7, "G007", "serving") }));
  assert.equal(c["call-next"], false);
  assert.equal(c.resume, true);
  assert.equal(c.pause, false);
  assert.equal(c.finish, true);
});

test("nothing can be pressed while a request is in flight (no double calls)", () => {
  const s = S.reduce(ready(), { type: "pending", action: "call-next" });
  assert.ok(Object.values(S.controls(s)).every((v) => v === false));
});

test("another clerk's window gives no controls", () => {
  let s = ready();
  s = S.reduce(s, { type: "select", window: 2 });
  assert.equal(S.holdsWindow(s), false);
  assert.ok(Object.values(S.controls(s)).every((v) => v === false));
});

test("call-next puts the ticket on the card, drops it from the queue and adds it to the last-called list", () => {
  let s = S.reduce(ready(), { type: "queue", window: 1, queue: [ticket(7, "G007", "waiting"), ticket(8, "G008", "waiting")] });
  s = S.reduce(s, { type: "pending", action: "call-next" });
  s = S.reduce(s, { type: "done", action: "call-next", result: { ticket: ticket(7, "G007", "called", { called_at: "t1" }) } });
  assert.equal(S.myWindow(s).current.number, "G007");
  assert.deepEqual(s.queue.map((t) => t.number), ["G008"]);
  assert.equal(s.lastCalled[0].number, "G007");
  assert.equal(s.pending, null);
  assert.match(s.notice, /G007/);
});

test("call-next with nobody waiting says so", () => {
  const s = S.reduce(ready(), { type: "done", action: "call-next", result: null });
  assert.equal(S.myWindow(s).current, null);
  assert.equal(s.notice, "当前没有可叫的号码");
});

test("finish, no-show and transfer clear the card; transfer closes its dialog", () => {
  for (const action of ["finish", "no-show", "transfer"]) {
    let s = ready({ current: ticket(7, "G007") });
    s = S.reduce(s, { type: "dialog", dialog: "transfer" });
    s = S.reduce(s, { type: "done", action, result: { ticket: ticket(7, "G007", "done") } });
    assert.equal(S.myWindow(s).current, null, action);
    if (action === "transfer") assert.equal(s.dialog, null);
  }
  let s = S.reduce(ready({ current: ticket(7, "G007") }), { type: "outcome", outcome: "incomplete" });
  s = S.reduce(s, { type: "done", action: "finish", result: { ticket: ticket(7, "G007", "done") } });
  assert.equal(s.outcome, "done", "the outcome goes back to 办结 for the next resident");
});

test("登记短信提醒 is for the ticket this console last issued or transferred, until it is called here", () => {
  let s = ready({ current: ticket(7, "G007") });
  assert.equal(S.smsTarget(s), null, "nothing handed off yet: the called ticket cannot take a phone");
  s = S.reduce(s, { type: "done", action: "walk-in", result: ticket(9, "G009", "waiting") });
  assert.deepEqual(S.smsTarget(s), { id: 9, number: "G009", via: "walk-in" });
  s = S.reduce(s, { type: "done", action: "transfer", result: { ticket: ticket(7, "G007", "waiting") } });
  assert.deepEqual(S.smsTarget(s), { id: 7, number: "G007", via: "transfer" });
  s = S.reduce(s, { type: "done", action: "call", result: { ticket: ticket(7, "G007", "called") } });
  assert.equal(S.smsTarget(s), null, "called again at this window: too late for texts");
  assert.equal(S.smsPhone(" 138-0013 8000 "), "13800138000");
  for (const bad of ["", "1380013800", "23800138000", "138001380009"]) assert.equal(S.smsPhone(bad), null, bad);
});

test("refusals are explained in Chinese, keeping the server's specific message", () => {
  const s = S.reduce(ready(), { type: "failed", action: "call", code: "ticket_not_waiting", message: "G007 号已被其他窗口叫走" });
  assert.equal(s.error.title, S.ERROR_HINTS.ticket_not_waiting);
  assert.equal(s.error.detail, "G007 号已被其他窗口叫走");
  for (const code of ["window_busy", "window_closed", "no_current_ticket", "invalid_state", "ticket_not_waiting", "forbidden", "conflict"]) {
    assert.match(S.explainError(code, "").title, /[\u4e00-\u9fff]/, code);
  }
  assert.equal(S.explainError("mystery", "").title, "操作失败");
});

test("no-show needs arming first; any result disarms", () => {
  let s = S.reduce(ready({ current: ticket(7, "G007") }), { type: "arm", action: "no-show" });
  assert.equal(s.armed, "no-show");
  s = S.reduce(s, { type: "failed", action: "no-show", code: "invalid_state", message: "" });
  assert.equal(s.armed, null);
});

test("hall events: snapshot and calls at this window feed the last-called list; refresh on ticket and window events", () => {
  let s = ready();
  s = S.reduce(s, { type: "hall", msg: { type: "snapshot", recent_calls: [{ number: "A003", window: 1, at: "a" }, { number: "B001", window: 5, at: "b" }] } });
  assert.deepEqual(s.lastCalled.map((e) => e.number), ["A003"]);
  s = S.reduce(s, { type: "hall", msg: { type: "ticket.recalled", seq: 9, at: "c", window: 1, ticket: { number: "A004" } } });
  s = S.reduce(s, { type: "hall", msg: { type: "ticket.called", seq: 10, at: "d", window: 2, ticket: { number: "A005" } } });
  assert.deepEqual(s.lastCalled.map((e) => e.number), ["A004", "A003"]);
  assert.equal(S.needsRefresh({ type: "ticket.issued" }), true);
  assert.equal(S.needsRefresh({ type: "window.paused" }), true);
  assert.equal(S.needsRefresh({ type: "ticket.evaluated" }), false);
  assert.equal(S.needsRefresh({ type: "device.status" }), false);
});

test("a queue for another window is ignored", () => {
  const s = S.reduce(ready(), { type: "queue", window: 2, queue: [ticket(1, "A001", "waiting")] });
  assert.deepEqual(s.queue, []);
});

test("keypad keys map to commands, but not while typing in a field or with a dialog open", () => {
  assert.deepEqual(S.keyCommand("+"), { action: "call-next" });
  assert.deepEqual(S.keyCommand("F1"), { action: "call-next" });
  assert.deepEqual(S.keyCommand("*"), { action: "recall" });
  assert.deepEqual(S.keyCommand("/"), { action: "start" });
  assert.deepEqual(S.keyCommand("Enter"), { action: "finish" });
  assert.deepEqual(S.keyCommand("-"), { action: "no-show" });
  assert.deepEqual(S.keyCommand("."), { action: "transfer" });
  assert.deepEqual(S.keyCommand("0"), { action: "pause-toggle" });
  assert.deepEqual(S.keyCommand("3"), { action: "outcome", outcome: "proxy" });
  assert.equal(S.keyCommand("+", { inField: true }), null);
  assert.equal(S.keyCommand("Enter", { dialog: "transfer" }), null);
  assert.deepEqual(S.keyCommand("Escape", { dialog: "transfer" }), { action: "cancel" });
  assert.equal(S.keyCommand("x"), null);
});

test("outcome selection accepts only the four outcomes", () => {
  let s = S.reduce(ready(), { type: "outcome", outcome: "incomplete" });
  assert.equal(s.outcome, "incomplete");
  s = S.reduce(s, { type: "outcome", outcome: "bogus" });
  assert.equal(s.outcome, "incomplete");
});

test("durations, waits, materials and counts", () => {
  assert.equal(S.formatDuration(5), "5 秒");
  assert.equal(S.formatDuration(754), "12 分 34 秒");
  assert.equal(S.formatDuration(3720), "1 小时 02 分");
  const t = { issued_at: "2024-06-01T09:00:00+08:00", first_called_at: "2024-06-01T09:12:30+08:00" };
  assert.equal(S.waitedSeconds(t, 0), 750);
  assert.equal(S.waitedSeconds({ issued_at: "2024-06-01T09:00:00+08:00" }, Date.parse("2024-06-01T09:01:00+08:00")), 60);
  const catalog = { categories: [{ code: "G", name: "税务", services: [{ code: "invoice", name: "发票", matters: [{ name: "代开发票", mode: "onsite", materials: ["身份证", "合同"] }] }] }] };
  assert.deepEqual(S.materialsFor(catalog, "invoice"), [{ matter: "代开发票", mode: "onsite", materials: ["身份证", "合同"] }]);
  assert.deepEqual(S.materialsFor(catalog, "nope"), []);
  assert.deepEqual(S.serviceOptions(catalog), [{ code: "invoice", name: "发票", category: "G", categoryName: "税务" }]);
  const c = S.queueCounts([{ category: "G", priority: "elderly" }, { category: "G" }, { category: "A", designated_window: 3 }]);
  assert.deepEqual(c, { total: 3, priority: 1, transferred: 1, byCategory: { G: 2, A: 1 } });
});

test("logging out forgets the window and the user", () => {
  const s = S.reduce(ready(), { type: "logged-out" });
  assert.equal(s.me, null);
  assert.equal(s.windowNo, null);
});
