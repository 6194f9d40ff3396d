// @ts-check
// 「办不成事」反映 (/m/feedback): the pure rules of the short form.

import { feedbackTranslator } from "./feedback_i18n.js";

/** @typedef {{ kind: "cannot_do", description: string, phone?: string, matter?: string }} Report */

export const MAX_DESCRIPTION = 500;
const PHONE = /^1\d{10}$/;

/**
 * Return the body to send, trimmed; an empty phone or no matter is left out.
 * @param {{ description?: string, phone?: string, matter?: string | null }} form
 * @returns {Report}
 */
export function reportBody({ description, phone, matter }) {
  /** @type {Report} */
  const body = { kind: "cannot_do", description: String(description || "").trim() };
  const p = String(phone || "").replace(/\s+/g, "");
  if (p) body.phone = p;
  if (matter) body.matter = matter;
  return body;
}

/**
 * Check the form before sending it; return a message to show, or "".
 * @param {{ description: string, phone?: string }} body
 * @param {string} [lang]
 */
export function checkReport(body, lang = "zh") {
  const t = feedbackTranslator(lang);
  if (!body.description) return t("f_err_empty");
  if ([...body.description].length > MAX_DESCRIPTION) return t("f_err_long", { n: MAX_DESCRIPTION });
  if (body.phone !== undefined && !PHONE.test(body.phone)) return t("f_err_phone");
  return "";
}

/**
 * Return the counter under the text box, e.g. "还可以写 480 字".
 * @param {string | null | undefined} description
 * @param {string} [lang]
 */
export function counterText(description, lang = "zh") {
  const t = feedbackTranslator(lang);
  const left = MAX_DESCRIPTION - [...String(description || "")].length;
  return left >= 0 ? t("f_left", { n: left }) : t("f_over", { n: -left });
}

/**
 * Return the matters worth offering for a search, at most n, handled here or not.
 * @param {{ matters?: { code: string, name: string }[] } | null | undefined} answer
 * @param {number} [n]
 */
export function matterChoices(answer, n = 6) {
  return ((answer && answer.matters) || []).slice(0, n).map((m) => ({ code: m.code, name: m.name }));
}
