import { test } from "node:test";
import assert from "node:assert/strict";
import {
  initialBoard, reduceBoard, callsToAnnounce, stillCurrent, initialWindow, reduceWindow,
  chineseNumber, spokenTicket, spokenPhrase, callPhrase, RECENT_LIMIT, categoryOpen,
} from "../../display/static/state.js";

const cfg = {
  windows: [1, 2, 3].map((n) => ({ number: n, name: `窗口${n}`, name_en: `W${n}` })),
  categories: [{ code: "A", name: "社保" }, { code: "D", name: "林业" }],
  notice: "欢迎",
};

function snap(seq, over = {}) {
  return {
    type: "snapshot", seq,
    windows: [
      { number: 1, name: "窗口1", status: "open", current: null },
      { number: 2, name: "窗口2", status: "paused", current: { number: "A001", status: "serving" } },
      { number: 3, name: "窗口3", status: "closed", current: null },
    ],
    categories: [{ code: "A", name: "社保", waiting: 2, eta_minutes: 9 }, { code: "D", name: "林业", waiting: 0, eta_minutes: 0 }],
    recent_calls: [{ number: "A001", window: 2, at: "t0" }],
    ...over,
  };
}

const ev = (type, seq, ticket, window) => ({ type, seq, at: `t${seq}`, ticket, window });
const tk = (number, category, status = "waiting") => ({ id: 1, number, service: "x", category, status, window: null });

test("a snapshot replaces the whole state, whatever was there", () => {
  let s = reduceBoard(initialBoard(cfg), snap(10));
  s = reduceBoard(s, ev("ticket.called", 11, tk("A002", "A"), 1));
  const fresh = reduceBoard(s, snap(5, { recent_calls: [] }));
  assert.equal(fresh.seq, 5);
  assert.equal(fresh.windows[0].current, null);
  assert.deepEqual(fresh.recent, []);
  assert.equal(fresh.banner, null);
});

test("a call sets the window's ticket, the banner, the recent list and the waiting count", () => {
  let s = reduceBoard(initialBoard(cfg), snap(10));
  s = reduceBoard(s, ev("ticket.called", 11, tk("A002", "A", "called"), 1));
  assert.deepEqual(s.windows[0].current, { number: "A002", status: "called" });
  assert.equal(s.banner.number, "A002");
  assert.equal(s.banner.window, 1);
  assert.equal(s.banner.kind, "call");
  assert.equal(s.recent[0].number, "A002");
  assert.equal(s.categories[0].waiting, 1);
  assert.equal(s.seq, 11);
});

test("a recall moves the banner and leaves the waiting count alone", () => {
  let s = reduceBoard(initialBoard(cfg), snap(10));
  s = reduceBoard(s, ev("ticket.recalled", 11, tk("A001", "A", "called"), 2));
  assert.equal(s.banner.kind, "recall");
  assert.equal(s.categories[0].waiting, 2);
  assert.equal(s.recent.length, 2);
});

test("window events change the status; closing clears the ticket", () => {
  let s = reduceBoard(initialBoard(cfg), snap(10));
  s = reduceBoard(s, ev("window.paused", 11, null, 1));
  assert.equal(s.windows[0].status, "paused");
  s = reduceBoard(s, ev("window.resumed", 12, null, 1));
  assert.equal(s.windows[0].status, "open");
  s = reduceBoard(s, ev("window.closed", 13, null, 2));
  assert.equal(s.windows[1].status, "closed");
  assert.equal(s.windows[1].current, null);
  s = reduceBoard(s, ev("window.opened", 14, null, 3));
  assert.equal(s.windows[2].status, "open");
});

test("start, finish, no-show and transfer follow the ticket", () => {
  let s = reduceBoard(initialBoard(cfg), snap(10));
  s = reduceBoard(s, ev("ticket.called", 11, tk("D001", "D"), 1));
  s = reduceBoard(s, ev("ticket.started", 12, tk("D001", "D", "serving"), 1));
  assert.equal(s.windows[0].current.status, "serving");
  s = reduceBoard(s, ev("ticket.finished", 13, tk("D001", "D", "done"), 1));
  assert.equal(s.windows[0].current, null);
  s = reduceBoard(s, ev("ticket.no_show", 14, tk("A001", "A", "no_show"), 2));
  assert.equal(s.windows[1].current, null);
  s = reduceBoard(s, ev("ticket.called", 15, tk("A003", "A"), 1));
  s = reduceBoard(s, ev("ticket.transferred", 16, tk("A003", "D"), 1));
  assert.equal(s.windows[0].current, null);
  assert.equal(s.categories[1].waiting, 1);
});

