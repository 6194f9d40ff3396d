import { test } from "node:test";
import assert from "node:assert/strict";
import { SMS_TEXT } from "../../queue_server/web/static/manage/sms_i18n.js";
import { TEXT } from "../../queue_server/web/static/manage/i18n.js";
import * as S from "../../queue_server/web/static/manage/sms_state.js";

const msg = (status, created_at, extra = {}) => ({ id: created_at + status, kind: "called", phone: "138****1234",
  status, attempts: 1, created_at, sent_at: null, ...extra });

test("/manage 短信提醒: both languages have the same keys, English has no Chinese, merged without clashes", () => {
  assert.deepEqual(Object.keys(SMS_TEXT.en).sort(), Object.keys(SMS_TEXT.zh).sort());
  for (const [k, v] of Object.entries(SMS_TEXT.en)) assert.doesNotMatch(v, /[\u4e00-\u9fff]/, k);
  for (const lang of ["zh", "en"]) for (const [k, v] of Object.entries(SMS_TEXT[lang])) assert.equal(TEXT[lang][k], v, k);
  for (const kind of S.KINDS) assert.ok(SMS_TEXT.zh[`sms_kind_${kind}`], kind);
  for (const p of ["log", "aliyun", "tencent", "http"]) assert.ok(SMS_TEXT.zh[`sms_p_${p}`], p);
  assert.equal(SMS_TEXT.zh.sms_k_logged_sub, "日志模式，未实际发送");
});

test("/manage 短信提醒: messages count on the hall's day, not UTC's, every day of the range present", () => {
  // 2026-12-07 17:30 UTC is 8 December 01:30 in the hall.
  assert.equal(S.hallDay("2026-12-07T17:30:00Z"), "2026-12-08");
  assert.equal(S.hallDay("2026-12-08T01:30:00+08:00"), "2026-12-08");
  assert.equal(S.hallTime("2026-12-08T01:05:00Z"), "09:05");
  assert.equal(S.hallTime(null), "");
  const days = S.dailyFigures([
    msg("sent", "2026-12-07T17:30:00Z"), msg("sent", "2026-12-08T02:00:00Z"), msg("failed", "2026-12-08T03:00:00Z"),
    msg("logged", "2026-12-08T03:00:00Z"), msg("queued", "2026-12-06T03:00:00Z"), msg("dropped", "2026-12-06T13:30:00Z"),
  ], { from: "2026-12-05", to: "2026-12-08" });
  assert.deepEqual(days.map((d) => d.day), ["2026-12-05", "2026-12-06", "2026-12-07", "2026-12-08"]);
  assert.deepEqual(days[3], { day: "2026-12-08", sent: 2, failed: 1, logged: 1, queued: 0, dropped: 0, rate: 200 / 3 });
  assert.deepEqual(days[1], { day: "2026-12-06", sent: 0, failed: 0, logged: 0, queued: 1, dropped: 1, rate: null });
  assert.equal(days[0].rate, null);
  const sum = S.totals(days);
  assert.deepEqual([sum.sent, sum.failed, sum.logged, sum.queued, sum.dropped], [2, 1, 1, 1, 1]);
  assert.equal(S.pctText(sum.rate), "66.7%");
  assert.equal(S.pctText(null), "—");
});

test("/manage 短信提醒: the delivery rate leaves logged texts out, and the note says why", () => {
  assert.equal(S.deliveryRate(0, 0), null);
  assert.equal(S.deliveryRate(9, 1), 90);
  assert.equal(S.deliveryRate(0, 3), 0);
  assert.equal(S.figuresNote({ sent: 0, failed: 0, logged: 4 }, "log"), "sms_logged_only");
  assert.equal(S.figuresNote({ sent: 0, failed: 0, logged: 0 }, "log"), "sms_logged_only");
  assert.equal(S.figuresNote({ sent: 3, failed: 0, logged: 2 }, "http"), "sms_logged_some");
  assert.equal(S.figuresNote({ sent: 0, failed: 0, logged: 0 }, "http"), "sms_none");
  assert.equal(S.figuresNote({ sent: 5, failed: 1, logged: 0 }, "http"), null);
});

test("/manage 短信提醒: failures are listed newest first; other statuses are not", () => {
  const list = S.failures([msg("failed", "2026-12-08T01:00:00Z", { reason: "HTTP 503: busy" }), msg("sent", "2026-12-08T02:00:00Z"),
    msg("failed", "2026-12-08T03:00:00Z")]);
  assert.deepEqual(list.map((m) => m.created_at), ["2026-12-08T03:00:00Z", "2026-12-08T01:00:00Z"]);
  assert.equal(list[1].reason, "HTTP 503: busy");
});

