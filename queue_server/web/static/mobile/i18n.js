// Chinese first, English on request (?lang=en or the header button); the choice is remembered.

export const LANG_KEY = "hall.lang";

export const TEXT = {
  zh: {
    hall_short: null,
    loading: "正在加载…",
    you_have_ticket: "您已有号码，点击查看：",
    pass_title: "请扫描大厅显示屏上的二维码",
    pass_missing: "手机取号需要先扫描大厅显示屏上的二维码。二维码每分钟更新一次，只能在大厅里扫码取号。",
    pass_expired: "这个二维码已经过期了（二维码每分钟更新）。请重新扫描大厅显示屏上的二维码。",
    pass_invalid: "这个二维码无效。请扫描大厅显示屏上的二维码，不要使用别人转发的链接或截图。",
    pass_off_title: "本大厅暂未开放手机取号",
    pass_off: "请到大厅取号机取号，或向工作人员咨询。",
    to_guide: "先查一查：能办吗？",
    choose_category: "请选择办理的业务类别",
    not_sure: "不知道选哪个？查一查「能办吗？」",
    back: "‹ 返回",
    choose_service: "请选择具体业务",
    waiting_n: "{n} 人等候",
    eta_n: "约 {n} 分钟",
    eta_none: "无需等候",
    eta_soon: "1 分钟内",
    eta_closed: "窗口还没开始办理",
    eta_n_open: "开始办理后约 {n} 分钟",
    phone_label: "手机号（选填，可不填）",
    phone_bad: "手机号应为 11 位数字，以 1 开头；也可以不填。",
    take: "取 号",
    taking: "正在取号…",
    your_number: "您的号码",
    ahead: "前面还有",
    ahead_n: "{n} 人",
    eta: "预计等候",
    windows: "办理窗口",
    windows_list: "{list}\u00a0号",
    st_waiting: "等候中",
    st_called: "已叫号，请到窗口办理",
    st_serving: "正在办理",
    st_done: "已办结",
    st_cancelled: "已取消",
    st_no_show: "已过号（叫号时未到）",
    st_expired: "已过期（当天未办理）",
    hint_waiting: "可以离开显示屏附近。轮到您时，手机会响铃、震动并全屏提示。请不要关闭这个页面；关了也可以重新打开这个链接。",
    hint_not_open: "窗口还没开始办理，开始后按顺序叫号。轮到您时，手机会响铃、震动并全屏提示。请不要关闭这个页面。",
    hint_called: "请尽快到 {w} 号窗口办理。",
    hint_no_show: "如仍需办理，请重新取号或向工作人员说明。",
    conn_lost: "网络断开，正在重新连接…",
    sound_on: "点此开启叫号提示音",
    cancel: "取消排队",
    cancel_sure: "确定不办了，取消这个号码吗？",
    cancel_yes: "确定取消",
    cancel_no: "不取消，继续等",
    eval_title: "请您评价本次服务",
    eval_thanks: "谢谢您的评价！",
    g5: "非常满意", g4: "满意", g3: "基本满意", g2: "不满意", g1: "非常不满意",
    new_ticket: "再取一个号",
    alert_head: "轮到您了！",
    alert_window: "请到 {w} 号窗口 办理",
    alert_recall: "第 {n} 次叫号",
    alert_ok: "我知道了",
    no_ticket: "找不到这个号码。请重新打开取号后得到的链接。",
    guide_title: "能办吗？查一查",
    search: "搜索",
    try: "试试：",
    all: "全部",
    found_n: "找到 {n} 项",
    browse: "按类别浏览（{n} 类）",
    browse_title: "{c}：共 {n} 项",
    found_none: "没有找到。请换个说法，或直接到大厅咨询窗口问一问。",
    here_yes: "本镇能办",
    here_no: "本镇不能办，可委托代办",
    mode_onsite: "现场办（当场办结）",
    mode_deferred: "延时办（承诺 {d} 个工作日办结）",
    mode_proxy: "代办（窗口帮您网上申请或跑腿）",
    department: "办理部门",
    mode: "办理方式",
    materials: "需带材料",
    take_for: "取号办理：{s}",
    to_take: "去取号",
    to_feedback: "办不成事？点这里告诉我们 ›",
  },
  en: {
    hall_short: null,
    loading: "Loading…",
    you_have_ticket: "You already have a ticket:",
    pass_title: "Please scan the QR code on the hall's board",
    pass_missing: "Taking a ticket by phone needs the QR code on the hall's display board. It changes every minute and works only inside the hall.",
    pass_expired: "This QR code has expired (it changes every minute). Please scan the code on the hall's board again.",
    pass_invalid: "This QR code is not valid. Please scan the code on the hall's board; forwarded links and screenshots do not work.",
    pass_off_title: "Phone tickets are not available in this hall",
    pass_off: "Please take a ticket at the kiosk, or ask the staff.",
    to_guide: "Check first: can it be done here?",
    choose_category: "Choose a category",
    not_sure: "Not sure? Check the guide",
    back: "‹ Back",
    choose_service: "Choose a service",
    waiting_n: "{n} waiting",
    eta_n: "about {n} min",
    eta_none: "no wait",
    eta_soon: "under a minute",
    eta_closed: "windows not open yet",
    eta_n_open: "about {n} min after opening",
    phone_label: "Mobile number (optional)",
    phone_bad: "A mobile number has 11 digits and starts with 1; you may leave it empty.",
    take: "Take a ticket",
    taking: "Taking a ticket…",
    your_number: "Your number",
    ahead: "Ahead of you",
    ahead_n: "{n}",
    eta: "Estimated wait",
    windows: "Windows",
    windows_list: "{list}",
    st_waiting: "Waiting",
    st_called: "Called: please go to the window",
    st_serving: "Being served",
    st_done: "Done",
    st_cancelled: "Cancelled",
    st_no_show: "Missed (not present when called)",
    st_expired: "Expired",
    hint_waiting: "You may leave the board. When it is your turn the phone rings, vibrates and shows a full-screen alert. Keep this page open; you can also reopen the link.",
    hint_not_open: "The windows have not opened yet; tickets are called in order once they do. When it is your turn the phone rings, vibrates and shows a full-screen alert. Keep this page open.",
    hint_called: "Please go to window {w} now.",
    hint_no_show: "If you still need the service, take a new ticket or ask the staff.",
    conn_lost: "Connection lost, reconnecting…",
    sound_on: "Tap to turn on the call sound",
    cancel: "Cancel my ticket",
    cancel_sure: "Cancel this ticket?",
    cancel_yes: "Yes, cancel",
    cancel_no: "No, keep waiting",
    eval_title: "Please rate our service",
    eval_thanks: "Thank you for your rating!",
    g5: "Very satisfied", g4: "Satisfied", g3: "Acceptable", g2: "Dissatisfied", g1: "Very dissatisfied",
    new_ticket: "Take another ticket",
    alert_head: "It's your turn!",
    alert_window: "Please go to window {w}",
    alert_recall: "Call no. {n}",
    alert_ok: "OK",
    no_ticket: "Ticket not found. Please reopen the link you got with your ticket.",
    guide_title: "Can it be done here?",
    search: "Search",
    try: "Try: ",
    all: "All",
    found_n: "{n} found",
    browse: "Browse by category ({n})",
    browse_title: "{c}: {n} matters",
    found_none: "Nothing found. Try other words, or ask at the hall's help desk.",
    here_yes: "Handled in this town",
    here_no: "Not handled here; the window can act for you",
    mode_onsite: "On the spot",
    mode_deferred: "Deferred (done within {d} working days)",
    mode_proxy: "By proxy (staff apply online or in person for you)",
    department: "Department",
    mode: "Handling",
    materials: "Bring",
    take_for: "Take a ticket: {s}",
    to_take: "Take a ticket",
    to_feedback: "Could not get it done? Tell us ›",
  },
};

