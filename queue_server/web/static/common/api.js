// @ts-check
// Shared HTTP helpers for the hall's pages: bearer tokens, JSON, and Chinese error messages.
// Every path is the hall's: api("/api/windows") on /h/xiasi/clerk asks /h/xiasi/api/windows.

import { hallKey, hallUrl } from "./hall.js";

export const TOKEN_KEY = "hall.token";

/**
 * Read a token from the URL fragment (#token=…) once, keep it in localStorage (under this hall's
 * key), and return it.
 * @param {string} [storageKey]
 * @param {Location} [loc]
 * @returns {string | null}
 */
export function adoptFragmentToken(storageKey = TOKEN_KEY, loc = window.location) {
  const key = hallKey(storageKey);
  const match = /(?:^|[#&])token=([^&]+)/.exec(loc.hash || "");
  if (match) {
    localStorage.setItem(key, decodeURIComponent(match[1]));
    history.replaceState(null, "", loc.pathname + loc.search);
  }
  return localStorage.getItem(key);
}

/** An error the server refused with: status, code and a message to show. */
export class ApiError extends Error {
  /**
   * @param {number} status the HTTP status, 0 when the network failed
   * @param {string} code the contract's error code
   * @param {string} message a message to show, in Chinese
   */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** @type {Record<number, string>} */
const FALLBACK = {
  0: "网络连接失败，请检查网络后重试",
  401: "请先登录",
  403: "没有权限执行此操作",
  404: "找不到该内容",
  409: "操作与当前状态冲突，请刷新后重试",
  422: "输入内容不正确",
  429: "操作过于频繁，请稍后再试",
  500: "服务器出错，请联系管理员",
};

/**
 * @typedef {object} ApiOptions
 * @property {string} [method]
 * @property {unknown} [body] sent as JSON
 * @property {string | null} [token] a bearer token (devices, agents); staff pages use the cookie
 * @property {Record<string, string>} [headers]
 */

/**
 * Call the API of this page's hall and return parsed JSON (or null for 204); throw ApiError on refusal.
 * The answer's type is the caller's to state (types/api.d.ts has the contract's shapes).
 * @param {string} path a root-relative path, e.g. "/api/windows"
 * @param {ApiOptions} [options]
 * @returns {Promise<any>}
 */
export async function api(path, { method = "GET", body, token, headers = {} } = {}) {
  /** @type {Record<string, string>} */
  const h = { Accept: "application/json", ...headers };
  if (body !== undefined) h["Content-Type"] = "application/json";
  if (token) h.Authorization = "Bearer " + token;
  let res;
  try {
    res = await fetch(hallUrl(path), {
      method, headers: h, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, "network", FALLBACK[0]);
  }
  if (res.status === 204) return null;
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  if (!res.ok) {
    const err = data && data.error;
    throw new ApiError(res.status, err ? err.code : "error",
      (err && err.message) || FALLBACK[res.status] || FALLBACK[500]);
  }
  return data;
}
