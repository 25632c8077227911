import { afterEach, describe, expect, it } from "vitest";
import { env, resetEnvCache } from "@/env";
import { authOptions } from "@/server/auth/next-auth";

const OIDC = { HELMDECK_OIDC_ISSUER: "https://idp.example/realms/x", HELMDECK_OIDC_CLIENT_ID: "helmdeck", HELMDECK_OIDC_CLIENT_SECRET: "s3cret" };

function withEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
}

describe("next-auth options", () => {
  afterEach(() => withEnv({ HELMDECK_OIDC_ISSUER: undefined, HELMDECK_OIDC_CLIENT_ID: undefined, HELMDECK_OIDC_CLIENT_SECRET: undefined, NEXTAUTH_URL: undefined }));

  it("offers password sign-in on /sign-in with JWT sessions, and OIDC only when fully configured", () => {
    expect(authOptions.pages?.signIn).toBe("/sign-in");
    expect(authOptions.session?.strategy).toBe("jwt");
    expect(authOptions.providers.map((p) => p.id)).toEqual(["credentials"]);
    withEnv(OIDC);
    const oidc = authOptions.providers.find((p) => p.id === "oidc") as { wellKnown?: string } | undefined;
    expect(oidc?.wellKnown).toBe("https://idp.example/realms/x/.well-known/openid-configuration");
    withEnv({ HELMDECK_OIDC_CLIENT_SECRET: undefined });
    expect(() => env()).toThrow(/together/);
  });

  it("uses __Secure- cookies exactly when served over https", () => {
    expect(authOptions.useSecureCookies).toBe(false);
    withEnv({ NEXTAUTH_URL: "https://helmdeck.example" });
    expect(authOptions.useSecureCookies).toBe(true);
  });
});
