// @ts-check
// Texts of the 「办不成事」反映 page (/m/feedback). Chinese first; the phone pages' language comes from
// setupLang() in i18n.js (?lang=en, the header button, remembered in localStorage).

import { makeI18n } from "../common/i18n.js";
import { LANG_KEY } from "./i18n.js";

/** @type {import("../common/i18n.js").TextTable} */
export const FEEDBACK_TEXT = {
  zh: {
    f_page_title: "办不成事反映 · {hall}",
    f_title: "「办不成事」反映",
    f_intro: "在本中心办事遇到办不成、办不好的情况，请告诉我们。我们会在 {days} 个工作日内回访处理。",
    f_matter: "1. 想办什么事？（选填）",
    f_change: "换一个",
    f_q_ph: "如：残疾证、养老保险",
    f_q_aria: "搜索事项",
    f_find: "查找",
    f_none: "没有找到，可以直接在下面写明",
    f_problem: "2. 遇到了什么问题？",
    f_problem_ph: "例如：跑了两趟，说系统不通，办不了",
    f_phone: "3. 联系电话（选填，方便我们回访）",
    f_phone_ph: "11 位手机号",
    f_submit: "提交反映",
    f_thanks: "已收到您的反映，谢谢！",
    f_number: "您的反映编号",
    f_keep: "请截图或记下这个编号，回访时可以核对。",
    f_back: "返回办事指南",
    f_left: "还可以写 {n} 字",
    f_over: "超出 {n} 字",
    f_err_empty: "请写下遇到的问题",
    f_err_long: "问题描述不能超过 {n} 字",
    f_err_phone: "手机号码应为 11 位数字，以 1 开头",
  },
  en: {
    f_page_title: "Report a problem · {hall}",
    f_title: "Could not get it done?",
    f_intro: "If something could not be done, or was not done well, at this service hall, please tell us. We will get back to you within {days} working days.",
    f_matter: "1. Which matter? (optional)",
    f_change: "Change",
    f_q_ph: "e.g. 残疾证, 养老保险",
    f_q_aria: "Search for a matter",
    f_find: "Find",
    f_none: "Nothing found; just describe it below",
    f_problem: "2. What went wrong?",
    f_problem_ph: "e.g. I came twice and was told the system was down",
    f_phone: "3. Phone number (optional, so we can call you back)",
    f_phone_ph: "11-digit mobile",
    f_submit: "Send report",
    f_thanks: "Thank you, we have received your report!",
    f_number: "Your report number",
    f_keep: "Please take a screenshot or note this number; we will quote it when we contact you.",
    f_back: "Back to the guide",
    f_left: "{n} characters left",
    f_over: "{n} characters too many",
    f_err_empty: "Please describe the problem",
    f_err_long: "The description can be at most {n} characters",
    f_err_phone: "A mobile number has 11 digits and starts with 1",
  },
};

const feedback = makeI18n(FEEDBACK_TEXT, LANG_KEY);
/** Return a translator for the page's own texts, filling {name} placeholders. */
export const feedbackTranslator = feedback.translator;
/** Translate the page's fixed [data-fi18n], [data-fi18n-ph] and [data-fi18n-aria] text. */
export const applyFeedbackStatic = feedback.applyStatic;
