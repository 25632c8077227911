/**
 * The route template of a request for metrics and logs: each segment that carries a route
 * parameter becomes `:name` (a catch-all becomes `*`), so that labels never hold raw ids and
 * their number stays bounded. Parameters are matched in path order, which is the order
 * Next.js lists them in.
 */
const UNMATCHED = "(unmatched)";

export function routeTemplate(pathname: string, params: Record<string, string | string[] | undefined>): string {
  const segments = pathname.split("/");
  let from = 1;
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      // A catch-all takes the last segments of the path.
      return [...segments.slice(0, Math.max(from, segments.length - value.length)), "*"].join("/");
    }
    const at = segments.findIndex((segment, i) => i >= from && decode(segment) === value);
    // Never a label with a raw value in it: one that cannot be placed makes the template unknown.
    if (at === -1) return UNMATCHED;
    segments[at] = `:${name}`;
    from = at + 1;
  }
  return segments.join("/");
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
