// Shared language machinery for the hall's pages: Chinese first, English available.
//
// Each page keeps its own text table and storage key and calls makeI18n(TEXT, LANG_KEY); the
// functions returned are pure apart from the storage and document they are handed.

/** Return the language to show: ?lang= wins, then the remembered choice, then Chinese. */
export function pickLang(search = "", stored = null) {
  const m = /[?&]lang=(zh|en)\b/.exec(search);
  if (m) return m[1];
  return stored === "en" ? "en" : "zh";
}

/** Pick a name in the current language from an object with name / name_en. */
export function localName(obj, lang) {
  if (!obj) return "";
  return (lang === "en" && obj.name_en) ? obj.name_en : obj.name;
}

/** Return the other language: the toggle's target. */
export function otherLang(lang) {
  return lang === "en" ? "zh" : "en";
}

/** Build a page's translator, storage and [data-i18n] helpers around its own text table. */
export function makeI18n(TEXT, LANG_KEY) {
  /** Return a translator for one language, filling {name} placeholders. */
  function translator(lang) {
    const table = TEXT[lang] || TEXT.zh;
    return (key, vars = {}) => {
      const raw = table[key] ?? TEXT.zh[key] ?? key;
      return String(raw).replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : ""));
    };
  }

  /** Read the remembered language (Chinese when nothing is stored or storage is off). */
  function loadLang(storage = globalThis.localStorage, search = globalThis.location ? location.search : "") {
    let stored = null;
    try { stored = storage ? storage.getItem(LANG_KEY) : null; } catch (e) { stored = null; }
    return pickLang(search, stored);
  }

  /** Remember the language for the next visit. */
  function saveLang(lang, storage = globalThis.localStorage) {
    try { if (storage) storage.setItem(LANG_KEY, lang); } catch (e) { /* private mode */ }
  }

  /** Translate fixed text: [data-i18n] text, [data-i18n-aria] aria-label, [data-i18n-title] title. */
  function applyStatic(doc, lang) {
    const t = translator(lang);
    doc.documentElement.lang = lang === "en" ? "en" : "zh-CN";
    for (const el of doc.querySelectorAll("[data-i18n]")) el.textContent = t(el.getAttribute("data-i18n"), el.dataset);
    for (const el of doc.querySelectorAll("[data-i18n-aria]")) el.setAttribute("aria-label", t(el.getAttribute("data-i18n-aria"), el.dataset));
    for (const el of doc.querySelectorAll("[data-i18n-title]")) el.setAttribute("title", t(el.getAttribute("data-i18n-title"), el.dataset));
    const btn = doc.getElementById("lang-toggle");
    if (btn) {
      btn.textContent = lang === "en" ? "中文" : "English";
      btn.setAttribute("lang", lang === "en" ? "zh-CN" : "en");
    }
  }

  return { translator, loadLang, saveLang, applyStatic };
}
