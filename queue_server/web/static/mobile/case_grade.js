// The case page's invitation to grade a completed case, once (POST /api/cases/{id}/evaluation).

import { api } from "/static/common/api.js";

const GRADES = [[5, "非常满意"], [4, "满意"], [3, "基本满意"], [2, "不满意"], [1, "非常不满意"]];
const $ = (id) => document.getElementById(id);
const box = $("c-grade");
const caseId = Number((document.getElementById("case") || {}).dataset?.caseId);
const token = new URLSearchParams(location.search).get("token") || "";
let timer = null;

function thanks(grade) {
  clearInterval(timer);
  box.hidden = false;
  $("c-grade-ask").hidden = true;
  $("c-grade-thanks").hidden = false;
  $("c-grade-thanks").textContent = grade <= 2
    ? "谢谢您的评价。我们会在几个工作日内回访，了解哪里没做好。" : "谢谢您的评价！";
}

async function check() {
  let state;
  try { state = await api(`/api/cases/${caseId}/evaluation?token=${encodeURIComponent(token)}`); } catch (e) { return; }
  if (state.evaluation) { thanks(state.evaluation.grade); return; }
  box.hidden = !state.can_evaluate;
  if (state.can_evaluate) clearInterval(timer);
}

async function send(grade) {
  const comment = $("c-grade-comment").value.trim();
  try {
    await api(`/api/cases/${caseId}/evaluation`, { method: "POST", body: { token, grade, ...(comment ? { comment } : {}) } });
    thanks(grade);
  } catch (e) {
    if (e.code === "already_evaluated") { thanks(5); return; }
    $("c-grade-error").hidden = false;
    $("c-grade-error").textContent = e.message;
  }
}

if (box && caseId && token) {
  $("c-grades").replaceChildren(...GRADES.map(([g, label]) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = `btn grade g${g}`;
    b.dataset.grade = String(g);
    b.textContent = label;
    b.addEventListener("click", () => send(g));
    return b;
  }));
  check();
  // The page stays open while a case is completed: look again now and then until it can be graded.
  timer = setInterval(check, 20000);
}
