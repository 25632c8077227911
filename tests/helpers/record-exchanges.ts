import { appendFileSync } from "node:fs";
import { afterAll, afterEach, inject } from "vitest";
import { contractChecker, type Exchange } from "./openapi-contract";

/**
 * Contract test of the HTTP suite (a setup file of the http project): every /api/v1
 * exchange any test makes through fetch is checked against the OpenAPI document the server
 * serves. A mismatch fails the test that made the request; the exchanges are also logged
 * for the run's coverage summary (tests/helpers/http-server-setup.ts).
 */
const realFetch = globalThis.fetch;
const mismatches: string[] = [];
const checkers = new Map<string, Promise<(exchange: Exchange) => string[]>>();

// Servers other tests start (crash and restart tests) serve the same build: each is checked against its own document.
const checkerFor = (origin: string) => {
  let checker = checkers.get(origin);
  if (!checker) {
    checker = realFetch(`${origin}/api/v1/openapi.json`).then(async (res) => contractChecker(await res.json()));
    checkers.set(origin, checker);
  }
  return checker;
};

const urlOf = (input: RequestInfo | URL) => (typeof input === "string" ? input : input instanceof URL ? input.href : input.url);

async function recordingFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const res = await realFetch(input, init);
  const url = new URL(urlOf(input));
  if (!url.pathname.startsWith("/api/v1/") || url.pathname === "/api/v1/openapi.json") return res;
  const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
  const headers = Object.fromEntries(res.headers.entries());
  const streamed = (headers["content-type"] ?? "").startsWith("text/event-stream");
  const body = streamed ? null : await res.text();
  const requestBody = typeof init?.body === "string" ? init.body : null;
  const exchange: Exchange = { method, url: url.pathname + url.search, status: res.status, headers, body, requestBody };
  const found = (await checkerFor(url.origin))(exchange);
  if (found.length > 0) mismatches.push(...found);
  appendFileSync(inject("exchangeLog"), JSON.stringify({ method, url: exchange.url, status: res.status, mismatches: found.length }) + "\n");
  if (streamed) return res;
  const empty = [101, 204, 205, 304].includes(res.status) || method === "HEAD";
  return new Response(empty ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers });
}

globalThis.fetch = recordingFetch as typeof fetch;

const report = () => {
  if (mismatches.length === 0) return;
  const found = mismatches.splice(0);
  throw new Error(`${found.length} answer(s) do not match the OpenAPI document:\n- ${found.join("\n- ")}`);
};
afterEach(report);
afterAll(report);
