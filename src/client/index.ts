import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import type { AppRouter } from "@/server/api/root";

export type { AppRouter };

/**
 * A typed client for TypeScript consumers: the same bearer tokens as the REST API.
 * Subscriptions (live batch progress) travel as server-sent events.
 */
export function createHelmdeckClient({ url, token }: { url: string; token: string }) {
  const endpoint = `${url.replace(/\/$/, "")}/api/trpc`;
  const headers = { Authorization: `Bearer ${token}` };
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({
          url: endpoint,
          // EventSource cannot send headers; the fetch-based polyfill path in Node can.
          eventSourceOptions: () => ({ headers }) as EventSourceInit,
        }),
        false: httpBatchLink({ url: endpoint, headers: () => headers }),
      }),
    ],
  });
}
