import { test } from "node:test";
import assert from "node:assert/strict";
import {
  initial, reduce, submission, draftProblem, visible, badgeCount, retryDelay, bucket,
} from "../../queue_server/web/static/agent/state.js";

const matter = { code: "M002", name: "养老保险待遇领取", materials: ["身份证", "社保卡"] };
const kase = (id, status, steps = 1) => ({ id, status, history: Array(steps).fill({}), station: "V01" });

test("one entry submits one case; several submit a batch with home groups", () => {
  let s = reduce(initial(), { type: "add", matter });
  s = reduce(s, { type: "edit", index: 0, field: "name", value: " 张大爷 " });
  s = reduce(s, { type: "toggle", index: 0, material: "身份证" });
  assert.deepEqual(submission(s.draft), { path: "/api/cases", body: {
    matter: "M002", applicant: { name: "张大爷" }, received_materials: ["身份证"] } });
  s = reduce(s, { type: "add", matter });
  s = reduce(s, { type: "edit", index: 1, field: "name", value: "刘阿姨" });
  s = reduce(s, { type: "edit", index: 1, field: "group", value: "disabled" });
  s = reduce(s, { type: "edit", index: 1, field: "phone", value: "13812341234" });
  const req = submission(s.draft);
  assert.equal(req.path, "/api/cases/batch");
  assert.equal(req.body.cases[1].group, "disabled");
  assert.equal(req.body.cases[1].applicant.phone, "13812341234");
  assert.equal(req.body.cases[0].group, undefined);
});

test("a draft without a name or with a short phone is not sent", () => {
  let s = reduce(initial(), { type: "add", matter });
  assert.match(draftProblem(s.draft), /姓名/);
  s = reduce(s, { type: "edit", index: 0, field: "name", value: "王五" });
  s = reduce(s, { type: "edit", index: 0, field: "phone", value: "1381234" });
  assert.match(draftProblem(s.draft), /11 位/);
  assert.match(draftProblem(initial().draft), /查事项/);
});

test("the idempotency key is fixed at the first attempt and kept over failures until success", () => {
  let s = reduce(initial(), { type: "add", matter });
  s = reduce(s, { type: "submit", key: "k1" });
  s = reduce(s, { type: "submit_failed", network: true, message: "网络不好" });
  assert.equal(s.online, false);
  assert.equal(s.draft.entries.length, 1, "the form is kept after an error");
  s = reduce(s, { type: "submit", key: "k2" });
  assert.equal(s.draft.key, "k1");
  assert.equal(s.attempt, 2);
  s = reduce(s, { type: "submitted", cases: [{ id: 1 }] });
  assert.deepEqual(s.draft, { entries: [], key: null });
  assert.equal(s.attempt, 0);
  assert.ok(retryDelay(1) < retryDelay(3) && retryDelay(20) === 15000);
});

test("a case that changed since the last read gets a badge until the agent looks", () => {
  let s = reduce(initial(), { type: "cases", cases: [kase(1, "accepted"), kase(2, "processing", 2)], first: true });
  assert.equal(badgeCount(s), 0);
  s = reduce(s, { type: "cases", cases: [kase(1, "completed", 2), kase(2, "processing", 2)] });
  assert.deepEqual(Object.keys(s.changed), ["1"]);
  s = reduce(s, { type: "event", event: { type: "case.completed", case: { id: 2, station: "V01" } }, station: "V01" });
  s = reduce(s, { type: "event", event: { type: "case.completed", case: { id: 9, station: "V02" } }, station: "V01" });
  s = reduce(s, { type: "event", event: { type: "case.accepted", case: { id: 3, station: "V01" } }, station: "V01" });
  assert.equal(badgeCount(s), 2);
  s = reduce(s, { type: "look", id: 1 });
  assert.deepEqual(Object.keys(s.changed), ["2"]);
});

test("the lists split open, waiting for delivery, and finished cases", () => {
  let s = reduce(initial(), { type: "cases", cases: [kase(1, "suspended"), kase(2, "completed"), kase(3, "delivered")], first: true });
  assert.deepEqual(visible(s).map((c) => c.id), [1]);
  s = reduce(s, { type: "filter", filter: "completed" });
  assert.deepEqual(visible(s).map((c) => c.id), [2]);
  assert.equal(bucket(kase(4, "withdrawn")), "done");
});
