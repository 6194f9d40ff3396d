// @ts-check
// Pure logic of the county calendar editor on /manage: reading the dates a county admin types from the
// State Council's notice (single days and ranges), writing them back compactly, and naming each year's source.

/** @typedef {{ token: string, reason: "unreadable" | "other_year" | "backwards" | "too_long" }} DateError */
/** @typedef {{ dates: string[], errors: DateError[] }} Parsed */
/** @typedef {{ from: string, to: string, days: number }} Span */

export const MAX_RANGE_DAYS = 31; // the longest holiday (春节) is 9 days; a longer range is a typing slip
const SEPARATORS = /[\n\r,，、;；]+/;
const RANGE = /~|～|至|到|—|–|--/;
const FULL = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/;
const MONTH_DAY = /^(\d{1,2})[-/.月](\d{1,2})日?$/;
const DAY = /^(\d{1,2})日?$/;

/**
 * Return an ISO date if y-m-d is a real day, else null.
 * @param {number} y
 * @param {number} m
 * @param {number} d
 */
function isoOf(y, m, d) {
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return dt.toISOString().slice(0, 10);
}

/**
 * Read one date: 2027-02-05, 2027/2/5, 2027年2月5日, 2-5, 2月5日 (in `year`), or 5日 (in the month of `after`).
 * @param {string} text
 * @param {number} year
 * @param {string | null} [after] the range's first day, for an end written as a day only
 * @returns {string | null}
 */
export function readDate(text, year, after = null) {
  let m = FULL.exec(text);
  if (m) return isoOf(Number(m[1]), Number(m[2]), Number(m[3]));
  m = MONTH_DAY.exec(text);
  if (m) return isoOf(after ? Number(after.slice(0, 4)) : year, Number(m[1]), Number(m[2]));
  m = DAY.exec(text);
  if (m && after) return isoOf(Number(after.slice(0, 4)), Number(after.slice(5, 7)), Number(m[1]));
  return null;
}

/**
 * Return the day after an ISO date.
 * @param {string} iso
 */
export function nextDay(iso) {
  const dt = new Date(iso + "T00:00:00Z");
  dt.setUTCDate(dt.getUTCDate() + 1);
  return dt.toISOString().slice(0, 10);
}

/**
 * Read what the admin typed: dates and ranges separated by new lines, commas, 、 or ;. A label before a
 * colon (「春节：」) and words in brackets (「（星期六）」) are ignored. Every date must fall in `year`.
 * Returns the dates sorted without repeats, and every piece it could not use, with why.
 * @param {string} text
 * @param {number} year
 * @returns {Parsed}
 */
export function parseDates(text, year) {
  /** @type {Set<string>} */
  const dates = new Set();
  /** @type {DateError[]} */
  const errors = [];
  for (const raw of String(text || "").split(SEPARATORS)) {
    const token = raw.trim();
    if (!token) continue;
    const bare = token.replace(/[（(][^）)]*[）)]/g, "").replace(/^[^\d:：]*[:：]/, "").replace(/\s+/g, "");
    if (!bare) continue;
    // 「2月15日-23日」: with 月/日 written out, a plain hyphen is a range too.
    const parts = bare.split(/[月日]/.test(bare) && !RANGE.test(bare) ? /-/ : RANGE);
    if (parts.length > 2) { errors.push({ token, reason: "unreadable" }); continue; }
    const first = readDate(parts[0], year);
    const last = parts.length === 2 ? readDate(parts[1], year, first) : first;
    if (!first || !last) { errors.push({ token, reason: "unreadable" }); continue; }
    if (last < first) { errors.push({ token, reason: "backwards" }); continue; }
    if (Number(first.slice(0, 4)) !== year || Number(last.slice(0, 4)) !== year) {
      errors.push({ token, reason: "other_year" });
      continue;
    }
    const span = [];
    for (let d = first; d <= last && span.length <= MAX_RANGE_DAYS; d = nextDay(d)) span.push(d);
    if (span.length > MAX_RANGE_DAYS) { errors.push({ token, reason: "too_long" }); continue; }
    for (const d of span) dates.add(d);
  }
  return { dates: [...dates].sort(), errors };
}

/**
 * Group sorted dates into runs of consecutive days.
 * @param {string[]} dates
 * @returns {Span[]}
 */
export function spans(dates) {
  /** @type {Span[]} */
  const out = [];
  for (const d of [...new Set(dates)].sort()) {
    const last = out[out.length - 1];
    if (last && nextDay(last.to) === d) { last.to = d; last.days += 1; } else out.push({ from: d, to: d, days: 1 });
  }
  return out;
}

/**
 * Write dates back as the editor shows them: one line per run, "from~to" for more than one day.
 * @param {string[]} dates
 */
export function formatDates(dates) {
  return spans(dates).map((s) => (s.days === 1 ? s.from : `${s.from}~${s.to}`)).join("\n");
}

/**
 * Return the day of the week of an ISO date: 0 = Sunday … 6 = Saturday.
 * @param {string} iso
 */
export function weekday(iso) {
  return new Date(iso + "T00:00:00Z").getUTCDay();
}

/**
 * Check a year's two lists together: a day in both is an error; an adjusted working day (调休上班) that
 * is already a Monday–Friday is probably a slip (the notice's are weekend days).
 * @param {string[]} holidays
 * @param {string[]} workdays
 * @returns {{ both: string[], weekdayWork: string[] }}
 */
export function crossCheck(holidays, workdays) {
  const off = new Set(holidays);
  return { both: workdays.filter((d) => off.has(d)),
    weekdayWork: workdays.filter((d) => weekday(d) !== 0 && weekday(d) !== 6) };
}

/**
 * Take a year's schedule from /api/calendar's days as the hall now counts them, to start editing from:
 * named days off (statutory holidays and their bridges) and named adjusted working days.
 * The hall's own overrides (本中心休息 / 本中心上班) are the hall's, not the county's: left out.
 * @param {{ date: string, working: boolean, name?: string | null }[]} days
 * @returns {{ holidays: string[], workdays: string[] }}
 */
export function fromCalendarDays(days) {
  const own = new Set(["本中心休息", "本中心上班"]);
  const named = days.filter((d) => d.name && !own.has(d.name));
  return { holidays: named.filter((d) => !d.working).map((d) => d.date).sort(),
    workdays: named.filter((d) => d.working).map((d) => d.date).sort() };
}

/**
 * Return the years the editor offers: last year to the year after next, plus every year the county entered.
 * @param {string} today
 * @param {number[]} entered
 */
export function editorYears(today, entered = []) {
  const y = Number(today.slice(0, 4));
  return [...new Set([y - 1, y, y + 1, y + 2, ...entered])].sort((a, b) => a - b);
}

/**
 * Return the year to open the editor on: this year if nobody announced it, else next year
 * (whose schedule the State Council announces in the autumn).
 * @param {{ years?: { year: number, source: string }[] } | null} coverage
 * @param {string} today
 */
export function defaultYear(coverage, today) {
  const y = Number(today.slice(0, 4));
  const self = coverage && (coverage.years || []).find((c) => c.year === y);
  return self && self.source === "provisional" ? y : y + 1;
}

/**
 * Name where a year's schedule comes from: "county", "provisional", or the package (its name and version).
 * @param {string} source
 * @returns {"county" | "provisional" | "package"}
 */
export function sourceKind(source) {
  return source === "county" ? "county" : source === "provisional" ? "provisional" : "package";
}
