import { test } from "node:test";
import assert from "node:assert/strict";
import * as C from "../../queue_server/web/static/clerk/cases_state.js";
import { CASE_TEXT } from "../../queue_server/web/static/clerk/cases_i18n.js";

const base = { id: 1, number: "BJ20261201-0001", matter_name: "老年人优待证", mode: "deferred", channel: "agent",
  station: "V01", status: "accepted", applicant: { name: "李大爷" }, due_date: "2026-12-08", history: [], missing: [] };
const today = "2026-12-01";
const lists = (proxy, extra = {}) => ({ type: "lists", today, open: [], overdue: [], suspended: [], completed: [],
  proxy, pickupWindow: 18, proxyWindow: 17, ...extra });

test("the 代办件 tab: open cases by due date first, then those waiting for delivery; finished ones left out", () => {
  const q = C.proxyQueue([
    { ...base, id: 1, status: "completed", due_date: "2026-12-02" },
    { ...base, id: 2, due_date: "2026-12-09" },
    { ...base, id: 3, status: "suspended", due_date: "2026-12-03" },
    { ...base, id: 4, status: "delivered" },
    { ...base, id: 5, status: "withdrawn" },
    { ...base, id: 6, status: "processing", channel: "window", station: null, mode: "proxy", due_date: "2026-12-09" },
  ]);
  assert.deepEqual(q.map((c) => c.id), [3, 2, 6, 1]);
  const s = C.reduceCases(C.initialCases(), lists([{ ...base, id: 2 }]));
  assert.deepEqual(s.lists.proxy.map((c) => c.id), [2]);
  assert.equal(s.proxyWindow, 17);
  assert.ok(C.TABS.includes("proxy"));
});

test("the proxy window opens on 代办件, the pickup window on 待领取, others on 今日到期", () => {
  assert.equal(C.defaultTab(17, 18, 17), "proxy");
  assert.equal(C.defaultTab(18, 18, 17), "pickup");
  assert.equal(C.defaultTab(1, 18, 17), "due");
  assert.equal(C.defaultTab(null, 18, 17), "due");
  // The window may be known before the lists (which name the proxy window), or after them.
  let s = C.reduceCases(C.initialCases(), { type: "window", windowNo: 17 });
  assert.equal(s.tab, "due");
  s = C.reduceCases(s, lists([]));
  assert.equal(s.tab, "proxy");
  let t = C.reduceCases(C.initialCases(), lists([]));
  assert.equal(t.tab, "due");
  t = C.reduceCases(t, { type: "window", windowNo: 17 });
  assert.equal(t.tab, "proxy");
});

test("the clerk's own choice of tab wins over the window's default until the window changes", () => {
  let s = C.reduceCases(C.reduceCases(C.initialCases(), { type: "window", windowNo: 17 }), lists([]));
  s = C.reduceCases(s, { type: "tab", tab: "pickup" });
  s = C.reduceCases(s, lists([]));
  assert.equal(s.tab, "pickup", "a refresh does not pull the clerk back");
  s = C.reduceCases(s, { type: "window", windowNo: 1 });
  assert.equal(s.tab, "due");
  s = C.reduceCases(s, { type: "tab", tab: "overdue" });
  assert.equal(C.reduceCases(s, { type: "window", windowNo: 17 }).tab, "overdue", "a list the clerk reads stays");
  s = C.reduceCases(s, { type: "tab", tab: "new" });
  s = C.reduceCases(s, { type: "window", windowNo: 17 });
  assert.equal(s.tab, "new", "the new-case form is never left by itself");
  s = C.reduceCases(s, { type: "search", query: "BJ", cases: [] });
  assert.equal(C.reduceCases(s, lists([])).tab, "search");
});

test("every action is offered on a village case; a completed one may also be delivered by its agent", () => {
  assert.deepEqual(C.caseActions(base), ["process", "suspend", "complete", "withdraw"]);
  assert.deepEqual(C.caseActions({ ...base, status: "completed" }), ["deliver-agent", "deliver-pickup", "deliver-mail"]);
  assert.deepEqual(C.caseActions({ ...base, status: "completed", channel: "home" })[0], "deliver-agent");
  assert.deepEqual(C.caseActions({ ...base, status: "completed", channel: "window" }), ["deliver-pickup", "deliver-mail"]);
  assert.deepEqual(C.actionBody("deliver-agent"), { path: "deliver", body: { method: "agent" } });
  // An action's result replaces the case in the 代办件 list as in the others.
  let s = C.reduceCases(C.initialCases(), lists([base]));
  s = C.reduceCases(s, { type: "case", case: { ...base, status: "processing" } });
  assert.equal(s.lists.proxy[0].status, "processing");
});

test("the new texts exist in Chinese and English", () => {
  for (const k of ["cs_tab_proxy", "cs_empty_proxy", "cs_proxy_mode", "cs_from", "cs_channel_agent",
    "cs_channel_home", "cs_channel_window", "ca_deliver_agent", "cs_group_elderly", "cs_group_hardship"]) {
    assert.match(CASE_TEXT.zh[k], /[\u4e00-\u9fff]/, k);
    assert.ok(CASE_TEXT.en[k] && !/[\u4e00-\u9fff]/.test(CASE_TEXT.en[k]), k);
  }
  assert.equal(CASE_TEXT.zh.cs_tab_proxy, "代办件");
});
