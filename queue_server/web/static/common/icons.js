// @ts-check
// Pictograms beside categories and services: the bundled Tabler outline icons, one small SVG file each.

const ICONS = "/static/vendor/tabler-icons/outline/";

/**
 * Return the URL of a bundled pictogram, or null for no name or a name that is not an icon's
 * (the hall YAML checks names against the set; this keeps a page from asking for anything else).
 * @param {string | null | undefined} name
 * @returns {string | null}
 */
export function iconUrl(name) {
  return name && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(name) ? `${ICONS}${name}.svg` : null;
}

/**
 * Return a service's pictogram, or its category's when the service has none.
 * @param {{ icon?: string | null } | null | undefined} service
 * @param {{ icon?: string | null } | null | undefined} category
 * @returns {string | null}
 */
export function serviceIcon(service, category) {
  return iconUrl(service && service.icon) || iconUrl(category && category.icon);
}
