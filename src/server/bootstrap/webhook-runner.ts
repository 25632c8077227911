import { deliverDueWebhooks, type DeliverOptions } from "@/server/domain/webhooks/deliver-webhooks";
import { log } from "@/server/observability/log";
import { wakeablePause } from "./wakeable-pause";

export interface WebhookRunner {
  /** Looks for due deliveries now (e.g. right after a test event was queued). */
  wake(): void;
  /** Cuts the requests in flight (their rows go back to the outbox at once) and ends the loop. */
  stop(): Promise<void>;
}

/**
 * Delivers the webhook outbox: every `pollMs`, or at once when woken, claims due rows and
 * posts them; while a tick finds a full batch it goes on without waiting. Any number of
 * instances may run one on one database (claims skip each other's rows).
 */
export function startWebhookRunner({ db, pollMs = 1000, limit = 16, ...rest }: Omit<DeliverOptions, "signal"> & { pollMs?: number }): WebhookRunner {
  const abort = new AbortController();
  const idle = wakeablePause();
  const loop = (async () => {
    while (!abort.signal.aborted) {
      let claimed = 0;
      try {
        claimed = await deliverDueWebhooks({ db, limit, signal: abort.signal, ...rest });
      } catch (err) {
        log.error({ err }, "webhook runner could not claim deliveries");
      }
      if (claimed >= limit) continue;
      await idle.pause(pollMs);
    }
  })();
  return {
    wake: idle.wake,
    async stop() {
      abort.abort();
      idle.wake();
      await loop;
    },
  };
}
