// @ts-check
// Evaluation pad texts: Chinese first, English on request (?lang=en or the corner button); the choice is remembered.
// Same pattern as the phone pages (static/mobile/i18n.js), with the pad's own table and key.

import { localName, makeI18n, otherLang, pickLang } from "../common/i18n.js";

export const LANG_KEY = "hall.lang.pad";

/** @type {import("../common/i18n.js").TextTable} */
export const TEXT = {
  zh: {
    page_title: "{n} 号窗口 · 服务评价",
    conn_lost: "网络连接中断，正在重连…",
    setup_title: "{n} 号窗口评价器",
    setup_text: "本设备尚未登记。请管理员在“设备管理”中为 {n} 号窗口添加评价器，",
    setup_url: "并用带令牌的地址打开本页：/pad/{n}#token=…",
    win_pre: "",
    win_post: " 号窗口",
    win_title: "{n} 号窗口",
    clerk: "工作人员：{name}",
    ws_closed: "本窗口暂停服务",
    ws_paused: "本窗口暂停叫号，请稍候",
    ws_open: "欢迎您，请到窗口办理",
    foot: "办事群众请在办结后对本次服务进行评价 · 好差评",
    prompt_title: "请对本次服务进行评价",
    ticket_label: "号码",
    g5: "非常满意", g4: "满意", g3: "基本满意", g2: "不满意", g1: "非常不满意",
    chose_pre: "您选择了「",
    chose_post: "」",
    reason_hint: "请告诉我们哪方面需要改进（可多选）",
    r_attitude: "态度", r_speed: "效率", r_procedure: "流程", r_other: "其他",
    back: "重新选择",
    submit: "提交评价",
    thanks: "感谢您的评价！",
    thanks_sub: "祝您生活愉快",
    expired_title: "谢谢您",
    expired_sub: "评价时间已过",
    error_title: "提交没有成功，请再选一次",
    m_already: "本次服务已经评价过了",
    m_expired: "评价时间已过，谢谢您",
    m_failed: "提交失败，请重试",
    m_network: "网络连接失败，请重试",
    lang_aria: "English / 中文",
  },
  en: {
    page_title: "Window {n} · Rate our service",
    conn_lost: "Connection lost, reconnecting…",
    setup_title: "Evaluation pad for window {n}",
    setup_text: "This device is not registered. An administrator adds a pad for window {n} under Devices,",
    setup_url: "then opens this page with its token: /pad/{n}#token=…",
    win_pre: "Window ",
    win_post: "",
    win_title: "Window {n}",
    clerk: "Clerk: {name}",
    ws_closed: "This window is not serving now",
    ws_paused: "Calls are paused at this window; please wait",
    ws_open: "Welcome! Please come to the window",
    foot: "When your business is done, please rate our service",
    prompt_title: "Please rate our service",
    ticket_label: "Ticket",
    g5: "Very satisfied", g4: "Satisfied", g3: "Acceptable", g2: "Dissatisfied", g1: "Very dissatisfied",
    chose_pre: "You chose \"",
    chose_post: "\"",
    reason_hint: "What should we improve? (choose one or more)",
    r_attitude: "Attitude", r_speed: "Speed", r_procedure: "Procedure", r_other: "Other",
    back: "Choose again",
    submit: "Submit",
    thanks: "Thank you for your rating!",
    thanks_sub: "Have a nice day",
    expired_title: "Thank you",
    expired_sub: "The time to rate has passed",
    error_title: "That did not go through. Please choose again",
    m_already: "This service has already been rated",
    m_expired: "The time to rate has passed. Thank you",
    m_failed: "Sending failed. Please try again",
    m_network: "Network error. Please try again",
    lang_aria: "中文 / English",
  },
};

const shared = makeI18n(TEXT, LANG_KEY);
export const { translator, loadLang, saveLang, applyStatic } = shared;
export { localName, otherLang, pickLang };
