import http from "node:http";
import autocannon from "autocannon";

export interface Latency {
  requests: number;
  p50: number;
  p99: number;
}

export interface Throughput {
  rps: number;
  p99: number;
}

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

function assertAllOk(name: string, result: autocannon.Result): void {
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts (is the token valid, the chart seeded?)`);
  }
}

/**
 * One client, one request at a time: the latency a caller sees. autocannon drives the
 * requests; each response time is kept at full precision (its own histogram rounds to
 * whole milliseconds, too coarse for a sub-millisecond baseline).
 */
export async function measureLatency(name: string, url: string, headers: Record<string, string>, requests: number): Promise<Latency> {
  const samples: number[] = [];
  const result = await autocannon({
    url,
    headers,
    connections: 1,
    amount: requests,
    setupClient: (client) => {
      client.on("response", (_status, _bytes, ms) => samples.push(ms));
    },
  });
  assertAllOk(name, result);
  samples.sort((a, b) => a - b);
  return { requests: samples.length, p50: percentile(samples, 0.5), p99: percentile(samples, 0.99) };
}

/** Requests per second with `connections` clients for `seconds`. */
export async function measureThroughput(name: string, url: string, headers: Record<string, string>, connections: number, seconds: number): Promise<Throughput> {
  const samples: number[] = [];
  const result = await autocannon({
    url,
    headers,
    connections,
    duration: seconds,
    setupClient: (client) => {
      client.on("response", (_status, _bytes, ms) => samples.push(ms));
    },
  });
  assertAllOk(name, result);
  samples.sort((a, b) => a - b);
  return { rps: result.requests.total / (result.duration || seconds), p99: percentile(samples, 0.99) };
}

/**
 * One large answer read to its end on a connection of its own (no keep-alive reuse, which
 * races with the server closing an idle socket after a long answer).
 */
export function fetchWhole(url: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => (res.complete ? resolve(Buffer.concat(chunks).toString("utf8")) : reject(new Error("the answer was cut"))));
      res.on("error", reject);
      if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
    });
    req.on("error", reject);
  });
}
