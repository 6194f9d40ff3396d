// @ts-check
// /m/feedback: 「办不成事」反映 — pick the matter from the guide, describe it, keep the number.

import { api } from "../common/api.js";
import { $, draw, html, query, repeat } from "../common/dom.js";
import { setupLang } from "./i18n.js";
import { applyFeedbackStatic, feedbackTranslator } from "./feedback_i18n.js";
import { checkReport, counterText, matterChoices, reportBody } from "./feedback_state.js";

/** @typedef {{ code: string, name: string }} Matter */

const { lang } = setupLang();
const ft = feedbackTranslator(lang);

applyFeedbackStatic(document, lang, "fi18n");
document.title = ft("f_page_title", { hall: (query("h1[data-hall]") || document.body).dataset.hall });
/** @type {Matter | null} */
let matter = null;
let latest = 0;
const description = $("fb-description", HTMLTextAreaElement);

/** @param {Matter | null} chosen */
function choose(chosen) {
  matter = chosen;
  $("fb-chosen").hidden = !matter;
  $("fb-search").hidden = !!matter;
  $("fb-chosen-name").textContent = matter ? matter.name : "";
  if (matter) draw($("fb-matters"), []);
}

async function find() {
  const q = $("fb-q", HTMLInputElement).value.trim();
  if (!q) return;
  const mine = ++latest;
  let answer;
  try { answer = await api(`/api/guide?q=${encodeURIComponent(q)}`); } catch (e) { return; }
  if (mine !== latest) return; // a newer search has been sent
  const choices = matterChoices(answer);
  draw($("fb-matters"), choices.length ? repeat(choices, (m) => m.code, (m) => html`<li><button type="button"
    data-matter=${m.code} @click=${() => choose(m)}>${m.name}</button></li>`) : html`<li>${ft("f_none")}</li>`);
}

/** @param {SubmitEvent} ev */
async function submit(ev) {
  ev.preventDefault();
  const body = reportBody({ description: description.value, phone: $("fb-phone", HTMLInputElement).value, matter: matter && matter.code });
  const problem = checkReport(body, lang);
  const err = $("fb-error");
  err.hidden = !problem;
  err.textContent = problem;
  if (problem) return;
  const send = $("fb-submit", HTMLButtonElement);
  send.disabled = true;
  try {
    /** @type {import("../types/api").components["schemas"]["FeedbackPublic"]} */
    const item = await api("/api/feedback", { method: "POST", body });
    try { localStorage.setItem("hall.feedback.last", item.number); } catch (e) { /* private mode */ }
    $("fb-number").textContent = item.number;
    $("fb-form").hidden = true;
    $("fb-done").hidden = false;
    window.scrollTo(0, 0);
  } catch (e) {
    err.hidden = false;
    err.textContent = /** @type {Error} */ (e).message;
  } finally {
    send.disabled = false;
  }
}

$("fb-find").addEventListener("click", find);
$("fb-q").addEventListener("keydown", (ev) => { if (ev.key === "Enter") { ev.preventDefault(); find(); } });
$("fb-change").addEventListener("click", () => { choose(null); $("fb-q").focus(); });
description.addEventListener("input", () => { $("fb-counter").textContent = counterText(description.value, lang); });
$("fb-form").addEventListener("submit", submit);
$("fb-counter").textContent = counterText(description.value, lang);