test("issue, cancel and expiry keep the waiting counts, never below zero", () => {
  let s = reduceBoard(initialBoard(cfg), snap(10));
  s = reduceBoard(s, ev("ticket.issued", 11, tk("D001", "D"), null));
  assert.equal(s.categories[1].waiting, 1);
  s = reduceBoard(s, ev("ticket.cancelled", 12, tk("D001", "D", "cancelled"), null));
  s = reduceBoard(s, ev("ticket.expired", 13, tk("D002", "D", "expired"), null));
  assert.equal(s.categories[1].waiting, 0);
  s = reduceBoard(s, ev("ticket.expired", 14, tk("A001", "A", "expired"), null));
  assert.equal(s.windows[1].current, null);
  assert.equal(s.categories[0].waiting, 2);
});

test("old, repeated and unknown messages change nothing", () => {
  const s = reduceBoard(initialBoard(cfg), snap(10));
  assert.equal(reduceBoard(s, ev("ticket.called", 9, tk("A009", "A"), 1)), s);
  assert.equal(reduceBoard(s, ev("ticket.called", 10, tk("A009", "A"), 1)), s);
  const u = reduceBoard(s, { type: "ticket.teleported", seq: 11, ticket: null, window: 1 });
  assert.equal(u.seq, 11);
  assert.deepEqual(u.windows, s.windows);
  assert.equal(reduceBoard(s, null), s);
  assert.equal(reduceBoard(s, "garbage"), s);
});

test("the recent list stays bounded however many calls arrive", () => {
  let s = reduceBoard(initialBoard(cfg), snap(0));
  for (let i = 1; i <= 5000; i++) s = reduceBoard(s, ev("ticket.called", i, tk(`A${i}`, "A"), (i % 3) + 1));
  assert.equal(s.recent.length, RECENT_LIMIT);
  assert.equal(s.recent[0].number, "A5000");
  assert.equal(s.windows.length, 3);
});

test("connection messages only flip the connected flag", () => {
  const s = reduceBoard(initialBoard(cfg), snap(10));
  const off = reduceBoard(s, { type: "connection", connected: false });
  assert.equal(off.connected, false);
  assert.equal(off.windows, s.windows);
  assert.equal(reduceBoard(off, { type: "connection", connected: true }).connected, true);
});

test("a polled queue older than the state brings only the estimates", () => {
  let s = reduceBoard(initialBoard(cfg), snap(10));
  s = reduceBoard(s, ev("ticket.called", 11, tk("A002", "A"), 1));
  const polled = { ...snap(10), type: "queue", categories: [{ code: "A", name: "社保", waiting: 7, eta_minutes: 33 }] };
  const t = reduceBoard(s, polled);
  assert.equal(t.categories[0].eta_minutes, 33);
  assert.equal(t.categories[0].waiting, 1);
  assert.equal(t.windows[0].current.number, "A002");
  const newer = reduceBoard(s, { ...polled, seq: 12 });
  assert.equal(newer.categories[0].waiting, 7);
  assert.equal(newer.seq, 12);
});

test("config messages update the notice and the announcement settings", () => {
  const s = reduceBoard(initialBoard(cfg), { type: "config", notice: "新通知", announce: { repeat: 3, digits: false } });
  assert.equal(s.notice, "新通知");
  assert.deepEqual(s.announce, { repeat: 3, digits: false });
});

test("calls and recalls are announced; the first snapshot is not", () => {
  const s0 = initialBoard(cfg);
  assert.deepEqual(callsToAnnounce(s0, snap(10)), []);
  const s = reduceBoard(s0, snap(10));
  assert.deepEqual(callsToAnnounce(s, ev("ticket.called", 11, tk("A002", "A"), 1)),
    [{ number: "A002", window: 1, kind: "call", seq: 11 }]);
  assert.equal(callsToAnnounce(s, ev("ticket.recalled", 11, tk("A001", "A"), 2))[0].kind, "recall");
  assert.deepEqual(callsToAnnounce(s, ev("ticket.called", 10, tk("A002", "A"), 1)), []);
  assert.deepEqual(callsToAnnounce(s, ev("window.paused", 11, null, 1)), []);
});

