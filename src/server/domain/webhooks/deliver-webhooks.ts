import { createHmac } from "node:crypto";
import { sql } from "drizzle-orm";
import { openSecret } from "@/server/crypto/secret-box";
import type { Database } from "@/server/db/client";
import { rowsOf } from "@/server/db/raw";
import { log } from "@/server/observability/log";

/** The first retry waits this long; each one after doubles it, up to RETRY_MAX_MS. */
export const RETRY_BASE_MS = 30_000;
export const RETRY_MAX_MS = 60 * 60_000;
/** A delivery still failing this long after its event is given up (FAILED). */
export const RETRY_FOR_MS = 24 * 60 * 60_000;
/** How long a claim holds: longer than any attempt, so only a crashed runner's claim runs out. */
const CLAIM_MS = 120_000;
const ERROR_CHARS = 200;

export interface DeliverOptions {
  db: Database;
  /** The clock deciding what is due and when to retry (tests move it). */
  now?: () => Date;
  /** 0 ≤ random() < 1, spreading retries (tests fix it). */
  random?: () => number;
  limit?: number;
  timeoutMs?: number;
  /** Aborted when the server stops: requests in flight are cut and their rows handed back at once. */
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

/** Delay before the attempt after `attempts` failed ones: 30 s doubling, capped, plus up to 20 % so receivers that failed together are not retried together. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(RETRY_BASE_MS * 2 ** Math.min(Math.max(attempts - 1, 0), 20), RETRY_MAX_MS);
  return Math.round(base * (1 + 0.2 * random()));
}

/** The signature header's value: HMAC-SHA256 of the exact bytes sent. */
export const signBody = (secret: string, body: string) => `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;

interface Claimed {
  id: number;
  eventId: string;
  eventType: string;
  payload: unknown;
  attempts: number;
  createdAt: string | Date;
  url: string;
  secret: string;
  enabled: boolean;
}

/**
 * Claims due deliveries: each row's next attempt moves CLAIM_MS ahead and its attempt is
 * counted, in one statement. SKIP LOCKED lets instances sharing a database claim disjoint
 * rows; the POST happens outside any transaction, and a runner that dies mid-way leaves
 * its rows to be claimed again when the claim runs out (delivery is at least once).
 */
async function claimDue(db: Database, now: Date, limit: number): Promise<Claimed[]> {
  return rowsOf<Claimed>(
    await db.execute(sql`
      update webhook_deliveries d set attempts = d.attempts + 1, next_attempt_at = ${new Date(now.getTime() + CLAIM_MS).toISOString()}::timestamptz
      from webhooks w
      where w.id = d.webhook_id and d.id in (
        select id from webhook_deliveries
        where status = 'PENDING' and next_attempt_at <= ${now.toISOString()}::timestamptz
        order by next_attempt_at, id
        limit ${limit}
        for update skip locked)
      returning d.id, d.event_id as "eventId", d.event_type as "eventType", d.payload, d.attempts, d.created_at as "createdAt", w.url, w.secret, w.enabled`),
  ).map((r) => ({ ...r, id: Number(r.id) }));
}

type Attempt = { kind: "answered"; status: number } | { kind: "error"; error: string } | { kind: "interrupted" };

async function post(options: DeliverOptions, claimed: Claimed, body: string, secret: string): Promise<Attempt> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
  try {
    const response = await (options.fetch ?? fetch)(claimed.url, {
      method: "POST",
      body,
      // A redirect is the receiver's answer, not an invitation to post the event elsewhere.
      redirect: "manual",
      signal,
      headers: {
        "content-type": "application/json",
        "user-agent": "Helmdeck-Webhooks",
        "x-helmdeck-event": claimed.eventType,
        "x-helmdeck-delivery": String(claimed.id),
        "x-helmdeck-signature": signBody(secret, body),
      },
    });
    // Nothing of the answer but its status is kept: free the connection without reading the body.
    await response.body?.cancel().catch(() => undefined);
    return { kind: "answered", status: response.status };
  } catch (e) {
    if (options.signal?.aborted) return { kind: "interrupted" };
    if (signal.aborted) return { kind: "error", error: `no answer within ${timeoutMs / 1000} s` };
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return { kind: "error", error: cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e)) };
  }
}

const describeStatus = (status: number) => (status >= 300 && status < 400 ? `HTTP ${status}: redirects are not followed` : `HTTP ${status}`);

async function record(options: DeliverOptions, claimed: Claimed, attempt: Attempt, now: Date): Promise<void> {
  const { db } = options;
  const where = sql`id = ${claimed.id} and status = 'PENDING' and attempts = ${claimed.attempts}`;
  if (attempt.kind === "interrupted") {
    // Not the receiver's failure: hand it back for any instance to deliver at once.
    await db.execute(sql`update webhook_deliveries set attempts = attempts - 1, next_attempt_at = ${now.toISOString()}::timestamptz where ${where}`);
    return;
  }
  const responseStatus = attempt.kind === "answered" ? attempt.status : null;
  if (responseStatus !== null && responseStatus >= 200 && responseStatus < 300) {
    await db.execute(sql`
      update webhook_deliveries set status = 'DELIVERED', response_status = ${responseStatus}, last_error = null, delivered_at = ${now.toISOString()}::timestamptz
      where ${where}`);
    return;
  }
  const error = (attempt.kind === "answered" ? describeStatus(attempt.status) : attempt.error).slice(0, ERROR_CHARS);
  const next = new Date(now.getTime() + retryDelayMs(claimed.attempts, options.random));
  const givenUp = !claimed.enabled || next.getTime() > new Date(claimed.createdAt).getTime() + RETRY_FOR_MS;
  await db.execute(sql`
    update webhook_deliveries set status = ${givenUp ? "FAILED" : "PENDING"}, response_status = ${responseStatus}, last_error = ${error},
      next_attempt_at = ${next.toISOString()}::timestamptz
    where ${where}`);
  log.warn({ deliveryId: claimed.id, event: claimed.eventType, attempts: claimed.attempts, responseStatus, givenUp }, "webhook delivery failed");
}

async function deliverOne(options: DeliverOptions, claimed: Claimed): Promise<void> {
  let attempt: Attempt;
  if (!claimed.enabled) {
    attempt = { kind: "error", error: "the webhook is disabled" };
  } else {
    const body = JSON.stringify({ id: claimed.eventId, type: claimed.eventType, createdAt: new Date(claimed.createdAt).toISOString(), data: claimed.payload });
    let secret: string | null = null;
    try {
      secret = await openSecret(options.db, claimed.secret);
    } catch (err) {
      log.error({ err, deliveryId: claimed.id }, "cannot open a webhook's signing secret");
    }
    attempt = secret === null ? { kind: "error", error: "the signing secret cannot be read (encryption key changed?)" } : await post(options, claimed, body, secret);
  }
  // The retry waits from the answer, not from the claim.
  await record(options, claimed, attempt, (options.now ?? (() => new Date()))());
}

/**
 * One tick of the delivery runner: claims up to `limit` due deliveries and posts them all
 * at once. Answers how many it claimed, so the runner knows whether more are waiting.
 */
export async function deliverDueWebhooks(options: DeliverOptions): Promise<number> {
  const now = (options.now ?? (() => new Date()))();
  const claimed = await claimDue(options.db, now, options.limit ?? 16);
  await Promise.all(
    claimed.map((c) => deliverOne(options, c).catch((err) => log.error({ err, deliveryId: c.id }, "could not record a webhook delivery"))),
  );
  return claimed.length;
}
