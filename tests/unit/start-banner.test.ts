import { describe, expect, it } from "vitest";
import { apiTokenHint } from "../../scripts/lib/start-banner";

describe("npm start's sign-in hints", () => {
  it("print a bootstrap token only when Helmdeck generated it", () => {
    const given = apiTokenHint({ token: "hd_given_by_the_operator_0123456789", generated: false, url: "http://localhost:3000" });
    expect(given).not.toContain("hd_given_by_the_operator_0123456789");
    expect(given).toContain("$HELMDECK_BOOTSTRAP_TOKEN");
    const generated = apiTokenHint({ token: "hd_generated_0123456789", generated: true, file: ".data/bootstrap-token", url: "http://localhost:3000" });
    expect(generated).toContain("hd_generated_0123456789");
    expect(generated).toContain(".data/bootstrap-token");
  });
});
