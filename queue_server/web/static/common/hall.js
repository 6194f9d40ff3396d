// @ts-check
// Which hall a page belongs to, and the URLs of that hall's API, sockets and pages.
//
// Every page and API is served at the root (the default hall) and under /h/{code}/ for each hall
// of a county deployment. A page finds its hall once, from its own address, and every request,
// socket, link and speech URL it makes goes through hallUrl(). Static assets stay under /static.

/** A hall code as the contract defines it: 2–32 lower-case letters, digits and '-'. */
const PREFIX = /^\/h\/([a-z0-9-]{2,32})(?=\/|$)/;

/**
 * Return the hall prefix of a page path ("/h/xiasi" for "/h/xiasi/clerk"), or "" for the default hall.
 * @param {string} pathname
 * @returns {string}
 */
export function hallBase(pathname) {
  const m = PREFIX.exec(pathname || "");
  return m ? `/h/${m[1]}` : "";
}

/** The hall of the page that loaded this module; "" outside a browser (the Node tests). */
export const HALL_BASE = typeof location === "undefined" ? "" : hallBase(location.pathname);

/**
 * Return the URL of a root-relative path ("/api/windows") in this page's hall.
 * @param {string} path
 * @param {string} [base]
 * @returns {string}
 */
export function hallUrl(path, base = HALL_BASE) {
  return base + path;
}

/**
 * Return the ws:// or wss:// URL of a socket path ("/ws/hall") in this page's hall.
 * @param {string} path
 * @param {{ protocol: string, host: string }} [loc]
 * @param {string} [base]
 * @returns {string}
 */
export function socketUrl(path, loc = location, base = HALL_BASE) {
  const proto = loc.protocol === "https:" ? "wss:" : "ws:";
  return `${proto}//${loc.host}${hallUrl(path, base)}`;
}

/**
 * Return the storage key of something kept for this page's hall: a device token, a phone's tickets,
 * a hall pass. Halls of one county share an origin, so what one hall keeps must not answer another.
 * The default hall's keys stay as they were.
 * @param {string} key
 * @param {string} [base]
 * @returns {string}
 */
export function hallKey(key, base = HALL_BASE) {
  return base ? `${key}@${base.slice("/h/".length)}` : key;
}
