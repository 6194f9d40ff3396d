// Clerk console texts: Chinese first, English on request (?lang=en or the header button); the choice is remembered.
// Same pattern as the phone pages (static/mobile/i18n.js), with the console's own table and key.

export const LANG_KEY = "hall.lang.clerk";

export const TEXT = {
  zh: {
    page_title: "窗口工作台 · 排队叫号",
    brand: "窗口工作台",
    brand_sub: "Clerk console",
    conn_title: "实时连接",
    conn_wait: "● 连接中…",
    conn_on: "● 实时",
    conn_off: "● 连接中断，正在重连…",
    switch_window: "窗口列表",
    logout: "退出登录",
    close_alert: "关闭提示",
    login_title: "工作人员登录",
    username: "用户名",
    password: "密码",
    login: "登录",
    bad_login: "用户名或密码不正确",
    choose_window: "选择您的窗口",
    choose_hint: "开启一个窗口即签到为该窗口的工作人员；一人只能开启一个窗口。",
    pause: "暂停",
    resume: "恢复",
    close_window: "关闭窗口",
    call_next: "叫下一位",
    recall: "重呼",
    start: "开始办理",
    finish: "办结",
    finish_as: "办结：{o}",
    no_show: "过号",
    no_show_armed: "确认过号？再按一次",
    transfer: "转移…",
    outcome_legend: "办结结果",
    queue_title: "等候队列",
    queue_sub: "按“叫下一位”的顺序排列",
    queue_cats: "：{list}",
    queue_cat: "{k} 类 {v}",
    list_sep: "，",
    queue_prio: "；优先 {n}",
    queue_tr: "；转入本窗口 {n}",
    recent_title: "最近叫号",
    walkin_title: "窗口取号",
    walkin_sub: "（为窗口前的群众取号）",
    walkin_service: "业务",
    walkin_priority: "优先",
    prio_none: "普通",
    prio_elderly: "老年人",
    prio_disabled: "残疾人",
    prio_veteran: "退役军人",
    prio_pregnant: "孕妇",
    walkin_submit: "取号",
    shortcuts_title: "键盘快捷键（USB 叫号键盘）",
    where: "{n} 号窗口 · {name}",
    detail: "（{d}）",
    mine: "您正在使用",
    used_by: "由 {name} 使用",
    free: "空闲",
    enter: "进入工作台",
    open_this: "开启此窗口",
    win_no: "{n} 号",
    loading_windows: "正在读取窗口…",
    win_title: "{n} 号窗口",
    pause_reason: "暂停原因：{r}",
    lost_closed: "{n} 号窗口已关闭。请到窗口列表重新开启。",
    lost_taken: "{n} 号窗口现由 {name} 使用，您不能再操作这个窗口。",
    someone: "其他人员",
    none_yet: "暂无",
    idle_paused: "窗口已暂停",
    idle_paused_hint: "按“恢复”后继续叫号",
    idle_none: "当前没有号码",
    idle_none_hint: "按“叫下一位”或从右侧列表叫指定号（等候 {n} 人）",
    no_prio: "无",
    no_materials: "该业务没有登记材料清单",
    f_waited: "等候时长",
    f_serving: "已办理",
    f_called: "已叫号",
    f_prio: "优先",
    f_channel: "取号渠道",
    f_calls: "叫号次数",
    f_category: "类别",
    materials: "材料清单",
    materials_hint: "（{number} · {svc}，逐项核对材料是否齐全）",
    tally_full: "（已核对 {got}/{total}，材料齐全）",
    tally: "（已核对 {got}/{total}）",
    tag_tr: "转入",
    waited: "已等",
    call_this: "叫此号",
    nobody: "没有等候的号码",
    tr_title: "转移 {number}（{svc}）",
    tr_hint: "转移后号码不变，并<strong>保留原来的排队位置</strong>：目标窗口会先于之后取号的群众叫到他。",
    tr_to_service: "转到另一项业务",
    tr_pick_service: "请选择业务",
    tr_service_btn: "转到该业务",
    tr_to_window: "或转到指定窗口",
    tr_pick_window: "请选择窗口",
    tr_window_btn: "转到该窗口",
    tr_window_opt: "{n} 号 {name}（{status}{clerk}）",
    cancel: "取消",
    // Notices after an action.
    n_closed: "{n} 号窗口已关闭",
    n_opened: "已开启 {n} 号窗口",
    n_paused: "窗口已暂停：不会叫新号，当前号码仍可办理",
    n_resumed: "窗口已恢复",
    n_walkin: "已为窗口前的群众取号 {number}（{svc}）",
    n_nothing: "当前没有可叫的号码",
    n_calling: "正在呼叫 {number}",
    n_recalled: "已重呼 {number}",
    n_started: "{number} 开始办理",
    n_finished: "{number} 已办结",
    n_no_show: "{number} 已过号",
    n_transferred: "{number} 已转移，保留原排队位置",
    // What each refusal means for the clerk.
    err_window_busy: "本窗口还有当前号码：请先办结、过号或转移它。",
    err_window_closed: "窗口已暂停或未开启，不能叫号：请先恢复或开启窗口。",
    err_no_current_ticket: "本窗口当前没有号码，列表已刷新。",
    err_invalid_state: "当前号码的状态不允许这个操作（例如已开始办理的号码不能过号）。",
    err_ticket_not_waiting: "这个号码已被其他窗口叫走或已结束，列表已刷新。",
    err_forbidden: "您只能操作自己开启的窗口：这个窗口由其他工作人员使用，或您没有这个权限。",
    err_conflict: "一人只能开启一个窗口：请先关闭您已开启的窗口。",
    err_unauthorized: "登录已失效，请重新登录。",
    err_not_found: "找不到这个号码或窗口。",
    err_network: "网络连接失败，请检查网络后重试。",
    err_rate_limited: "操作过于频繁，请稍后再试。",
    err_invalid: "输入内容不正确。",
    err_unknown: "操作失败",
    // Labels of codes.
    o_done: "办结", o_deferred: "延时办", o_proxy: "代办", o_incomplete: "材料不全",
    st_waiting: "等候中", st_called: "已叫号，等待到窗", st_serving: "办理中", st_done: "已办结",
    st_no_show: "过号", st_cancelled: "已取消", st_expired: "已过期",
    ws_open: "开放", ws_paused: "暂停", ws_closed: "关闭",
    pr_elderly: "老年人优先", pr_disabled: "残疾人优先", pr_veteran: "退役军人优先", pr_pregnant: "孕妇优先",
    ch_kiosk: "自助取号机", ch_mobile: "手机扫码", ch_counter: "窗口代取", ch_agent: "村代办",
    sc_call_next: "叫下一位", sc_recall: "重呼", sc_start: "开始办理", sc_finish: "办结（按所选结果）",
    sc_no_show: "过号（按两次确认）", sc_transfer: "转移（打开转移对话框）", sc_pause: "暂停 / 恢复",
    sc_outcome: "选择办结结果：1 办结 2 延时办 3 代办 4 材料不全",
    sc_cancel: "取消（关闭对话框、撤销过号确认）",
    // Durations.
    dur_h: "{h} 小时 {m} 分", dur_m: "{m} 分 {s} 秒", dur_s: "{s} 秒",
  },
  en: {
    page_title: "Clerk console · Queue",
    brand: "Clerk console",
    brand_sub: "窗口工作台",
    conn_title: "Live connection",
    conn_wait: "● Connecting…",
    conn_on: "● Live",
    conn_off: "● Connection lost, reconnecting…",
    switch_window: "Windows",
    logout: "Log out",
    close_alert: "Close",
    login_title: "Staff login",
    username: "Username",
    password: "Password",
    login: "Log in",
    bad_login: "Wrong username or password",
    choose_window: "Choose your window",
    choose_hint: "Opening a window signs you in as its clerk; one person can open one window only.",
    pause: "Pause",
    resume: "Resume",
    close_window: "Close window",
    call_next: "Call next",
    recall: "Recall",
    start: "Start",
    finish: "Finish",
    finish_as: "Finish: {o}",
    no_show: "No-show",
    no_show_armed: "Confirm no-show? Press again",
    transfer: "Transfer…",
    outcome_legend: "Outcome",
    queue_title: "Waiting",
    queue_sub: 'In "Call next" order',
    queue_cats: ": {list}",
    queue_cat: "{k}: {v}",
    list_sep: ", ",
    queue_prio: "; priority {n}",
    queue_tr: "; transferred here {n}",
    recent_title: "Recent calls",
    walkin_title: "Ticket at the window",
    walkin_sub: "(for the resident at your window)",
    walkin_service: "Service",
    walkin_priority: "Priority",
    prio_none: "Normal",
    prio_elderly: "Elderly",
    prio_disabled: "Disabled",
    prio_veteran: "Veteran",
    prio_pregnant: "Pregnant",
    walkin_submit: "Issue",
    shortcuts_title: "Keyboard shortcuts (USB caller keypad)",
    where: "Window {n} · {name}",
    detail: " ({d})",
    mine: "In use by you",
    used_by: "In use by {name}",
    free: "Free",
    enter: "Enter console",
    open_this: "Open this window",
    win_no: "Window {n}",
    loading_windows: "Loading windows…",
    win_title: "Window {n}",
    pause_reason: "Paused: {r}",
    lost_closed: "Window {n} is closed. Reopen it from the window list.",
    lost_taken: "Window {n} is now used by {name}; you can no longer work at this window.",
    someone: "someone else",
    none_yet: "None yet",
    idle_paused: "Window paused",
    idle_paused_hint: 'Press "Resume" to call again',
    idle_none: "No current ticket",
    idle_none_hint: 'Press "Call next" or call a number from the list ({n} waiting)',
    no_prio: "None",
    no_materials: "No materials list for this service",
    f_waited: "Waited",
    f_serving: "Serving for",
    f_called: "Called",
    f_prio: "Priority",
    f_channel: "Channel",
    f_calls: "Calls",
    f_category: "Category",
    materials: "Materials",
    materials_hint: "({number} · {svc}: tick each item as you check it)",
    tally_full: " ({got}/{total} checked, complete)",
    tally: " ({got}/{total} checked)",
    tag_tr: "Transferred",
    waited: "Waited",
    call_this: "Call",
    nobody: "Nobody waiting",
    tr_title: "Transfer {number} ({svc})",
    tr_hint: "The number stays the same and <strong>keeps its place in the queue</strong>: the target window calls it before residents who came later.",
    tr_to_service: "To another service",
    tr_pick_service: "Choose a service",
    tr_service_btn: "Transfer to service",
    tr_to_window: "Or to a window",
    tr_pick_window: "Choose a window",
    tr_window_btn: "Transfer to window",
    tr_window_opt: "Window {n} {name} ({status}{clerk})",
    cancel: "Cancel",
    n_closed: "Window {n} closed",
    n_opened: "Window {n} opened",
    n_paused: "Window paused: no new calls; the current ticket can still be served",
    n_resumed: "Window resumed",
    n_walkin: "Ticket {number} issued for the resident at your window ({svc})",
    n_nothing: "Nobody to call",
    n_calling: "Calling {number}",
    n_recalled: "Recalled {number}",
    n_started: "{number}: service started",
    n_finished: "{number} finished",
    n_no_show: "{number} marked no-show",
    n_transferred: "{number} transferred; it keeps its place in the queue",
    err_window_busy: "This window still has a current ticket: finish, no-show or transfer it first.",
    err_window_closed: "The window is paused or not open, so it cannot call: resume or open it first.",
    err_no_current_ticket: "This window has no current ticket; the list was refreshed.",
    err_invalid_state: "The ticket's status does not allow this (e.g. a ticket being served cannot be a no-show).",
    err_ticket_not_waiting: "Another window has called this number, or it has ended; the list was refreshed.",
    err_forbidden: "You can only work at the window you opened: another clerk uses it, or you lack the right.",
    err_conflict: "One person can open one window only: close the window you have open first.",
    err_unauthorized: "Your login has expired; please log in again.",
    err_not_found: "No such ticket or window.",
    err_network: "Network error; check the connection and try again.",
    err_rate_limited: "Too many actions; please wait a moment.",
    err_invalid: "The input is not valid.",
    err_unknown: "The action failed",
    o_done: "Done", o_deferred: "Deferred", o_proxy: "By proxy", o_incomplete: "Materials missing",
    st_waiting: "Waiting", st_called: "Called, coming to the window", st_serving: "Serving", st_done: "Done",
    st_no_show: "No-show", st_cancelled: "Cancelled", st_expired: "Expired",
    ws_open: "Open", ws_paused: "Paused", ws_closed: "Closed",
    pr_elderly: "Elderly", pr_disabled: "Disabled", pr_veteran: "Veteran", pr_pregnant: "Pregnant",
    ch_kiosk: "Kiosk", ch_mobile: "Phone", ch_counter: "At the window", ch_agent: "Village agent",
    sc_call_next: "Call next", sc_recall: "Recall", sc_start: "Start", sc_finish: "Finish (with the chosen outcome)",
    sc_no_show: "No-show (press twice to confirm)", sc_transfer: "Transfer (opens the dialog)", sc_pause: "Pause / resume",
    sc_outcome: "Choose the outcome: 1 done 2 deferred 3 by proxy 4 materials missing",
    sc_cancel: "Cancel (close the dialog, undo a no-show confirmation)",
    dur_h: "{h} h {m} min", dur_m: "{m} min {s} s", dur_s: "{s} s",
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

/** Translate fixed text: [data-i18n] text, [data-i18n-aria] aria-label, [data-i18n-title] title; data-* give the {vars}. */
export function applyStatic(doc, lang) {
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
