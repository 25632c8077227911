/**
 * A redirect that repeats the URL it was asked for (Next's trailing-slash and repeated-slash
 * redirects write it into Location and again into Refresh) must stay readable: Node's HTTP
 * clients, fetch included, refuse response headers past 16 KiB. Past this length the answer is
 * 414 instead of an echo, and the headers stay under 10 KiB.
 */
export const MAX_REDIRECT_URL_LENGTH = 4 * 1024;

/** The 414 problem+json body, with what the client should ask for instead. */
export function uriTooLongProblem(askInstead: string): string {
  return JSON.stringify({
    type: "urn:helmdeck:problem:uri-too-long",
    title: "URI too long",
    status: 414,
    detail: `the URL is longer than ${MAX_REDIRECT_URL_LENGTH} characters; ${askInstead}`,
  });
}
