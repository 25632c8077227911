import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { EventSource } from "eventsource";
import { MAX_TRPC_BATCH } from "../contracts/trpc-batch";
import type { AppRouter } from "../server/api/root";

// Relative, not "@/…": this module is compiled for other projects (npm run build:client),
// and their compilers know nothing of this project's path aliases.
export type { AppRouter };

export interface HelmdeckClientOptions {
  /** Where Helmdeck serves, e.g. `http://localhost:3000`. */
  url: string;
  /** An API token (the same bearer tokens as the REST API). */
  token: string;
  /** A fetch to use instead of the global one (for tests, proxies, or retries). */
  fetch?: typeof fetch;
}

/**
 * A typed client for TypeScript consumers. Queries and mutations travel in batched HTTP
 * requests; subscriptions (live batch progress) as server-sent events through the
 * `eventsource` package, which, unlike a browser's EventSource, can send the bearer token,
 * and which works in Node 20 (no global EventSource there).
 */
export function createHelmdeckClient({ url, token, fetch: fetchImpl = globalThis.fetch }: HelmdeckClientOptions) {
  const endpoint = `${url.replace(/\/$/, "")}/api/trpc`;
  const authorization = `Bearer ${token}`;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({
          url: endpoint,
          EventSource,
          eventSourceOptions: {
            fetch: (input, init) => fetchImpl(input, { ...init, headers: { ...init.headers, Authorization: authorization } }),
          },
        }),
        false: httpBatchLink({ url: endpoint, fetch: fetchImpl, maxItems: MAX_TRPC_BATCH, headers: () => ({ Authorization: authorization }) }),
      }),
    ],
  });
}

export type HelmdeckClient = ReturnType<typeof createHelmdeckClient>;
