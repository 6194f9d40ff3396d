// /manage texts: Chinese first, English on request (?lang=en or the header button); the choice is remembered.
// Same pattern as the phone pages (static/mobile/i18n.js), with the page's own table and key.

export const LANG_KEY = "hall.lang.manage";

export const TEXT = {
  zh: {
    page_title: "管理统计 · {hall}",
    heading: "管理统计",
    nav_live: "实时监控",
    nav_history: "历史统计",
    conn_wait: "连接中…",
    conn_on: "● 实时连接",
    conn_off: "○ 重新连接中…",
    logout: "退出",
    login_title: "管理人员登录",
    username: "用户名",
    password: "密码",
    login: "登录",
    forbidden_title: "没有权限",
    forbidden_text: "本页面仅限管理人员和系统管理员使用。当前账号：{user}。",
    switch_user: "换个账号登录",
    live_title: "实时监控",
    updated_at: "更新于 {time}",
    live_failed: "实时数据读取失败：{msg}",
    windows_title: "窗口状态",
    categories_title: "各类业务等候",
    th_category: "业务类别", th_waiting: "等候人数", th_longest: "最长已等", th_eta: "新取号预计",
    eta_min: "{n} 分钟",
    alert_kind: "【{kind}】",
    alert_sla: "超时等候", alert_device: "设备故障", alert_idle: "窗口闲置", alert_other: "提醒",
    all_ok: "一切正常：没有超时等候、设备故障或闲置窗口。",
    win_no: "{n}号",
    no_ticket: "暂无号码",
    not_signed_in: "未签到",
    busy: "办理中",
    free: "空闲",
    free_waiting: "空闲（有人等候）",
    ws_closed: "关闭", ws_paused: "暂停", ws_open: "开放",
    ts_waiting: "等候", ts_called: "已叫号", ts_serving: "办理中", ts_done: "已办结",
    today: "今日办结 {n} · 平均 {avg}",
    history_title: "历史统计",
    from: "从", to: "至",
    query: "查询",
    preset_today: "今天", preset_7: "近 7 天", preset_30: "近 30 天",
    export_csv: "导出明细 CSV", export_xlsx: "导出 Excel",
    cap_hour: "各时段取号量（柱）与平均等候（线）",
    cap_buckets: "等候时长分布（人数）",
    cap_outcomes: "办结结果构成",
    cap_window: "各窗口办结量（柱）与平均办理时长",
    cap_service: "各项业务取号量与平均等候",
    cap_channel: "取号渠道",
    clerks_title: "工作人员",
    th_clerk: "工作人员", th_served: "办结数", th_service_avg: "平均办理时长", th_grades: "评价数",
    th_grade_avg: "平均评分", th_satisfied: "满意率",
    no_served: "本区间没有办结记录",
    note: "口径：等候 = 首次叫号 − 取号；办理 = 办结 − 开始办理（未点开始则自最后一次叫号起）；服务水平 = 本区间被叫号的号票中等候不超过 {sla} 分钟的比例；满意 = 评分 ≥ 4；百分位数用最近秩法；预计等候误差 = 取号时预计等候与实际等候之差的平均绝对值。详见 docs/statistics.md。",
    chart_empty: "本区间暂无数据",
    hour: "{h}时",
    bucket: "{b}分",
    window_short: "{n}号",
    svc_text: "{n} 人 · 等 {w}",
    channel_text: "{n} 人次",
    sep: "：",
    paren_open: "（", paren_close: "）",
    o_done: "办结", o_deferred: "延时办", o_proxy: "代办", o_incomplete: "材料不全",
    ch_kiosk: "取号机", ch_mobile: "手机扫码", ch_counter: "窗口代取", ch_agent: "村代办员",
    k_issued: "取号", k_issued_unit: "人次",
    k_served: "办结", k_served_unit: "件",
    k_no_show: "过号率", k_no_show_sub: "过号 {n} 人",
    k_wait_avg: "平均等候", k_wait_avg_sub: "中位数 {v}",
    k_wait_p90: "90% 的人等候不超过", k_wait_p90_sub: "最长 {v}",
    k_service_avg: "平均办理时长", k_service_avg_sub: "P90 {v}",
    k_sla: "{m} 分钟内叫号", k_sla_sub: "{a} / {b} 人",
    k_satisfaction: "满意率", k_satisfaction_sub: "评价 {n} 次 · 均分 {avg}",
    k_eta: "预计等候误差", k_eta_value: "{m} 分", k_eta_sub: "平均绝对误差",
    d_s: "{s}秒", d_ms: "{m}分{s}秒", d_hm: "{h}时{m}分",
    minutes: "{m}分",
  },
  en: {
    page_title: "Statistics · {hall}",
    heading: "Statistics",
    nav_live: "Live",
    nav_history: "History",
    conn_wait: "Connecting…",
    conn_on: "● Live",
    conn_off: "○ Reconnecting…",
    logout: "Log out",
    login_title: "Manager login",
    username: "Username",
    password: "Password",
    login: "Log in",
    forbidden_title: "Not allowed",
    forbidden_text: "This page is for managers and administrators only. Signed in as: {user}.",
    switch_user: "Log in as someone else",
    live_title: "Live monitor",
    updated_at: "updated {time}",
    live_failed: "Could not read the live data: {msg}",
    windows_title: "Windows",
    categories_title: "Waiting by category",
    th_category: "Category", th_waiting: "Waiting", th_longest: "Longest wait", th_eta: "New ticket ETA",
    eta_min: "{n} min",
    alert_kind: "[{kind}] ",
    alert_sla: "Long wait", alert_device: "Device fault", alert_idle: "Idle window", alert_other: "Notice",
    all_ok: "All well: no long waits, device faults or idle windows.",
    win_no: "W{n}",
    no_ticket: "No ticket",
    not_signed_in: "no clerk",
    busy: "Serving",
    free: "Free",
    free_waiting: "Free (people waiting)",
    ws_closed: "Closed", ws_paused: "Paused", ws_open: "Open",
    ts_waiting: "Waiting", ts_called: "Called", ts_serving: "Serving", ts_done: "Done",
    today: "Done today {n} · avg {avg}",
    history_title: "History",
    from: "From", to: "to",
    query: "Show",
    preset_today: "Today", preset_7: "Last 7 days", preset_30: "Last 30 days",
    export_csv: "Export CSV", export_xlsx: "Export Excel",
    cap_hour: "Tickets by hour (bars) and average wait (line)",
    cap_buckets: "Waiting time distribution (people)",
    cap_outcomes: "Outcomes",
    cap_window: "Served by window (bars) and average service time",
    cap_service: "Tickets and average wait by service",
    cap_channel: "Ticket channels",
    clerks_title: "Clerks",
    th_clerk: "Clerk", th_served: "Served", th_service_avg: "Avg service time", th_grades: "Ratings",
    th_grade_avg: "Avg rating", th_satisfied: "Satisfied",
    no_served: "Nothing was served in this period",
    note: "Definitions: wait = first call − issue; service = finish − start (from the last call when start was not pressed); service level = share of tickets called in the period that waited at most {sla} minutes; satisfied = rating ≥ 4; percentiles use the nearest rank; ETA error = mean absolute difference between the wait estimated at issue and the actual wait. See docs/statistics.md.",
    chart_empty: "No data in this period",
    hour: "{h}h",
    bucket: "{b} min",
    window_short: "W{n}",
    svc_text: "{n} · wait {w}",
    channel_text: "{n}",
    sep: ": ",
    paren_open: " (", paren_close: ")",
    o_done: "Done", o_deferred: "Deferred", o_proxy: "By proxy", o_incomplete: "Materials missing",
    ch_kiosk: "Kiosk", ch_mobile: "Phone", ch_counter: "At the window", ch_agent: "Village agent",
    k_issued: "Tickets", k_issued_unit: "",
    k_served: "Served", k_served_unit: "",
    k_no_show: "No-show rate", k_no_show_sub: "{n} no-shows",
    k_wait_avg: "Average wait", k_wait_avg_sub: "median {v}",
    k_wait_p90: "90% waited at most", k_wait_p90_sub: "longest {v}",
    k_service_avg: "Avg service time", k_service_avg_sub: "P90 {v}",
    k_sla: "Called within {m} min", k_sla_sub: "{a} / {b}",
    k_satisfaction: "Satisfied", k_satisfaction_sub: "{n} ratings · avg {avg}",
    k_eta: "ETA error", k_eta_value: "{m} min", k_eta_sub: "mean absolute error",
    d_s: "{s}s", d_ms: "{m}m{s}s", d_hm: "{h}h{m}m",
    minutes: "{m} min",
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
  if (!obj) return "";
  return (lang === "en" && obj.name_en) ? obj.name_en : obj.name;
}

/** Return the other language: the toggle's target. */
export function otherLang(lang) {
  return lang === "en" ? "zh" : "en";
}

/** Read the remembered language (Chinese when nothing is stored or storage is off). */
export function loadLang(storage = globalThis.localStorage, search = globalThis.location ? location.search : "") {
  let stored = null;
  try { stored = storage ? storage.getItem(LANG_KEY) : null; } catch (e) { stored = null; }
  return pickLang(search, stored);
}

/** Remember the language for the next visit. */
export function saveLang(lang, storage = globalThis.localStorage) {
  try { if (storage) storage.setItem(LANG_KEY, lang); } catch (e) { /* private mode */ }
}

/** Translate fixed text: [data-i18n] text; data-* give the {vars}. */
export function applyStatic(doc, lang) {
  const t = translator(lang);
  doc.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  for (const el of doc.querySelectorAll("[data-i18n]")) el.textContent = t(el.getAttribute("data-i18n"), el.dataset);
  const btn = doc.getElementById("lang-toggle");
  if (btn) {
    btn.textContent = lang === "en" ? "中文" : "English";
    btn.setAttribute("lang", lang === "en" ? "zh-CN" : "en");
  }
}
