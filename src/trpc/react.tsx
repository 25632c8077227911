"use client";

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState } from "react";
import type { AppRouter } from "@/client";
import { MAX_TRPC_BATCH } from "@/contracts/trpc-batch";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

const errorCode = (error: unknown) => (error as { data?: { code?: string } } | null)?.data?.code;

/**
 * The (admin) layout lets nobody in without a session, but a session can end while a page
 * is open (expiry, sign-out elsewhere, revocation): the next call that answers UNAUTHORIZED
 * sends the browser to sign in, and back here afterwards.
 */
function signInAgain(error: unknown) {
  if (errorCode(error) !== "UNAUTHORIZED" || typeof window === "undefined" || window.location.pathname === "/sign-in") return;
  const here = `${window.location.pathname}${window.location.search}`;
  window.location.assign(`/sign-in?callbackUrl=${encodeURIComponent(here)}`);
}

function makeQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({ onError: signInAgain }),
    mutationCache: new MutationCache({ onError: signInAgain }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        // A 401/403/404 will not change on retry: show it at once instead of after three tries.
        retry: (count, error) => {
          const code = errorCode(error);
          if (code && ["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "BAD_REQUEST", "UNPROCESSABLE_CONTENT"].includes(code)) return false;
          return count < 2;
        },
      },
    },
  });
}

/**
 * Same-origin requests carry the session cookie by themselves, so the UI sends no token.
 * Subscriptions (live batch progress) go over server-sent events.
 */
export function TRPCReactProvider({ children }: { children: React.ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === "subscription",
          true: httpSubscriptionLink({ url: "/api/trpc" }),
          false: httpBatchLink({ url: "/api/trpc", maxItems: MAX_TRPC_BATCH }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
