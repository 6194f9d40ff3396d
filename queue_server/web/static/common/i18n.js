// @ts-check
// Shared language machinery for the hall's pages: Chinese first, English available.
//
// Each page keeps its own text table and storage key and calls makeI18n(TEXT, LANG_KEY); the
// functions returned are pure apart from the storage and document they are handed.

/** @typedef {"zh" | "en"} Lang */
/** @typedef {Record<string, unknown>} Vars */
/** @typedef {(key: string, vars?: Vars) => string} Translate */
/** @typedef {{ zh: Record<string, string>, en: Record<string, string> }} TextTable */

/**
 * Return the language to show: ?lang= wins, then the remembered choice, then Chinese.
 * @param {string} [search]
 * @param {string | null} [stored]
 * @returns {Lang}
 */
export function pickLang(search = "", stored = null) {
  const m = /[?&]lang=(zh|en)\b/.exec(search);
  if (m) return m[1] === "en" ? "en" : "zh";
  return stored === "en" ? "en" : "zh";
}

/**
 * Pick a name in the current language from an object with name / name_en.
 * @param {{ name: string, name_en?: string | null } | null | undefined} obj
 * @param {string} lang
 * @returns {string}
 */
export function localName(obj, lang) {
  if (!obj) return "";
  return (lang === "en" && obj.name_en) ? obj.name_en : obj.name;
}

/**
 * Return the other language: the toggle's target.
 * @param {string} lang
 * @returns {Lang}
 */
export function otherLang(lang) {
  return lang === "en" ? "zh" : "en";
}

/**
 * Build a page's translator, storage and [data-i18n] helpers around its own text table.
 * @param {TextTable} TEXT
 * @param {string} LANG_KEY the localStorage key of the page's language
 */
export function makeI18n(TEXT, LANG_KEY) {
  /**
   * Return a translator for one language, filling {name} placeholders.
   * @param {string} lang
   * @returns {Translate}
   */
  function translator(lang) {
    const table = lang === "en" ? TEXT.en : TEXT.zh;
    return (key, vars = {}) => {
      const raw = table[key] ?? TEXT.zh[key] ?? key;
      return String(raw).replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : ""));
    };
  }

  /**
   * Read the remembered language (Chinese when nothing is stored or storage is off).
   * @param {Storage | null | undefined} [storage]
   * @param {string} [search]
   * @returns {Lang}
   */
  function loadLang(storage = globalThis.localStorage, search = globalThis.location ? location.search : "") {
    let stored = null;
    try { stored = storage ? storage.getItem(LANG_KEY) : null; } catch (e) { stored = null; }
    return pickLang(search, stored);
  }

  /**
   * Remember the language for the next visit.
   * @param {string} lang
   * @param {Storage | null | undefined} [storage]
   */
  function saveLang(lang, storage = globalThis.localStorage) {
    try { if (storage) storage.setItem(LANG_KEY, lang); } catch (e) { /* private mode */ }
  }

  /**
   * Translate fixed text: [data-i18n] text, [data-i18n-aria] aria-label, [data-i18n-title] title,
   * [data-i18n-ph] placeholder. A page part with a table of its own names its attribute (`attr`,
   * e.g. "bk" for [data-bk]); the element's other data-* attributes fill the placeholders.
   * @param {Document} doc
   * @param {string} lang
   * @param {string} [attr]
   */
  function applyStatic(doc, lang, attr = "i18n") {
    const t = translator(lang);
    /**
     * @param {string} suffix
     * @param {(el: HTMLElement, text: string) => void} set
     */
    const each = (suffix, set) => {
      const name = `data-${attr}${suffix}`;
      for (const el of doc.querySelectorAll(`[${name}]`)) {
        const node = /** @type {HTMLElement} */ (el);
        set(node, t(node.getAttribute(name) || "", node.dataset));
      }
    };
    doc.documentElement.lang = lang === "en" ? "en" : "zh-CN";
    each("", (el, text) => { el.textContent = text; });
    each("-aria", (el, text) => el.setAttribute("aria-label", text));
    each("-title", (el, text) => el.setAttribute("title", text));
    each("-ph", (el, text) => el.setAttribute("placeholder", text));
    const btn = doc.getElementById("lang-toggle");
    if (btn) {
      btn.textContent = lang === "en" ? "中文" : "English";
      btn.setAttribute("lang", lang === "en" ? "zh-CN" : "en");
    }
  }

  /**
   * Set up a page whose language toggle reloads it (pages where nothing typed can be lost):
   * translate the fixed text, wire the toggle, and return the language and its translator.
   * @param {Document} [doc]
   * @returns {{ lang: Lang, t: Translate }}
   */
  function setupLang(doc = document) {
    const lang = loadLang();
    const t = translator(lang);
    applyStatic(doc, lang);
    const btn = doc.getElementById("lang-toggle");
    if (btn) {
      btn.addEventListener("click", () => {
        saveLang(otherLang(lang));
        const url = new URL(location.href);
        url.searchParams.delete("lang");
        location.replace(url.toString());
      });
    }
    return { lang, t };
  }

  return { translator, loadLang, saveLang, applyStatic, setupLang };
}