test("/manage 短信提醒: the range is checked before it is asked for", () => {
  assert.deepEqual(S.rangeQuery({ from: "2026-12-01", to: "2026-12-08" }), { ok: true, query: "from=2026-12-01&to=2026-12-08" });
  assert.deepEqual(S.rangeQuery({ from: "", to: "2026-12-08" }), { ok: false, error: "sms_err_date" });
  assert.deepEqual(S.rangeQuery({ from: "2026-12-09", to: "2026-12-08" }), { ok: false, error: "sms_err_order" });
  assert.deepEqual(S.rangeQuery({ from: "2026-01-01", to: "2026-12-08" }), { ok: false, error: "sms_err_long" });
  assert.equal(S.rangeQuery({ from: "2026-09-08", to: "2026-12-08" }).ok, true); // 92 days
});

test("/manage 短信提醒: the test number is checked as the server does, and each answer has its message", () => {
  assert.deepEqual(S.testPhone(" 138-0013 8000 "), { ok: true, phone: "13800138000" });
  assert.deepEqual(S.testPhone("+8613800138000"), { ok: true, phone: "13800138000" });
  for (const bad of ["", "1380013800", "23800138000", "138001380001", "1380013800x"]) {
    assert.deepEqual(S.testPhone(bad), { ok: false, error: "sms_test_bad_phone" }, bad);
  }
  assert.equal(SMS_TEXT.zh.sms_test_bad_phone, "手机号应为以 1 开头的 11 位数字");
  assert.deepEqual(S.testOutcome({ status: "sent", phone: "138****8000" }),
    { level: "ok", key: "sms_test_sent", values: { phone: "138****8000", reason: "", provider: "" } });
  assert.equal(S.testOutcome({ status: "logged" }).key, "sms_test_logged");
  assert.match(SMS_TEXT.zh.sms_test_logged, /日志模式，未实际发送/);
  assert.deepEqual(S.testOutcome({ status: "failed", reason: "HTTP 503: busy" }),
    { level: "error", key: "sms_test_failed", values: { phone: "", reason: "HTTP 503: busy", provider: "" } });
  assert.equal(S.testOutcome({ status: "failed" }).key, "sms_test_failed_plain");
  assert.equal(S.testOutcome({}).level, "error");
});

test("/manage 短信提醒: the stats route's days fill the whole range, its failures come newest first", () => {
  const view = S.statsView({
    days: [{ day: "2026-12-08", sent: 3, failed: 1, logged: 0, dropped: 0, queued: 0, delivery_rate: 75 }],
    total: { sent: 3, failed: 1, logged: 0, dropped: 0, queued: 0, delivery_rate: 75 },
    // The route's failures carry no status: every one of them failed.
    failures: [{ id: "a1", kind: "called", phone: "138****0001", reason: "a", attempts: 5, created_at: "2026-12-08T01:00:00Z" },
      { id: "b2", kind: "called", phone: "138****0002", reason: "b", attempts: 5, created_at: "2026-12-08T02:00:00Z" }],
  }, { from: "2026-12-07", to: "2026-12-08" });
  assert.deepEqual(view.days.map((d) => [d.day, d.sent, d.failed, d.rate]), [["2026-12-07", 0, 0, null], ["2026-12-08", 3, 1, 75]]);
  assert.deepEqual([view.total.sent, view.total.failed, view.total.rate], [3, 1, 75]);
  assert.deepEqual(view.failures.map((f) => f.reason), ["b", "a"]);
  const counted = S.messagesView([msg("sent", "2026-12-08T01:00:00Z"), msg("failed", "2026-12-08T02:00:00Z", { reason: "x" })],
    { from: "2026-12-08", to: "2026-12-08" });
  assert.deepEqual([counted.total.sent, counted.total.failed, counted.total.rate, counted.failures.length], [1, 1, 50, 1]);
});

test("/manage 短信提醒: a call, a completed case or a booking reads figures covering today again", () => {
  assert.equal(S.refreshesFigures({ type: "ticket.called" }, { to: "2026-12-08" }, "2026-12-08"), true);
  assert.equal(S.refreshesFigures({ type: "case.completed" }, { to: "2026-12-09" }, "2026-12-08"), true);
  assert.equal(S.refreshesFigures({ type: "ticket.called" }, { to: "2026-12-07" }, "2026-12-08"), false);
  assert.equal(S.refreshesFigures({ type: "ticket.issued" }, { to: "2026-12-08" }, "2026-12-08"), false);
  assert.equal(S.refreshesFigures({ type: "ticket.called" }, null, "2026-12-08"), false);
  assert.equal(S.refreshesFigures(null, { to: "2026-12-08" }, "2026-12-08"), false);
});
