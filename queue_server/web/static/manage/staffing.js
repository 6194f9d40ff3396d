// @ts-check
// The 排班建议 (staffing advice) section of /manage: the form, the chart, the advice and how far to trust it.

import { api } from "../common/api.js";
import { $, draw, html, nothing, repeat } from "../common/dom.js";
import { chart, pairOption } from "./charts.js";
import { basis, chartItems, poolRows, staffingQuery, trust } from "./staffing_state.js";

/** @typedef {import("../types/api").components["schemas"]} Schemas */
/** @typedef {import("../common/i18n.js").Translate} Translate */
/** @typedef {{ lang: () => string, t: () => Translate }} Context */

/** @type {Context | null} */
let ctx = null;
/** @type {Schemas["StaffingAdvice"] | null} */
let answer = null;
let asked = 0;

/** The form's fields. */
function fields() {
  const form = $("staffing-form", HTMLFormElement);
  const el = (/** @type {string} */ name) => /** @type {HTMLInputElement | HTMLSelectElement} */ (form.elements.namedItem(name));
  return { form, weekday: /** @type {HTMLSelectElement} */ (el("weekday")), weeks: el("weeks"), wait: el("wait"), pct: el("pct") };
}

/**
 * Wire the section and load it for the weekday the server picks (today's).
 * @param {Context} context
 */
export function initStaffing(context) {
  ctx = context;
  if (!document.getElementById("staffing-form")) return;
  const { form, weekday } = fields();
  form.addEventListener("submit", (ev) => { ev.preventDefault(); loadStaffing(); });
  weekday.addEventListener("change", () => loadStaffing());
  loadStaffing(true);
}

/** @param {boolean} [first] the first load leaves the weekday to the server */
async function loadStaffing(first = false) {
  if (!ctx) return;
  const t = ctx.t();
  const f = fields();
  const checked = staffingQuery({ weekday: first ? "" : f.weekday.value, weeks: f.weeks.value, wait: f.wait.value, pct: f.pct.value });
  const error = $("staffing-error");
  if (!checked.ok) {
    error.textContent = t(checked.error);
    return;
  }
  error.textContent = Number(f.pct.value) >= 100 ? t("s_high_pct") : "";
  const mine = ++asked; // a later question's answer wins over an earlier one still on its way
  try {
    /** @type {Schemas["StaffingAdvice"]} */
    const a = await api(`/api/stats/staffing?${checked.query}`);
    if (mine !== asked) return;
    answer = a;
    f.weekday.value = String(a.weekday);
    renderStaffing();
  } catch (e) {
    if (mine === asked) error.textContent = t("s_failed", { msg: /** @type {Error} */ (e).message });
  }
}

/** Draw the section from the last answer in the current language. */
export function renderStaffing() {
  if (!answer || !ctx) return;
  const t = ctx.t();
  const a = answer;
  const wd = t(`s_wd_${a.weekday}`);
  const span = basis(a.days);
  $("staffing-basis").textContent = span ? t("s_basis", { ...span, wd }) : t("s_basis_none", { wd });
  const trusted = trust(a.backtest);
  const box = $("staffing-trust");
  box.dataset.level = trusted.level;
  draw(box, html`<div class="label">${t("s_trust_title")}</div>
    <div class="value">${trusted.level === "none" ? "—" : trusted.pct}<small>${t(`s_trust_${trusted.level}`)}</small></div>
    <div class="sub">${trusted.level === "none" ? t("s_trust_empty", { wd })
      : t("s_trust_detail", { wd, p: trusted.pct, d: a.backtest.days })}</div>`);
  draw($("staffing-advice"), a.advice.length
    ? repeat(a.advice, (line) => line, (line) => html`<li>${line}</li>`)
    : html`<li class="none">${span ? t("s_advice_none") : t("s_basis_none", { wd })}</li>`);
  chart($("chart-staffing"), pairOption(chartItems(a.intervals), { label: t("s_cap_chart"), emptyText: t("chart_empty"),
    neededName: t("s_needed"), openName: t("s_open"), arrivalsName: t("s_arrivals") }));
  const pools = poolRows(a.pools);
  draw($("staffing-pool-list"), repeat(pools, (p) => p.key, (p) => html`<div class="pool" data-pool=${p.key}>
      <h4>${t("s_pool_name", { w: p.windows })}${p.name ? html` · ${p.name}` : nothing}</h4>
      ${p.advice.length ? html`<ul>${repeat(p.advice, (line) => line, (line) => html`<li>${line}</li>`)}</ul>`
        : html`<p class="none">${t("s_pool_none")}</p>`}</div>`));
}
