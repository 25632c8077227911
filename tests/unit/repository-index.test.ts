import { describe, expect, it } from "vitest";
import { DomainError } from "@/server/domain/errors";
import { archiveUrlOf, indexUrlOf, readRepositoryIndex } from "@/server/domain/repositories/read-repository-index";

describe("a Helm repository's index", () => {
  it("lives at <url>/index.yaml with or without a trailing slash; archive URLs resolve against the repository, as Helm does", () => {
    expect(indexUrlOf("https://charts.example.com/stable")).toBe("https://charts.example.com/stable/index.yaml");
    expect(indexUrlOf("https://charts.example.com/stable/")).toBe("https://charts.example.com/stable/index.yaml");
    expect(archiveUrlOf("https://charts.example.com/stable", "app-1.0.0.tgz")).toBe("https://charts.example.com/stable/app-1.0.0.tgz");
    expect(archiveUrlOf("https://charts.example.com/stable", "https://cdn.example.com/app-1.0.0.tgz")).toBe("https://cdn.example.com/app-1.0.0.tgz");
    expect(archiveUrlOf("https://charts.example.com/stable/", "../other/app.tgz")).toBe("https://charts.example.com/other/app.tgz");
  });

  it("reads every entry, with its digest in lower case and without a sha256: prefix", () => {
    const index = Buffer.from(`apiVersion: v1
entries:
  app:
    - name: app
      version: 1.0.0
      digest: sha256:ABCDEF
      urls: [app-1.0.0.tgz]
    - version: 1.1.0
      urls: [app-1.1.0.tgz, mirror/app-1.1.0.tgz]
  broken: not-a-list
generated: "2026-01-01T00:00:00Z"
`);
    expect(readRepositoryIndex(index)).toEqual([
      { name: "app", version: "1.0.0", digest: "abcdef", urls: ["app-1.0.0.tgz"] },
      { name: "app", version: "1.1.0", digest: null, urls: ["app-1.1.0.tgz", "mirror/app-1.1.0.tgz"] },
    ]);
  });

  it("under the archive reader's YAML limits: an alias bomb is refused", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 120 }, (_, i) => `k${i}: *a`)].join("\n");
    expect(() => readRepositoryIndex(Buffer.from(bomb))).toThrow(DomainError);
    expect(() => readRepositoryIndex(Buffer.from("- just\n- a list\n"))).toThrow("index.yaml must hold a YAML mapping");
  });
});
