"use client";

/**
 * The one place the UI talks to the `batches` tRPC router, which lives on another branch.
 * The vanilla tRPC client is a runtime proxy, so these calls work as soon as the router is
 * merged; until then only its *types* are missing and are declared here by hand from
 * src/contracts/batches.ts.
 *
 * AT MERGE: in `useBatchesClient` replace `useTRPCClient()` with
 * `useTRPCClient()` (and delete the `BatchesClient` interface) — TypeScript then checks these
 * calls against the real router. If `preview` is a mutation rather than a query, flip
 * PREVIEW_IS_MUTATION.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { BATCH_ITEM_STATUSES, FINISHED_BATCH_STATUSES, type BatchItemView, type BatchView } from "@/contracts/batches";
import type { JsonObject } from "@/contracts/common";
import type { ValuesStrategy } from "@/contracts/releases";
import { useTRPCClient } from "@/trpc/react";


export interface BatchStartInput {
  chartName: string;
  targetVersion: string;
  tenant?: string;
  canary?: number;
  maxFailures?: number;
  ignoreWindows?: boolean;
  valuesOverride?: JsonObject;
  valuesStrategy?: ValuesStrategy;
  atomic?: boolean;
  acknowledgeBreakingChanges?: boolean;
  description?: string;
}

function useBatchesClient() {
  return useTRPCClient();
}

const keys = {
  all: ["batches"] as const,
  list: ["batches", "list"] as const,
  get: (batchId: string) => ["batches", "get", batchId] as const,
};

export function useBatchList() {
  const client = useBatchesClient();
  return useQuery({
    queryKey: keys.list,
    queryFn: async () => {
      const answer = await client.batches.list.query({ limit: 100 });
      return Array.isArray(answer) ? answer : answer.items;
    },
    refetchInterval: 5_000,
  });
}

/** `poll`: refetch every 2 s, the fallback while the live subscription is down. */
export function useBatch(batchId: string, { poll = false }: { poll?: boolean } = {}) {
  const client = useBatchesClient();
  return useQuery({ queryKey: keys.get(batchId), queryFn: () => client.batches.get.query({ batchId }),
    refetchInterval: (q) => (poll && !(FINISHED_BATCH_STATUSES as readonly string[]).includes(q.state.data?.status ?? "") ? 2_000 : false),
  });
}

/** The dry run of a batch, as the router answers it: counts and every item with its plan. */
export function usePreviewBatch() {
  const client = useBatchesClient();
  return useMutation({
    mutationFn: (input: BatchStartInput) => client.batches.preview.query(input),
  });
}

export function useStartBatch() {
  const client = useBatchesClient();
  const queryClient = useQueryClient();
  return useMutation({
    // Asynchronous: the answer is the queued batch at once, and its live page shows the run.
    mutationFn: (input: BatchStartInput) => client.batches.start.mutate({ ...input, async: true }),
    onSuccess: (batch) => {
      queryClient.setQueryData(keys.get(batch.id), batch);
      void queryClient.invalidateQueries({ queryKey: keys.list });
    },
  });
}

export type BatchAction = "pause" | "resume" | "cancel" | "rollback";
export function useBatchAction(batchId: string) {
  const client = useBatchesClient();
  const queryClient = useQueryClient();
  return useMutation({
    // A rollback is itself a batch: started asynchronously, like any other, and watched live.
    mutationFn: (action: BatchAction) => (action === "rollback" ? client.batches.rollback.mutate({ batchId, async: true }) : client.batches[action].mutate({ batchId })),
    onSuccess: (answer, action) => {
      // A rollback answers the new (rollback) batch; the others answer this batch.
      if (action !== "rollback") queryClient.setQueryData(keys.get(batchId), answer);
      void queryClient.invalidateQueries({ queryKey: keys.all });
    },
  });
}

function isBatch(v: unknown): v is BatchView {
  return !!v && typeof v === "object" && "items" in v && "counts" in v && "status" in v;
}
function isItem(v: unknown): v is Partial<BatchItemView> & { releaseId: string } {
  return !!v && typeof v === "object" && typeof (v as { releaseId?: unknown }).releaseId === "string" && (BATCH_ITEM_STATUSES as readonly string[]).includes(String((v as { status?: unknown }).status));
}

/** Applies one event to the cached batch; returns null when the shape is not recognised. */
export function applyBatchEvent(batch: BatchView | undefined, raw: unknown): BatchView | null {
  // tracked() events arrive as {id, data}.
  const event = raw && typeof raw === "object" && "data" in raw && "id" in raw ? (raw as { data: unknown }).data : raw;
  if (isBatch(event)) return event;
  if (!batch || !event || typeof event !== "object") return null;
  const e = event as Record<string, unknown>;
  if (isBatch(e.batch)) return e.batch;
  let next: BatchView | null = null;
  const item = isItem(e.item) ? e.item : isItem(e) ? e : null;
  if (item) {
    next = { ...batch, items: batch.items.map((i) => (i.releaseId === item.releaseId ? { ...i, ...item } : i)) };
  }
  const partial = (e.batch && typeof e.batch === "object" ? e.batch : null) as Partial<BatchView> | null;
  if (partial) next = { ...(next ?? batch), ...(partial.status ? { status: partial.status } : {}), ...(partial.counts ? { counts: partial.counts } : {}), ...(partial.finishedAt !== undefined ? { finishedAt: partial.finishedAt } : {}) };
  if (e.counts && typeof e.counts === "object") next = { ...(next ?? batch), counts: e.counts as BatchView["counts"] };
  return next;
}

/**
 * Live progress: the `batches.events` subscription (server-sent events) patches the cached
 * batch; every event also schedules a refetch, so an event shape this file does not know
 * still shows up within a moment.
 */
export function useBatchEvents(batchId: string, enabled: boolean) {
  const client = useBatchesClient();
  const queryClient = useQueryClient();
  const [state, setState] = useState<"connecting" | "live" | "ended" | "error">("connecting");
  const lastEventId = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!enabled) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Throttled, not debounced: events arriving faster than the delay (a running batch) must
    // not postpone the refetch, which brings the counts, until the batch ends.
    const refetchSoon = () => {
      if (timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        void queryClient.invalidateQueries({ queryKey: keys.get(batchId) });
      }, 400);
    };
    const sub = client.batches.events.subscribe(
      { batchId, lastEventId: lastEventId.current },
      {
        onStarted: () => setState("live"),
        // The SSE link retries a lost connection by itself; meanwhile the page polls.
        onConnectionStateChange: (c) => setState(c.state === "pending" ? "live" : c.error ? "error" : "connecting"),
        onData: (data) => {
          setState("live");
          if (data && typeof data === "object" && "id" in data && typeof (data as { id: unknown }).id === "string") lastEventId.current = (data as { id: string }).id;
          const current = queryClient.getQueryData<BatchView>(keys.get(batchId));
          const next = applyBatchEvent(current, data);
          if (next) queryClient.setQueryData(keys.get(batchId), next);
          refetchSoon();
        },
        onError: () => {
          setState("error");
          refetchSoon();
        },
        onComplete: () => {
          setState("ended");
          refetchSoon();
        },
      },
    );
    return () => {
      // The stream stops when an event says the batch ended: the refetch it scheduled still
      // has to happen, or the page would keep the counts from before the last items.
      if (timer !== undefined) {
        clearTimeout(timer);
        void queryClient.invalidateQueries({ queryKey: keys.get(batchId) });
      }
      sub.unsubscribe();
    };
  }, [batchId, enabled, client, queryClient]);
  return state;
}
