import { describe, expect, it } from "vitest";
import { assertSameOriginForCookie } from "@/server/http/same-origin";

const post = (headers: Record<string, string>, method = "POST") => new Request("http://127.0.0.1:3000/api/v1/tenants", { method, headers });
const refused = (req: Request) => {
  try {
    assertSameOriginForCookie(req);
    return false;
  } catch {
    return true;
  }
};

describe("same-origin check for cookie-authenticated changes", () => {
  it("lets same-origin changes, reads and non-browser clients through", () => {
    expect(refused(post({ Origin: "http://127.0.0.1:3000", "Sec-Fetch-Site": "same-origin" }))).toBe(false);
    expect(refused(post({ Origin: "https://helmdeck.example", Host: "helmdeck.example", "X-Forwarded-Proto": "https" }))).toBe(false);
    expect(refused(post({}))).toBe(false);
    expect(refused(post({ Origin: "https://evil.example" }, "GET"))).toBe(false);
  });

  it("refuses other origins and cross-site or same-site fetches", () => {
    expect(refused(post({ Origin: "https://evil.example" }))).toBe(true);
    expect(refused(post({ Origin: "null" }))).toBe(true);
    expect(refused(post({ "Sec-Fetch-Site": "cross-site" }))).toBe(true);
    expect(refused(post({ "Sec-Fetch-Site": "same-site", Origin: "http://other.127.0.0.1:3000" }))).toBe(true);
    expect(refused(post({ Origin: "http://127.0.0.1:3000" }, "DELETE"))).toBe(false);
  });
});
