import { test } from "node:test";
import assert from "node:assert/strict";
import * as C from "../../queue_server/web/static/clerk/cases_state.js";
import { caseView, initialCaseState, longDate, maskName, reduceCase } from "../../queue_server/web/static/mobile/case_state.js";
import * as B from "../../display/static/state.js";

const base = { id: 7, number: "BJ20261201-0007", matter_name: "更换残疾证", mode: "deferred", channel: "window",
  status: "accepted", applicant: { name: "王秀英", phone: "138****1234" }, accepted_at: "2026-12-01T09:30:00+08:00",
  promised_days: 5, due_date: "2026-12-08", overdue: false, pickup_window: 18, history: [], missing: [] };

test("the panel offers only the actions the case's state allows, and the documents that make sense", () => {
  assert.deepEqual(C.caseActions({ status: "accepted" }), ["process", "suspend", "complete", "withdraw"]);
  assert.deepEqual(C.caseActions({ status: "suspended" }), ["resume", "withdraw"]);
  assert.deepEqual(C.caseActions({ status: "completed" }), ["deliver-pickup", "deliver-mail"]);
  assert.deepEqual(C.caseActions({ status: "delivered" }), []);
  assert.deepEqual(C.printKinds({ status: "suspended", missing: ["照片"] }), ["acceptance", "notice"]);
  assert.deepEqual(C.printKinds({ status: "completed" }), ["acceptance", "completion"]);
  assert.deepEqual(C.printKinds({ status: "withdrawn" }), []);
});

test("lists split into due today, overdue, suspended and waiting for pickup", () => {
  const today = "2026-12-08";
  const lists = C.splitLists({
    open: [base, { ...base, id: 8, due_date: "2026-12-09" }],
    overdue: [{ ...base, id: 9, due_date: "2026-12-01", overdue: true }],
    suspended: [{ ...base, id: 10, status: "suspended" }],
    completed: [{ ...base, id: 11, status: "completed", completed_at: "x" }, { ...base, id: 12, status: "completed", channel: "agent" }],
  }, today);
  assert.deepEqual(lists.due.map((c) => c.id), [7]);
  assert.deepEqual(lists.overdue.map((c) => c.id), [9]);
  assert.deepEqual(lists.suspended.map((c) => c.id), [10]);
  assert.deepEqual(lists.pickup.map((c) => c.id), [11], "an agent's case is delivered in the village");
  let s = C.reduceCases(C.initialCases(), { type: "lists", today, ...{ open: [base], overdue: [], suspended: [], completed: [] } });
  s = C.reduceCases(s, { type: "select", case: base });
  s = C.reduceCases(s, { type: "case", case: { ...base, status: "processing" } });
  assert.equal(s.selected.status, "processing");
  assert.equal(s.lists.due[0].status, "processing");
  assert.equal(C.reduceCases(s, { type: "nonsense" }), s);
});

test("the new-case form checks the ID number's check digit and the phone, one body per matter", () => {
  assert.ok(C.validIdNumber("11010519491231002X"));
  assert.ok(C.validIdNumber("11010519491231002x"));
  assert.ok(!C.validIdNumber("110105194912310021"));
  assert.ok(!C.validPhone("1380000123"));
  assert.equal(C.createBodies([], { name: "王" }).error, "cs_no_matter");
  assert.equal(C.createBodies([{ code: "m1" }], { name: " " }).error, "cs_bad_name");
  assert.equal(C.createBodies([{ code: "m1" }], { name: "王", idNumber: "110105194912310021" }).error, "cs_bad_id");
  const ok = C.createBodies([{ code: "m1" }, { code: "m2" }], { name: "王秀英", phone: "13800001234", idNumber: "11010519491231002x", ticket: 5 });
  assert.deepEqual(ok.bodies.map((b) => b.matter), ["m1", "m2"]);
  assert.deepEqual(ok.bodies[0], { matter: "m1", applicant: { name: "王秀英", phone: "13800001234", id_number: "11010519491231002X" }, ticket: 5 });
});

test("action bodies: every missing material at once, a refusal needs a reason, delivery by method", () => {
  assert.deepEqual(C.actionBody("suspend", { missing: ["身份证"], other: "照片\n\n户口簿 " }).body, { missing: ["身份证", "照片", "户口簿"] });
  assert.equal(C.actionBody("suspend", {}).error, "cs_need_missing");
  assert.equal(C.actionBody("complete", { result: "refused", note: " " }).error, "cs_need_note");
  assert.deepEqual(C.actionBody("complete", { result: "approved" }).body, { result: "approved" });
  assert.deepEqual(C.actionBody("deliver-pickup"), { path: "deliver", body: { method: "pickup" } });
  assert.equal(C.actionBody("withdraw", { note: "" }).error, "cs_need_note");
});

