// @ts-check
// The case page's invitation to grade a completed case, once (POST /api/cases/{id}/evaluation).

import { api } from "../common/api.js";
import { $, draw, html } from "../common/dom.js";

/** @typedef {import("../types/api").components["schemas"]} Schemas */

const GRADES = [[5, "非常满意"], [4, "满意"], [3, "基本满意"], [2, "不满意"], [1, "非常不满意"]];
const box = document.getElementById("c-grade");
const caseId = Number((document.getElementById("case") || document.body).dataset.caseId);
const token = new URLSearchParams(location.search).get("token") || "";
/** @type {ReturnType<typeof setInterval> | undefined} */
let timer;

/** @param {number} grade */
function thanks(grade) {
  clearInterval(timer);
  if (box) box.hidden = false;
  $("c-grade-ask").hidden = true;
  $("c-grade-thanks").hidden = false;
  $("c-grade-thanks").textContent = grade <= 2
    ? "谢谢您的评价。我们会在几个工作日内回访，了解哪里没做好。" : "谢谢您的评价！";
}

async function check() {
  /** @type {Schemas["CaseEvaluationState"]} */
  let state;
  try { state = await api(`/api/cases/${caseId}/evaluation?token=${encodeURIComponent(token)}`); } catch (e) { return; }
  if (state.evaluation) { thanks(state.evaluation.grade); return; }
  if (box) box.hidden = !state.can_evaluate;
  if (state.can_evaluate) clearInterval(timer);
}

/** @param {number} grade */
async function send(grade) {
  const comment = $("c-grade-comment", HTMLInputElement).value.trim();
  try {
    await api(`/api/cases/${caseId}/evaluation`, { method: "POST", body: { token, grade, ...(comment ? { comment } : {}) } });
    thanks(grade);
  } catch (e) {
    const err = /** @type {import("../common/api.js").ApiError} */ (e);
    if (err.code === "already_evaluated") { thanks(5); return; }
    $("c-grade-error").hidden = false;
    $("c-grade-error").textContent = err.message;
  }
}

if (box && caseId && token) {
  draw($("c-grades"), GRADES.map(([g, label]) => html`<button type="button" class="btn grade g${g}" data-grade=${g}
    @click=${() => send(Number(g))}>${label}</button>`));
  check();
  // The page stays open while a case is completed: look again now and then until it can be graded.
  timer = setInterval(check, 20000);
}
