/** A caller's id is kept only when it is short and plain, so that it can never smuggle text into logs or headers. */
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** The request's id: the caller's valid `x-request-id`, or a new one. (No Node.js imports: pages' proxy uses it too.) */
export function requestIdFrom(req: Request): string {
  const sent = req.headers.get("x-request-id");
  return sent && ACCEPTED_REQUEST_ID.test(sent) ? sent : globalThis.crypto.randomUUID();
}
