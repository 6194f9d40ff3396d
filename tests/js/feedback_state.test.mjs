import { test } from "node:test";
import assert from "node:assert/strict";
import * as M from "../../queue_server/web/static/manage/feedback_state.js";
import * as R from "../../queue_server/web/static/mobile/feedback_state.js";

test("each status offers only the next steps of the loop", () => {
  assert.deepEqual(M.nextActions("open"), ["visit"]);
  assert.deepEqual(M.nextActions("visited"), ["rectify", "close"]);
  assert.deepEqual(M.nextActions("rectified"), ["close"]);
  assert.deepEqual(M.nextActions("closed"), []);
  assert.deepEqual(M.nextActions("nonsense"), []);
});

test("feedback events and new grades refresh the board; calls do not", () => {
  assert.ok(M.isFeedbackEvent({ type: "feedback.opened", feedback: { id: 1, status: "open" } }));
  assert.ok(M.isFeedbackEvent({ type: "ticket.evaluated" }));
  assert.ok(M.isFeedbackEvent({ type: "case.evaluated" }));
  assert.ok(!M.isFeedbackEvent({ type: "ticket.called" }));
  assert.ok(!M.isFeedbackEvent(null));
});

test("months shift across years", () => {
  assert.equal(M.monthOf("2026-12-08"), "2026-12");
  assert.equal(M.shiftMonth("2026-12", 1), "2027-01");
  assert.equal(M.shiftMonth("2026-01", -1), "2025-12");
});

test("tiles show percentages with a dash for nothing, and flag what needs attention", () => {
  const tiles = M.feedbackTiles({ bad: 1, cannot_do: 0, visited_pct: 50, rectified_on_time_pct: null, open: 2, overdue: 1 });
  const by = Object.fromEntries(tiles.map((t) => [t.key, t]));
  assert.equal(by.visited_pct.value, "50.0%");
  assert.equal(by.rectified_on_time_pct.value, "—");
  assert.equal(by.overdue.bad, true);
  assert.equal(by.cannot_do.bad, false);
});

test("a step needs a note, and a visit its method", () => {
  assert.equal(M.checkStep("visit", { method: "", note: "x" }), "请选择回访方式");
  assert.equal(M.checkStep("visit", { method: "phone", note: "  " }), "请填写说明");
  assert.equal(M.checkStep("close", { note: "好".repeat(501) }), "说明不能超过 500 字");
  assert.equal(M.checkStep("rectify", { note: "已整改" }), "");
});

test("an item's summary names the window, clerk, number and grade, or the matter", () => {
  assert.equal(M.itemSummary({ kind: "bad_grade", window: 3, clerk_name: "李", ticket_number: "A007", grade: 1 }),
    "3 号窗口 · 李 · A007 · 非常不满意");
  assert.equal(M.itemSummary({ kind: "cannot_do", matter_name: "残疾人证办理" }), "事项：残疾人证办理");
  assert.equal(M.itemSummary({ kind: "cannot_do", matter_name: null }), "未选择事项");
});

test("the ranking flags satisfaction under 90 %", () => {
  const rows = M.rankingRows([{ rank: 1, satisfied_pct: 95 }, { rank: 2, satisfied_pct: 80 }, { rank: 3, satisfied_pct: null }]);
  assert.deepEqual(rows.map((r) => [r.satisfied, r.flag]), [["95.0%", false], ["80.0%", true], ["—", false]]);
});

test("a report body is trimmed; an empty phone and no matter are left out", () => {
  assert.deepEqual(R.reportBody({ description: "  办不了 ", phone: " ", matter: null }), { kind: "cannot_do", description: "办不了" });
  assert.deepEqual(R.reportBody({ description: "x", phone: "138 1234 1234", matter: "M002" }),
    { kind: "cannot_do", description: "x", phone: "13812341234", matter: "M002" });
});

test("a report is checked like the server does: text required, 500 characters, an 11-digit phone", () => {
  assert.equal(R.checkReport({ description: "" }), "请写下遇到的问题");
  assert.equal(R.checkReport({ description: "办".repeat(500) }), "");
  assert.match(R.checkReport({ description: "办".repeat(501) }), /500/);
  assert.match(R.checkReport({ description: "x", phone: "12345" }), /11 位/);
  assert.equal(R.counterText("办不了"), "还可以写 497 字");
  assert.equal(R.counterText("办".repeat(502)), "超出 2 字");
});

test("matter choices come from the guide's answer, at most six", () => {
  const answer = { matters: Array.from({ length: 9 }, (_, i) => ({ code: `M${i}`, name: `事项${i}`, extra: 1 })) };
  assert.deepEqual(R.matterChoices(answer)[0], { code: "M0", name: "事项0" });
  assert.equal(R.matterChoices(answer).length, 6);
  assert.deepEqual(R.matterChoices(null), []);
});

test("the history names a pad, the resident and the system in words", () => {
  assert.equal(M.byLabel("device:2"), "评价器");
  assert.equal(M.byLabel("resident:report"), "群众");
  assert.equal(M.byLabel("applicant:7"), "群众");
  assert.equal(M.byLabel("system"), "系统");
  assert.equal(M.byLabel("user:li"), "li");
  assert.equal(M.byLabel("zhang"), "zhang");
});
