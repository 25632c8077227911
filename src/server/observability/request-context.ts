import { AsyncLocalStorage } from "node:async_hooks";

export { requestIdFrom } from "./request-id";

/** What every log line written while serving a request carries. */
export interface RequestContext {
  requestId: string;
  /** Who called, once authentication has said so (a name, never a credential). */
  actor?: string;
}

// One store per process: Next bundles this module into several route chunks.
const globalForContext = globalThis as unknown as { helmdeckRequestContext?: AsyncLocalStorage<RequestContext> };
const storage = (globalForContext.helmdeckRequestContext ??= new AsyncLocalStorage<RequestContext>());

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

/** Names the caller on this request's remaining log lines (its request line included). */
export function setRequestActor(actor: string): void {
  const context = storage.getStore();
  if (context) context.actor = actor;
}
