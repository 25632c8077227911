import { z } from "zod";
import { describe, expect, it } from "vitest";
import { sameOriginPath } from "@/contracts/redirects";
import { canonicalJson } from "@/server/boundary/canonical-json";
import { findUnsafeInput, storableText } from "@/server/boundary/find-unsafe-input";
import { cursorParts, decodeCursor, encodeCursor } from "@/server/domain/pagination";

describe("strings no database can store", () => {
  it("finds NUL and unpaired surrogates in values and keys, with their path", () => {
    expect(findUnsafeInput({ a: [{ b: "ok" }, { c: "x\u0000" }] })).toEqual({ path: "a.1.c", message: expect.stringMatching(/NUL/) });
    expect(findUnsafeInput({ "k\ud800": 1 })).toEqual({ path: "k\ud800", message: expect.stringMatching(/^key .*surrogate/) });
    expect(findUnsafeInput({ lone: "\udc00" })?.message).toMatch(/surrogate/);
    expect(findUnsafeInput({ emoji: "🚀 ünïcödé", pair: "\ud83d\ude80" })).toBeNull();
    expect(findUnsafeInput("\u0000")).toEqual({ path: "(body)", message: expect.stringMatching(/NUL/) });
  });

  it("refuses depth past the limit without walking it", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(findUnsafeInput(deep)?.message).toMatch(/nesting deeper than 36/);
  });

  it("makes attacker text storable for the record", () => {
    expect(storableText("a\u0000b\ud800c\ud83d\ude80")).toBe("a\ufffdb\ufffdc\ud83d\ude80");
  });
});

describe("canonical JSON", () => {
  it("is the same text for the same document in any key order", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [2, { x: 0, y: 1 }] }, b: 1.0 }));
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
  });
});

describe("cursors", () => {
  const shape = z.tuple([cursorParts.timestamp, cursorParts.id]);
  const id = "00000000-0000-4000-8000-000000000000";
  it("refuse a well-formed timestamp that cannot exist, with 400", () => {
    for (const impossible of ["2024-13-01 00:00:00+00", "2023-02-29 10:00:00Z", "2024-01-01 24:00:00Z", "2024-01-01 10:61:00Z", "0000-01-01 00:00:00Z"]) {
      expect(() => decodeCursor(encodeCursor([impossible, id]), shape), impossible).toThrow(expect.objectContaining({ httpStatus: 400 }));
    }
    expect(decodeCursor(encodeCursor(["2024-02-29 23:59:59.123456+00", id]), shape)[0]).toBe("2024-02-29 23:59:59.123456+00");
  });

  it("refuse text no database can store and sequence numbers past bigint's safe range", () => {
    expect(() => decodeCursor(encodeCursor(["a\u0000", id]), z.tuple([cursorParts.text, cursorParts.id]))).toThrow(expect.objectContaining({ httpStatus: 400 }));
    expect(() => decodeCursor(encodeCursor([1e300]), z.tuple([cursorParts.sequence]))).toThrow(expect.objectContaining({ httpStatus: 400 }));
  });
});

describe("where sign-in may return to", () => {
  const origin = "http://127.0.0.1:3000";
  it("keeps paths of this origin", () => {
    expect(sameOriginPath("/releases?tenant=acme#top", origin)).toBe("/releases?tenant=acme#top");
    expect(sameOriginPath(`${origin}/batches/1`, origin)).toBe("/batches/1");
    expect(sameOriginPath("/%2F%2Fevil.test", origin)).toBe("/%2F%2Fevil.test");
  });

  it("sends anything that leaves the origin home, however it is spelled", () => {
    for (const hostile of ["/\\evil.test/phish", "//evil.test", "https://evil.test", "\\\\evil.test", "/\t/evil.test", " //evil.test", "javascript:alert(1)", "http://127.0.0.1:3000@evil.test/", "http:evil.test", "/.//evil.test"]) {
      const path = sameOriginPath(hostile, origin);
      expect(new URL(path, origin).origin, hostile).toBe(origin);
      expect(path.startsWith("//"), hostile).toBe(false);
    }
    expect(sameOriginPath("https://evil.test/x", origin)).toBe("/");
  });
});
