// 「办不成事」反映 (/m/feedback): the pure rules of the short form.

export const MAX_DESCRIPTION = 500;
const PHONE = /^1\d{10}$/;

/** Return the body to send, trimmed; an empty phone or no matter is left out. */
export function reportBody({ description, phone, matter }) {
  const body = { kind: "cannot_do", description: String(description || "").trim() };
  const p = String(phone || "").replace(/\s+/g, "");
  if (p) body.phone = p;
  if (matter) body.matter = matter;
  return body;
}

/** Check the form before sending it; return a message to show, or "". */
export function checkReport(body) {
  if (!body.description) return "请写下遇到的问题";
  if ([...body.description].length > MAX_DESCRIPTION) return `问题描述不能超过 ${MAX_DESCRIPTION} 字`;
  if (body.phone !== undefined && !PHONE.test(body.phone)) return "手机号码应为 11 位数字，以 1 开头";
  return "";
}

/** Return the counter under the text box, e.g. "还可以写 480 字". */
export function counterText(description) {
  const left = MAX_DESCRIPTION - [...String(description || "")].length;
  return left >= 0 ? `还可以写 ${left} 字` : `超出 ${-left} 字`;
}

/** Return the matters worth offering for a search, at most n, handled here or not. */
export function matterChoices(answer, n = 6) {
  return ((answer && answer.matters) || []).slice(0, n).map((m) => ({ code: m.code, name: m.name }));
}
