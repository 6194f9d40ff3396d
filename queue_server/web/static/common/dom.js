// @ts-check
// The pages' one way to find elements and to draw templates into them.
//
// Templates are lit-html's: values are escaped by the library, lists are keyed, and an input
// bound with live() keeps what the user is typing when the template is drawn again.

import { html, nothing, render, svg } from "../vendor/lit-html/lit-html.js";
import { classMap } from "../vendor/lit-html/directives/class-map.js";
import { ifDefined } from "../vendor/lit-html/directives/if-defined.js";
import { live } from "../vendor/lit-html/directives/live.js";
import { repeat } from "../vendor/lit-html/directives/repeat.js";

export { classMap, html, ifDefined, live, nothing, repeat, svg };

/** @typedef {{ new (): Element, prototype: Element }} ElementType */

/**
 * Return the element with this id (an HTMLElement), or fail: a missing element is a fault of the page shell.
 * @overload
 * @param {string} id
 * @returns {HTMLElement}
 */
/**
 * Return the element with this id, checked to be of the given type.
 * @template {Element} T
 * @overload
 * @param {string} id
 * @param {{ new (): T, prototype: T }} type
 * @returns {T}
 */
/**
 * @param {string} id
 * @param {ElementType} [type]
 * @returns {Element}
 */
export function $(id, type) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  const want = type || HTMLElement;
  if (!(el instanceof want)) throw new Error(`#${id} is not a ${want.name}`);
  return el;
}

/**
 * Return the first HTMLElement matching a selector (inside root), or null.
 * @overload
 * @param {string} selector
 * @returns {HTMLElement | null}
 */
/**
 * Return the first element matching a selector (inside root) if it is of the given type, or null.
 * @template {Element} T
 * @overload
 * @param {string} selector
 * @param {{ new (): T, prototype: T }} type
 * @param {ParentNode} [root]
 * @returns {T | null}
 */
/**
 * @param {string} selector
 * @param {ElementType} [type]
 * @param {ParentNode} [root]
 * @returns {Element | null}
 */
export function query(selector, type, root = document) {
  const el = root.querySelector(selector);
  return el instanceof (type || HTMLElement) ? el : null;
}

/**
 * Return every HTMLElement matching a selector.
 * @overload
 * @param {string} selector
 * @returns {HTMLElement[]}
 */
/**
 * Return every element matching a selector (inside root) that is of the given type.
 * @template {Element} T
 * @overload
 * @param {string} selector
 * @param {{ new (): T, prototype: T }} type
 * @param {ParentNode} [root]
 * @returns {T[]}
 */
/**
 * @param {string} selector
 * @param {ElementType} [type]
 * @param {ParentNode} [root]
 * @returns {Element[]}
 */
export function queryAll(selector, type, root = document) {
  const want = type || HTMLElement;
  return Array.from(root.querySelectorAll(selector)).filter((el) => el instanceof want);
}

const drawn = new WeakSet();

/**
 * Draw a template into a container, updating only what changed since the last draw.
 * What the page shell had put there (a placeholder, a server-rendered first view) is cleared once.
 * @param {HTMLElement | DocumentFragment} container
 * @param {unknown} template
 */
export function draw(container, template) {
  if (!drawn.has(container)) {
    container.replaceChildren();
    drawn.add(container);
  }
  render(template, container);
}

/**
 * Translate a text whose {placeholders} are filled with rendered parts (html`<b>…</b>`), not strings:
 * the words stay the translator's, the parts stay templates, and nothing is written as HTML.
 * @param {(key: string, vars?: Record<string, unknown>) => string} t
 * @param {string} key
 * @param {Record<string, unknown>} parts
 * @returns {unknown[]}
 */
export function translated(t, key, parts) {
  const names = Object.keys(parts);
  const marks = Object.fromEntries(names.map((name, i) => [name, `\u0000${i}\u0000`]));
  return t(key, marks).split("\u0000").map((piece, i) => (i % 2 ? parts[names[Number(piece)]] : piece));
}
