/**
 * Most tRPC calls one HTTP request may carry. Without a bound, one URL could name a thousand
 * procedures and make the server run a thousand queries for it; the clients' batch links
 * split larger batches into several requests, so they never meet the refusal (400).
 */
export const MAX_TRPC_BATCH = 16;
