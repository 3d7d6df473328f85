/** How long the service asked us to wait: retry-after-ms, x-ms-retry-after-ms, or Retry-After (seconds or HTTP date). */
export function retryAfterMs(headers: Record<string, string | string[] | undefined>, now: number): number | undefined {
  const one = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const v = Number(one(name));
    if (one(name) !== undefined && Number.isFinite(v) && v >= 0) return v;
  }
  const ra = one('retry-after');
  if (ra === undefined) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(ra)) return Number(ra) * 1000;
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
