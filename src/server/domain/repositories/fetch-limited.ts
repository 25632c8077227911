import { DomainError } from "../errors";

export const MAX_REDIRECTS = 3;

export interface FetchLimits {
  maxBytes: number;
  /** Until the response headers arrive: an unreachable or silent server fails fast. */
  connectTimeoutMs: number;
  /** For the whole exchange, body included: a server trickling bytes cannot hold a sync forever. */
  totalTimeoutMs: number;
}

export const DEFAULT_FETCH_LIMITS: Omit<FetchLimits, "maxBytes"> = { connectTimeoutMs: 10_000, totalTimeoutMs: 60_000 };

const failure = (message: string) => new DomainError("UNPROCESSABLE", message);

function checkScheme(url: URL): void {
  if (url.protocol !== "http:" && url.protocol !== "https:") throw failure(`${url.protocol} URLs are not fetched (only http and https)`);
  if (url.username || url.password) throw failure("URLs with credentials are not fetched");
}

/**
 * GET with the care a server owes URLs that users configure: http(s) only, redirects followed
 * by hand (at most MAX_REDIRECTS, each checked again), timeouts on connecting and on the
 * whole exchange, and the body counted while it streams so that a huge answer stops at the
 * cap instead of filling memory. Private addresses are allowed on purpose: chart
 * repositories usually are private (docs/automation.md).
 */
export async function fetchLimited(start: string, limits: FetchLimits): Promise<Buffer> {
  const total = AbortSignal.timeout(limits.totalTimeoutMs);
  let url = new URL(start);
  for (let redirects = 0; ; redirects++) {
    checkScheme(url);
    // Aborts only while waiting for the headers; the body is bounded by the total timeout.
    const connect = new AbortController();
    const timer = setTimeout(() => connect.abort(), limits.connectTimeoutMs);
    let response: Response;
    try {
      response = await fetch(url, { redirect: "manual", signal: AbortSignal.any([total, connect.signal]), headers: { accept: "*/*", "user-agent": "helmdeck" } });
    } catch (e) {
      throw failure(`${url.origin}${url.pathname}: ${describeFetchError(e, total, connect.signal, limits)}`);
    } finally {
      clearTimeout(timer);
    }
    if (response.status >= 300 && response.status < 400 && response.headers.has("location")) {
      await response.body?.cancel();
      if (redirects >= MAX_REDIRECTS) throw failure(`${url.origin}${url.pathname}: more than ${MAX_REDIRECTS} redirects`);
      url = new URL(response.headers.get("location")!, url);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw failure(`${url.origin}${url.pathname}: the server answered ${response.status}`);
    }
    return readCapped(response, url, limits, total);
  }
}

async function readCapped(response: Response, url: URL, limits: FetchLimits, total: AbortSignal): Promise<Buffer> {
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > limits.maxBytes) {
    await response.body?.cancel();
    throw failure(`${url.origin}${url.pathname}: ${declared} bytes; at most ${limits.maxBytes} are read`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limits.maxBytes) {
        await reader.cancel();
        throw failure(`${url.origin}${url.pathname}: more than ${limits.maxBytes} bytes; at most ${limits.maxBytes} are read`);
      }
      chunks.push(Buffer.from(value));
    }
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw failure(`${url.origin}${url.pathname}: ${describeFetchError(e, total, undefined, limits)}`);
  }
  return Buffer.concat(chunks);
}

function describeFetchError(e: unknown, total: AbortSignal, connect: AbortSignal | undefined, limits: FetchLimits): string {
  if (total.aborted) return `no complete answer within ${limits.totalTimeoutMs} ms`;
  if (connect?.aborted) return `no answer within ${limits.connectTimeoutMs} ms`;
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
}
