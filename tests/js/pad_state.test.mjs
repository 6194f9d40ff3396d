import { test } from "node:test";
import assert from "node:assert/strict";
import * as S from "../../queue_server/web/static/pad/state.js";

const finished = (window, number = "A007") => ({ type: "hall", msg: { type: "ticket.finished", seq: 5, window, ticket: { id: 7, number, window } } });

test("five grades from 非常满意 (5) to 非常不满意 (1)", () => {
  assert.deepEqual(S.GRADES.map(([g]) => g), [5, 4, 3, 2, 1]);
  assert.equal(S.GRADES[0][1], "非常满意");
  assert.equal(S.GRADES[4][1], "非常不满意");
  assert.deepEqual(S.REASONS, ["态度", "效率", "流程", "其他"]);
});

test("a finish at this window prompts; a finish elsewhere does not", () => {
  let s = S.initialState(3);
  s = S.reduce(s, finished(4));
  assert.equal(s.phase, "idle");
  s = S.reduce(s, finished(3));
  assert.equal(s.phase, "prompt");
  assert.equal(s.ticket.number, "A007");
});

test("a good grade is sent straight away, then thanks, then idle", () => {
  let s = S.reduce(S.initialState(3), finished(3));
  s = S.reduce(s, { type: "grade", grade: 4 });
  assert.equal(s.phase, "sending");
  assert.deepEqual(S.evaluationBody(s), { grade: 4 });
  s = S.reduce(s, { type: "sent" });
  assert.equal(s.phase, "thanks");
  s = S.reduce(s, { type: "timeout", phase: "prompt" });
  assert.equal(s.phase, "thanks", "a stale timer does nothing");
  s = S.reduce(s, { type: "timeout", phase: "thanks" });
  assert.equal(s.phase, "idle");
  assert.equal(s.ticket, null);
});

test("a grade of 2 or less asks for at least one reason", () => {
  let s = S.reduce(S.initialState(3), finished(3));
  s = S.reduce(s, { type: "grade", grade: 2 });
  assert.equal(s.phase, "reason");
  assert.equal(S.evaluationBody(s), null);
  s = S.reduce(s, { type: "submit-reasons" });
  assert.equal(s.phase, "reason", "cannot submit without a reason");
  s = S.reduce(s, { type: "toggle-reason", reason: "其他" });
  s = S.reduce(s, { type: "toggle-reason", reason: "态度" });
  s = S.reduce(s, { type: "toggle-reason", reason: "其他" });
  s = S.reduce(s, { type: "toggle-reason", reason: "效率" });
  s = S.reduce(s, { type: "toggle-reason", reason: "乱写" });
  assert.deepEqual(s.reasons, ["态度", "效率"]);
  s = S.reduce(s, { type: "submit-reasons" });
  assert.deepEqual(S.evaluationBody(s), { grade: 2, reasons: ["态度", "效率"] });
});

test("going back from the reasons returns to the five grades", () => {
  let s = S.reduce(S.initialState(3), finished(3));
  s = S.reduce(s, { type: "grade", grade: 1 });
  s = S.reduce(s, { type: "back" });
  assert.equal(s.phase, "prompt");
  assert.equal(s.grade, null);
});

test("grades are ignored when no prompt is showing, and out-of-range grades are ignored", () => {
  let s = S.reduce(S.initialState(3), { type: "grade", grade: 5 });
  assert.equal(s.phase, "idle");
  s = S.reduce(S.reduce(s, finished(3)), { type: "grade", grade: 9 });
  assert.equal(s.phase, "prompt");
});

test("refusals: already evaluated thanks anyway, too late says so, others allow a retry", () => {
  const sending = S.reduce(S.reduce(S.initialState(3), finished(3)), { type: "grade", grade: 5 });
  assert.equal(S.reduce(sending, { type: "send-failed", code: "already_evaluated" }).phase, "thanks");
  assert.equal(S.reduce(sending, { type: "send-failed", code: "ticket_not_done" }).phase, "expired");
  const err = S.reduce(sending, { type: "send-failed", code: "network", message: "网络连接失败" });
  assert.equal(err.phase, "error");
  assert.equal(err.message, "网络连接失败");
  assert.equal(S.reduce(err, { type: "grade", grade: 3 }).phase, "sending");
});

test("the idle screen takes the window's clerk from the window list", () => {
  const s = S.reduce(S.initialState(3), { type: "windows", windows: [{ number: 3, clerk: { display_name: "张敏" } }, { number: 4 }] });
  assert.equal(s.info.clerk.display_name, "张敏");
  assert.equal(S.needsWindowRefresh({ type: "window.opened", window: 3 }, 3), true);
  assert.equal(S.needsWindowRefresh({ type: "window.opened", window: 4 }, 3), false);
  assert.equal(S.needsWindowRefresh({ type: "ticket.called", window: 3 }, 3), false);
});