test("a resync snapshot announces the windows that now call someone new", () => {
  const s = reduceBoard(initialBoard(cfg), snap(10));
  const later = snap(2000, { windows: [
    { number: 1, name: "窗口1", status: "open", current: { number: "D009", status: "called" } },
    { number: 2, name: "窗口2", status: "paused", current: { number: "A001", status: "serving" } },
    { number: 3, name: "窗口3", status: "closed", current: null },
  ] });
  assert.deepEqual(callsToAnnounce(s, later), [{ number: "D009", window: 1, kind: "call", seq: 2000 }]);
});

test("a queued announcement is stale once its window moved on", () => {
  let s = reduceBoard(initialBoard(cfg), snap(10));
  s = reduceBoard(s, ev("ticket.called", 11, tk("A002", "A"), 1));
  assert.equal(stillCurrent(s, { number: "A002", window: 1 }), true);
  s = reduceBoard(s, ev("ticket.no_show", 12, tk("A002", "A"), 1));
  assert.equal(stillCurrent(s, { number: "A002", window: 1 }), false);
});

test("the window screen follows only its own window and flashes on its calls", () => {
  let w = reduceWindow(initialWindow({ number: 1, name: "窗口1" }), snap(10));
  assert.equal(w.status, "open");
  w = reduceWindow(w, ev("ticket.called", 11, tk("A002", "A"), 2));
  assert.equal(w.current, null);
  assert.equal(w.flash, 0);
  w = reduceWindow(w, ev("ticket.called", 12, tk("A003", "A"), 1));
  assert.deepEqual(w.current, { number: "A003", status: "called" });
  assert.equal(w.flash, 1);
  w = reduceWindow(w, ev("ticket.recalled", 13, tk("A003", "A"), 1));
  assert.equal(w.flash, 2);
  w = reduceWindow(w, ev("window.paused", 14, null, 1));
  assert.equal(w.status, "paused");
  assert.equal(reduceWindow(w, ev("window.closed", 14, null, 1)), w);
  w = reduceWindow(w, { type: "connection", connected: true });
  assert.equal(w.connected, true);
});

test("numbers are spoken digit by digit by default, or as a whole number", () => {
  assert.equal(spokenTicket("A007"), "A 零零七");
  assert.equal(spokenTicket("A007", false), "A 七");
  assert.equal(spokenTicket("B120", false), "B 一百二十");
  assert.equal(chineseNumber(10), "十");
  assert.equal(chineseNumber(18), "十八");
  assert.equal(chineseNumber(107), "一百零七");
  assert.equal(chineseNumber(1000), "一千");
  assert.equal(callPhrase("A007", 3), "请 A007 号 到 3 号窗口 办理");
  assert.equal(spokenPhrase("A007", 3), "请 A 零零七 号 到 三 号窗口 办理");
  assert.equal(spokenPhrase("A007", 10, false), "请 A 七 号 到 十 号窗口 办理");
});

test("a category is open once a window that serves it opens or pauses, whatever the snapshots say", () => {
  const served = { ...cfg, categories: [{ code: "A", windows: [1, 2] }, { code: "D", windows: [3] }, { code: "X" }] };
  let s = initialBoard(served);
  assert.equal(categoryOpen(s, "A"), false);
  assert.equal(categoryOpen(s, "X"), true); // no windows configured: no claim
  s = reduceBoard(s, snap(10)); // 1 open, 2 paused, 3 closed; snapshots carry no windows per category
  assert.equal(categoryOpen(s, "A"), true);
  assert.equal(categoryOpen(s, "D"), false);
  s = reduceBoard(s, { type: "window.opened", seq: 11, at: "t11", window: 3 });
  assert.equal(categoryOpen(s, "D"), true);
  s = reduceBoard(s, { type: "window.closed", seq: 12, at: "t12", window: 3 });
  assert.equal(categoryOpen(s, "D"), false);
});
