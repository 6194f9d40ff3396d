// @ts-check
// /m: check the hall pass, choose a category and a service, and take a ticket.

import { api } from "../common/api.js";
import { $, draw, html, nothing, repeat } from "../common/dom.js";
import { hallKey, hallUrl } from "../common/hall.js";
import { iconUrl, serviceIcon } from "../common/icons.js";
import { setupLang, localName } from "./i18n.js";
import { activeEntry, etaText, servesNow, takeBody } from "./state.js";
import * as store from "./store.js";

/** @typedef {import("../types/api").components["schemas"]} Schemas */

const { lang, t } = setupLang();
const params = new URLSearchParams(location.search);
const hallPass = params.get("pass") || "";
/** @type {Schemas["Catalog"] | null} */
let catalog = null;
/** @type {string | null} */
let idemKey = null;

if (hallPass) {
  try { sessionStorage.setItem(hallKey("hall.pass"), hallPass); } catch (e) { /* ignore */ }
}

/**
 * Return "N waiting · estimate" for a service or a category (whose windows are its services').
 * @param {{ waiting: number, eta_minutes: number, windows?: number[], services?: { windows?: number[] }[] }} item
 */
function figures(item) {
  const numbers = item.windows || (item.services || []).flatMap((s) => s.windows || []);
  const notOpen = servesNow(catalog ? catalog.windows : [], numbers) === false;
  return `${t("waiting_n", { n: item.waiting })} · ${t(...etaText(item.eta_minutes, item.waiting, notOpen))}`;
}

/**
 * One big choice: its pictogram (for residents who read little), a name and its figures.
 * @param {string | null} icon the pictogram's URL
 * @param {string} title
 * @param {string} sub
 * @param {() => void} onClick
 */
function choice(icon, title, sub, onClick) {
  return html`<li><button type="button" class=${icon ? "choice with-icon" : "choice"} @click=${onClick}>${icon
    ? html`<img class="choice-icon" src=${icon} alt="" width="48" height="48">` : nothing}<span class="choice-text"><span
    class="choice-name">${title}</span><span class="choice-fig">${sub}</span></span></button></li>`;
}

/** @param {string} id */
function showOnly(id) {
  for (const s of ["step-category", "step-service", "step-confirm", "pass-problem"]) $(s).hidden = s !== id;
  $("loading").hidden = true;
  window.scrollTo(0, 0);
}

/** @param {string | null} code */
function findService(code) {
  for (const c of catalog ? catalog.categories : []) {
    const s = c.services.find((x) => x.code === code);
    if (s) return { category: c, service: s };
  }
  return null;
}

function render() {
  if (!catalog) return;
  const h = new URLSearchParams(location.hash.slice(1));
  const cat = h.get("cat") && catalog.categories.find((c) => c.code === h.get("cat"));
  const svc = h.get("svc") && findService(h.get("svc"));
  if (svc) {
    const take = $("take", HTMLButtonElement);
    $("confirm-title").textContent = `${svc.category.code} · ${localName(svc.service, lang)}`;
    const icon = $("confirm-icon", HTMLImageElement);
    const url = serviceIcon(svc.service, svc.category);
    icon.hidden = !url;
    if (url) icon.src = url;
    $("confirm-figures").textContent = figures(svc.service);
    $("take-error").hidden = true;
    take.disabled = false;
    take.textContent = t("take");
    take.dataset.service = svc.service.code;
    idemKey = "m-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
    showOnly("step-confirm");
  } else if (cat) {
    $("service-title").textContent = `${cat.code} · ${localName(cat, lang)}`;
    draw($("services"), repeat(cat.services, (s) => s.code, (s) =>
      choice(serviceIcon(s, cat), localName(s, lang), figures(s), () => { location.hash = "svc=" + s.code; })));
    showOnly("step-service");
  } else {
    draw($("categories"), repeat(catalog.categories, (c) => c.code, (c) =>
      choice(iconUrl(c.icon), `${c.code}  ${localName(c, lang)}`, figures(c), () => { location.hash = "cat=" + c.code; })));
    showOnly("step-category");
  }
}

/** @param {string} reason */
function passProblem(reason) {
  if (reason === "off") {
    $("pass-title").textContent = t("pass_off_title");
    $("pass-text").textContent = t("pass_off");
  } else {
    $("pass-title").textContent = t("pass_title");
    $("pass-text").textContent = t("pass_" + (["expired", "invalid"].includes(reason) ? reason : "missing"));
  }
  $("pass-problem").dataset.reason = reason;
  showOnly("pass-problem");
}

async function take() {
  const err = $("take-error");
  const btn = $("take", HTMLButtonElement);
  const checked = takeBody({ service: btn.dataset.service || "", pass: hallPass, phone: $("phone", HTMLInputElement).value,
    sms: $("sms-optin", HTMLInputElement).checked });
  if (!checked.ok) {
    err.textContent = t(checked.error);
    err.dataset.code = checked.error;
    err.hidden = false;
    $("phone").focus();
    return;
  }
  const body = checked.body;
  btn.disabled = true;
  btn.textContent = t("taking");
  err.hidden = true;
  try {
    /** @type {Schemas["TicketPublic"]} */
    const tk = await api("/api/tickets", { method: "POST", body, headers: { "Idempotency-Key": idemKey || "" } });
    store.keep({ id: tk.id, token: tk.token || "", number: tk.number, status: tk.status,
      day: String(tk.issued_at).slice(0, 10), service_name: tk.service_name });
    location.href = hallUrl(`/m/t/${tk.id}?token=${encodeURIComponent(tk.token || "")}`);
  } catch (e) {
    const error = /** @type {import("../common/api.js").ApiError} */ (e);
    err.textContent = error.message;
    err.dataset.code = error.code || "";
    err.hidden = false;
    btn.disabled = false;
    btn.textContent = t("take");
  }
}

function showMine() {
  const mine = activeEntry(store.tickets(), store.hallToday());
  if (!mine) return;
  const a = $("mine-link", HTMLAnchorElement);
  a.href = hallUrl(`/m/t/${mine.id}?token=${encodeURIComponent(mine.token)}`);
  a.textContent = `${mine.number}${mine.service_name ? " · " + mine.service_name : ""}`;
  $("mine").hidden = false;
}

async function main() {
  $("take").addEventListener("click", take);
  // A refusal of the number goes once the number or the box changes: it no longer says what is there.
  for (const id of ["phone", "sms-optin"]) $(id).addEventListener("input", () => { $("take-error").hidden = true; });
  $("back-category").addEventListener("click", () => { location.hash = ""; });
  $("back-service").addEventListener("click", () => {
    const s = findService(new URLSearchParams(location.hash.slice(1)).get("svc"));
    location.hash = s ? "cat=" + s.category.code : "";
  });
  showMine();
  /** @type {Schemas["PassCheck"]} */
  let check;
  try {
    [check, catalog] = await Promise.all([
      api("/api/hall-pass/check" + (hallPass ? "?pass=" + encodeURIComponent(hallPass) : "")),
      api("/api/catalog"),
    ]);
  } catch (e) {
    $("loading").textContent = /** @type {Error} */ (e).message;
    return;
  }
  if (!check.valid) { passProblem(check.reason); return; }
  const preset = params.get("service");
  if (preset && !location.hash && findService(preset)) location.hash = "svc=" + preset;
  window.addEventListener("hashchange", render);
  render();
}

main();
