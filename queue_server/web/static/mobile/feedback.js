// /m/feedback: 「办不成事」反映 — pick the matter from the guide, describe it, keep the number.

import { api } from "/static/common/api.js";
import { setupLang } from "./i18n.js";
import { feedbackTranslator } from "./feedback_i18n.js";
import { checkReport, counterText, matterChoices, reportBody } from "./feedback_state.js";

const { lang } = setupLang();
const ft = feedbackTranslator(lang);
const $ = (id) => document.getElementById(id);

for (const el of document.querySelectorAll("[data-fi18n]")) el.textContent = ft(el.dataset.fi18n, el.dataset);
for (const el of document.querySelectorAll("[data-fi18n-ph]")) el.placeholder = ft(el.dataset.fi18nPh);
for (const el of document.querySelectorAll("[data-fi18n-aria]")) el.setAttribute("aria-label", ft(el.dataset.fi18nAria));
document.title = ft("f_page_title", { hall: document.querySelector("h1[data-hall]").dataset.hall });
let matter = null;
let latest = 0;

function showMatter() {
  $("fb-chosen").hidden = !matter;
  $("fb-search").hidden = !!matter;
  $("fb-chosen-name").textContent = matter ? matter.name : "";
  if (matter) $("fb-matters").replaceChildren();
}

async function find() {
  const q = $("fb-q").value.trim();
  if (!q) return;
  const mine = ++latest;
  let answer;
  try { answer = await api(`/api/guide?q=${encodeURIComponent(q)}`); } catch (e) { return; }
  if (mine !== latest) return; // a newer search has been sent
  const choices = matterChoices(answer);
  $("fb-matters").replaceChildren(...(choices.length ? choices.map((m) => {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = m.name;
    b.dataset.matter = m.code;
    b.addEventListener("click", () => { matter = m; showMatter(); });
    li.append(b);
    return li;
  }) : [Object.assign(document.createElement("li"), { textContent: ft("f_none") })]));
}

async function submit(ev) {
  ev.preventDefault();
  const body = reportBody({ description: $("fb-description").value, phone: $("fb-phone").value, matter: matter && matter.code });
  const problem = checkReport(body, lang);
  const err = $("fb-error");
  err.hidden = !problem;
  err.textContent = problem;
  if (problem) return;
  $("fb-submit").disabled = true;
  try {
    const item = await api("/api/feedback", { method: "POST", body });
    try { localStorage.setItem("hall.feedback.last", item.number); } catch (e) { /* private mode */ }
    $("fb-number").textContent = item.number;
    $("fb-form").hidden = true;
    $("fb-done").hidden = false;
    window.scrollTo(0, 0);
  } catch (e) {
    err.hidden = false;
    err.textContent = e.message;
  } finally {
    $("fb-submit").disabled = false;
  }
}

$("fb-find").addEventListener("click", find);
$("fb-q").addEventListener("keydown", (ev) => { if (ev.key === "Enter") { ev.preventDefault(); find(); } });
$("fb-change").addEventListener("click", () => { matter = null; showMatter(); $("fb-q").focus(); });
$("fb-description").addEventListener("input", () => { $("fb-counter").textContent = counterText($("fb-description").value, lang); });
$("fb-form").addEventListener("submit", submit);
$("fb-counter").textContent = counterText($("fb-description").value, lang);
