// @ts-check
// Pure: merge the configured stations with /api/stats/cases by_station into a league table.

/** @typedef {import("../types/api").components["schemas"]} Schemas */

/**
 * Return every station with its figures, best first, and the totals for the headline.
 * @param {Schemas["StationPublic"][]} stations
 * @param {Schemas["CaseByStation"][] | null | undefined} byStation
 */
export function stationRows(stations, byStation) {
  /** @type {Record<string, Partial<Schemas["CaseByStation"]>>} */
  const figures = Object.fromEntries((byStation || []).map((r) => [r.station, r]));
  const rows = stations.map((s) => {
    const f = figures[s.code] || {};
    return { ...s, accepted: f.accepted || 0, completed: f.completed || 0,
      on_time_pct: f.on_time_pct ?? null, km_saved: f.km_saved ?? null };
  });
  rows.sort((a, b) => b.accepted - a.accepted || b.completed - a.completed || a.code.localeCompare(b.code));
  const withCases = rows.filter((r) => r.accepted);
  const known = withCases.filter((r) => r.km_saved !== null);
  return {
    rows,
    totals: {
      accepted: rows.reduce((n, r) => n + r.accepted, 0),
      completed: rows.reduce((n, r) => n + r.completed, 0),
      km: known.length ? Math.round(known.reduce((n, r) => n + (r.km_saved ?? 0), 0) * 10) / 10 : null,
      unknown: withCases.length - known.length,
    },
  };
}