test("a printer fault says in Chinese that nothing was lost; due dates read relative to today", () => {
  const text = C.caseErrorText("printer_fault", "1 号窗口打印机故障：打印机缺纸");
  assert.match(text, /打印机故障/);
  assert.match(text, /办件没有受影响/);
  assert.match(C.caseErrorText("printer_fault", "x", "en"), /case is unchanged/);
  assert.equal(C.caseErrorText("invalid_state", "x"), "办件状态已改变，不能这样操作，已刷新。");
  assert.equal(C.dueText(base, "2026-12-08"), "今天到期");
  assert.equal(C.dueText({ ...base, overdue: true }, "2026-12-10"), "已超期（2026-12-08）");
  assert.equal(C.dueText({ ...base, status: "completed", on_time: true }, "2026-12-10"), "按时办结");
});

test("the resident's page shows the big pickup line when completed, and the missing materials while suspended", () => {
  let s = reduceCase(initialCaseState(), { type: "case", case: { ...base, status: "suspended", missing: ["照片", "户口簿"] } });
  let v = caseView(s);
  assert.deepEqual(v.missing, ["照片", "户口簿"]);
  assert.equal(v.banner, null);
  s = reduceCase(s, { type: "case", case: { ...base, status: "completed", result: "approved", on_time: true } });
  v = caseView(s);
  assert.equal(v.banner.text, "已办结，请到 18 号窗口领取");
  assert.equal(caseView(s, "en").banner.text, "Done: please collect it at window 18");
  assert.ok(v.facts.some(([k, val]) => k === "申请人" && val === "王*英"));
  assert.equal(caseView(reduceCase(s, { type: "case", case: { ...base, status: "delivered" } })).banner.text, "已领取，办理完毕");
  assert.equal(caseView(reduceCase(initialCaseState(), { type: "error", code: "forbidden" })).error.includes("二维码"), true);
  assert.equal(reduceCase(s, { type: "who-knows" }), s);
  assert.equal(longDate("2026-12-08"), "2026年12月8日 星期二");
  assert.equal(maskName("欧阳娜娜"), "欧阳**");
});

test("the board lists completed cases for pickup by number only and announces them once", () => {
  let s = B.reduceBoard(B.initialBoard({}), { type: "snapshot", seq: 1, windows: [], categories: [], recent_calls: [],
    pickup: [{ id: 3, number: "BJ20261130-0003", window: 18, at: null }] });
  assert.equal(s.pickup.length, 1);
  const done = { type: "case.completed", seq: 2, at: "t", ticket: null, window: null,
    case: { id: 7, number: "BJ20261201-0007", status: "completed", station: null }, pickup_window: 18 };
  assert.deepEqual(B.pickupsToAnnounce(s, done), [{ number: "BJ20261201-0007", window: 18, kind: "pickup", seq: 2 }]);
  s = B.reduceBoard(s, done);
  assert.deepEqual(s.pickup.map((p) => p.number), ["BJ20261130-0003", "BJ20261201-0007"]);
  assert.deepEqual(B.pickupsToAnnounce(s, done), [], "an event already applied is not said again");
  assert.equal(B.pickupPhrase("BJ20261201-0007", 18), "BJ…0007 已办结，请到 18 号窗口领取");
  assert.equal(B.spokenPickup("BJ20261201-0007", 18), "BJ 零零零七 已办结，请到 十八 号窗口 领取");
  assert.ok(B.stillCurrent(s, { kind: "pickup", number: "BJ20261201-0007" }));
  s = B.reduceBoard(s, { type: "case.delivered", seq: 3, case: { id: 7, number: "BJ20261201-0007", status: "delivered" } });
  assert.deepEqual(s.pickup.map((p) => p.id), [3]);
  assert.ok(!B.stillCurrent(s, { kind: "pickup", number: "BJ20261201-0007" }));
  const agent = { ...done, seq: 4, pickup_window: null };
  assert.deepEqual(B.pickupsToAnnounce(s, agent), []);
  assert.equal(B.reduceBoard(s, agent).pickup.length, 1);
  const old = B.reduceBoard(B.initialBoard({}), { type: "snapshot", seq: 1, windows: [], categories: [], recent_calls: [] });
  assert.deepEqual(old.pickup, [], "a snapshot without a pickup list");
});
