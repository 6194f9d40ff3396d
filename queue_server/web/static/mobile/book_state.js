// @ts-check
// /m/book's state: a pure (state, message) → state function, plus the labels and checks it shows.

import { makeI18n } from "../common/i18n.js";
import { LANG_KEY } from "./i18n.js";

/** @typedef {import("../types/api").components["schemas"]} Schemas */
/** @typedef {{ code: string, name: string, category: string }} Service */
/** @typedef {{ day: string, available: number }} Day */

/**
 * The booking page's state.
 * @typedef {object} BookState
 * @property {string} step one of STEPS
 * @property {Service[]} services
 * @property {Service | null} service
 * @property {Day[]} days
 * @property {string | null} day
 * @property {Schemas["SlotPublic"][]} slots
 * @property {Schemas["SlotPublic"] | null} slot
 * @property {Schemas["AppointmentPublic"] | null} appointment
 * @property {string} error
 */

export const STEPS = ["service", "day", "slot", "form", "done"];
/** @type {Record<string, string[]>} */
const WEEK = { zh: ["周日", "周一", "周二", "周三", "周四", "周五", "周六"], en: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] };

/** @type {import("../common/i18n.js").TextTable} */
export const BOOK_TEXT = {
  zh: {
    title: "预约办事", choose_service: "1. 选择要办的业务", choose_day: "2. 选择日期", choose_slot: "3. 选择时段",
    your_details: "4. 填写姓名和手机号", name: "姓名", phone: "手机号", submit: "确认预约", back: "‹ 返回上一步",
    your_code: "您的预约码", manage: "查看或取消预约", cancel: "取消预约",
    how: "请在预约时段开始前 30 分钟内到大厅，在取号机上点「我有预约」，输入或扫描这 6 位数字取号。",
    keep: "请截图保存本页。以后打开下面的链接可以查看或取消预约。",
    step_service: "业务", step_day: "日期", step_slot: "时段", step_form: "信息", step_done: "完成",
    left: "剩 {n} 个", full: "已约满", no_days: "近期没有可预约的日期，请直接到大厅取号。", off: "本中心暂未开放预约。",
    extra: "（预约专场）", name_missing: "请填写姓名。", phone_bad: "手机号应为 11 位数字，以 1 开头。",
    status_booked: "预约成功", status_cancelled: "预约已取消", status_used: "已签到取号", status_missed: "预约已过期（未到）",
    confirm_cancel: "确定要取消这个预约吗？",
  },
  en: {
    title: "Book an appointment", choose_service: "1. Choose a service", choose_day: "2. Choose a day", choose_slot: "3. Choose a time",
    your_details: "4. Your name and phone", name: "Name", phone: "Mobile phone", submit: "Book", back: "‹ Back",
    your_code: "Your appointment code", manage: "View or cancel", cancel: "Cancel the appointment",
    how: "Come to the hall up to 30 minutes before your time, tap 「我有预约」 on the kiosk and type or scan these 6 digits.",
    keep: "Take a screenshot of this page. The link below shows or cancels the appointment.",
    step_service: "Service", step_day: "Day", step_slot: "Time", step_form: "Details", step_done: "Done",
    left: "{n} left", full: "Full", no_days: "No day can be booked soon; please take a ticket in the hall.", off: "Booking is not open.",
    extra: " (appointments only)", name_missing: "Please enter your name.", phone_bad: "A mobile number has 11 digits and starts with 1.",
    status_booked: "Booked", status_cancelled: "Cancelled", status_used: "Checked in", status_missed: "Missed",
    confirm_cancel: "Cancel this appointment?",
  },
};

const book = makeI18n(BOOK_TEXT, LANG_KEY);
/** Return a translator for a language: key and {placeholders} → text. */
export const bookTranslator = book.translator;
/** Translate the page's fixed [data-bk] text. */
export const applyBookStatic = book.applyStatic;

/**
 * Return the starting state.
 * @returns {BookState}
 */
export function initial() {
  return { step: "service", services: [], service: null, days: [], day: null, slots: [], slot: null, appointment: null, error: "" };
}

/**
 * Apply one message and return the new state.
 * @param {BookState} state
 * @param {{ type: string, [field: string]: any }} msg
 * @returns {BookState}
 */
export function reduce(state, msg) {
  switch (msg.type) {
    case "catalog": return { ...state, services: msg.services, error: "" };
    case "service": return { ...state, step: "day", service: msg.service, days: [], day: null, slots: [], slot: null, error: "" };
    case "days": return { ...state, days: msg.days };
    case "day": return { ...state, step: "slot", day: msg.day, slots: [], slot: null, error: "" };
    case "slots": return { ...state, slots: msg.slots };
    case "slot": return { ...state, step: "form", slot: msg.slot, error: "" };
    case "booked": case "loaded": case "cancelled":
      return { ...state, step: "done", appointment: msg.appointment, error: "" };
    case "back": return STEPS.indexOf(msg.to) >= 0 && STEPS.indexOf(msg.to) < STEPS.indexOf(state.step)
      ? { ...state, step: msg.to, error: "" } : state;
    case "error": return { ...state, error: msg.message };
    default: return state;
  }
}

/**
 * Return the days from tomorrow up to daysAhead days after today (YYYY-MM-DD strings).
 * @param {string} today
 * @param {number} daysAhead
 */
export function bookableDays(today, daysAhead) {
  const out = [];
  const base = new Date(today + "T00:00:00Z");
  for (let i = 1; i <= daysAhead; i++) out.push(new Date(base.getTime() + i * 86400000).toISOString().slice(0, 10));
  return out;
}

/**
 * Label a day as 12月3日 周四.
 * @param {string} day
 * @param {string} [lang]
 */
export function dayLabel(day, lang = "zh") {
  const d = new Date(day + "T00:00:00Z");
  const week = (WEEK[lang] || WEEK.zh)[d.getUTCDay()];
  return lang === "en" ? `${week} ${d.getUTCDate()}/${d.getUTCMonth() + 1}` : `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${week}`;
}

/**
 * Label a slot by its local clock times, 09:00–09:30 (the ISO strings carry the hall's offset).
 * @param {{ start: string, end: string }} slot
 */
export function slotLabel(slot) {
  return `${slot.start.slice(11, 16)}–${slot.end.slice(11, 16)}`;
}

/**
 * Return a problem with the name and phone, or "" when they may be sent.
 * @param {string} name
 * @param {string} phone
 * @param {string} [lang]
 */
export function checkDetails(name, phone, lang = "zh") {
  const t = bookTranslator(lang);
  if (!name.trim()) return t("name_missing");
  if (!/^1\d{10}$/.test(phone.trim())) return t("phone_bad");
  return "";
}