/** Return the language to show: ?lang= wins, then the remembered choice, then Chinese. */
export function pickLang(search = "", stored = null) {
  const m = /[?&]lang=(zh|en)\b/.exec(search);
  if (m) return m[1];
  return stored === "en" ? "en" : "zh";
}

/** Return a translator for one language, filling {name} placeholders. */
export function translator(lang) {
  const table = TEXT[lang] || TEXT.zh;
  return (key, vars = {}) => {
    const raw = table[key] ?? TEXT.zh[key] ?? key;
    return String(raw).replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : ""));
  };
}

/** Pick a name in the current language from an object with name / name_en. */
export function localName(obj, lang) {
  return (lang === "en" && obj.name_en) ? obj.name_en : obj.name;
}

/** Set up the page's language: translate [data-i18n] nodes and wire the toggle button. */
export function setupLang(doc = document) {
  let stored = null;
  try { stored = localStorage.getItem(LANG_KEY); } catch (e) { stored = null; }
  const lang = pickLang(location.search, stored);
  const t = translator(lang);
  doc.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  for (const el of doc.querySelectorAll("[data-i18n]")) {
    const key = el.getAttribute("data-i18n");
    if (TEXT[lang][key]) el.textContent = t(key);
  }
  const btn = doc.getElementById("lang-toggle");
  if (btn) {
    btn.textContent = lang === "en" ? "中文" : "English";
    btn.addEventListener("click", () => {
      const next = lang === "en" ? "zh" : "en";
      try { localStorage.setItem(LANG_KEY, next); } catch (e) { /* private mode */ }
      const url = new URL(location.href);
      url.searchParams.delete("lang");
      location.replace(url.toString());
    });
  }
  return { lang, t };
}
