import { inject } from "vitest";

export const baseUrl = () => inject("baseUrl");
/** The one other origin the test server lets browsers call it from (HELMDECK_CORS_ORIGINS). */
export const CORS_ORIGIN = "https://console.example.test";
export const adminToken = () => inject("adminToken");

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** fetch against the test server's /api/v1, JSON in and out. */
export async function api<T = any>(
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; rawBody?: BodyInit; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const token = options.token === undefined ? adminToken() : options.token;
  const headers: Record<string, string> = { ...options.headers };
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: BodyInit | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["Content-Type"] ??= "application/json";
  }
  const res = await fetch(`${baseUrl()}/api/v1${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}
