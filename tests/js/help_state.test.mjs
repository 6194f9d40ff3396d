import { test } from "node:test";
import assert from "node:assert/strict";
import { ago, describe, helpChanged, initialHelp, reduceHelp, TEXT, toChime } from "../../queue_server/web/static/common/help_state.js";

const T0 = Date.parse("2026-12-01T10:00:00+08:00");
const call = (id, status = "requested", extra = {}) => ({
  id, kiosk: 3, kiosk_name: "大厅入口取号机", reason: "cannot_read", status,
  requested_at: new Date(T0 + id * 1000).toISOString(), acknowledged_at: null, resolved_at: null, by: null, ...extra,
});

test("help panel: the list keeps the open calls oldest first; an answer replaces or removes its call", () => {
  let s = reduceHelp(initialHelp(), { type: "list", calls: [call(2), call(1, "acknowledged"), call(3, "resolved")] });
  assert.deepEqual(s.calls.map((c) => c.id), [1, 2]);
  s = reduceHelp(s, { type: "busy", id: 2 });
  assert.equal(s.busy, 2);
  s = reduceHelp(s, { type: "done", call: call(2, "acknowledged", { by: "周静" }) });
  assert.equal(s.busy, null);
  assert.deepEqual(s.calls.map((c) => [c.id, c.status]), [[1, "acknowledged"], [2, "acknowledged"]]);
  s = reduceHelp(s, { type: "done", call: call(1, "resolved") });
  assert.deepEqual(s.calls.map((c) => c.id), [2]);
  s = reduceHelp(s, { type: "failed", message: "这个呼叫已经处理完了" });
  assert.equal(s.error, "这个呼叫已经处理完了");
  assert.deepEqual(reduceHelp(s, { type: "clear" }), initialHelp());
});

test("help panel: each new waiting call chimes once, an acknowledged one never", () => {
  let s = reduceHelp(initialHelp(), { type: "list", calls: [call(1), call(2, "acknowledged")] });
  assert.deepEqual(toChime(s), [1]);
  s = reduceHelp(s, { type: "chimed", ids: [1] });
  assert.deepEqual(toChime(s), []);
  s = reduceHelp(s, { type: "list", calls: [call(1), call(2, "acknowledged"), call(4)] });
  assert.deepEqual(toChime(s), [4]);
});

test("help panel: help events and snapshots reload the list; other events do not", () => {
  assert.ok(helpChanged({ type: "help.requested" }));
  assert.ok(helpChanged({ type: "help.resolved" }));
  assert.ok(helpChanged({ type: "snapshot" }));
  assert.ok(!helpChanged({ type: "ticket.called" }));
  assert.ok(!helpChanged(null));
});

test("help panel: the words, Chinese first, English without Chinese", () => {
  const zh = describe(call(0, "acknowledged", { by: "周静" }), T0 + 125000, "zh");
  assert.equal(zh.headline, "大厅入口取号机 呼叫导办员");
  assert.equal(zh.detail, "看不清、不会操作 · 2 分钟前 · 周静 已前往");
  assert.equal(describe(call(0, "requested", { reason: null }), T0 + 5000, "en").detail, "needs help · 5 s ago");
  assert.equal(ago(new Date(T0).toISOString(), T0 + 2 * 3600000, "zh"), "2 小时前");
  assert.deepEqual(Object.keys(TEXT.en).sort(), Object.keys(TEXT.zh).sort());
  for (const [k, v] of Object.entries(TEXT.en)) assert.doesNotMatch(v, /[\u4e00-\u9fff]/, k);
});
