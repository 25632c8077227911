"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { FINISHED_BATCH_STATUSES, type BatchEvent } from "@/contracts/batches";
import { useTRPC, useTRPCClient } from "@/trpc/react";
import { reduceBatch, reducePage, type ItemFilter } from "./live-batch";

/** Rows a page of the live view holds: well under the 500 a browser keeps smooth while events stream in. */
export const ITEMS_PAGE_SIZE = 100;
/** A page that events made stale is read again at most this often while events arrive. */
const REFETCH_THROTTLE_MS = 1_000;
const POLL_MS = 2_000;

export type StreamState = "connecting" | "live" | "ended" | "error";
const isFinished = (status: string | undefined) => (FINISHED_BATCH_STATUSES as readonly string[]).includes(status ?? "");

/**
 * A batch as its live page shows it: the batch (status and counts from the server), one
 * page of its items (filtered by status and tenant, after `cursor`), and the
 * `batches.events` subscription applying each event to both through the reducers of
 * live-batch.ts. Whatever an event cannot place in the page marks it stale, and it is read
 * again (throttled). While the stream is down, both poll.
 */
export function useBatchLive(batchId: string, filter: ItemFilter, cursor: string | undefined) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [stream, setStream] = useState<StreamState>("connecting");
  // Whether to follow the stream at all is decided once, by the batch as first read: a batch
  // that ends while watched still reports the items in flight, and the stream ends by itself.
  const [decided, setDecided] = useState<{ batchId: string; watch: boolean } | null>(null);
  const watch = decided?.batchId === batchId ? decided.watch : null;
  const poll = watch === true && (stream === "error" || stream === "connecting");

  const batchQuery = trpc.batches.get.queryOptions({ batchId });
  const batch = useQuery({ ...batchQuery, refetchInterval: (q) => (poll && !isFinished(q.state.data?.status) ? POLL_MS : false) });
  const itemsInput = { batchId, status: filter.status, tenant: filter.tenant, cursor, limit: ITEMS_PAGE_SIZE };
  const itemsQuery = trpc.batches.items.queryOptions(itemsInput);
  // gcTime 0: a page left behind is dropped at once, so memory holds the page on screen only.
  const page = useQuery({ ...itemsQuery, gcTime: 0, placeholderData: keepPreviousData, refetchInterval: poll && !isFinished(batch.data?.status) ? POLL_MS : false });

  // The subscription outlives filter and page changes: it reads the current ones from here.
  const current = useRef({ filter, itemsKey: itemsQuery.queryKey });
  current.current = { filter, itemsKey: itemsQuery.queryKey };

  const firstStatus = batch.data?.status;
  useEffect(() => {
    if (watch === null && firstStatus) setDecided({ batchId, watch: !isFinished(firstStatus) });
  }, [batchId, watch, firstStatus]);
  useEffect(() => {
    if (!watch) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stale = false;
    const refetchPage = () => {
      stale = true;
      if (timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        stale = false;
        void queryClient.invalidateQueries({ queryKey: current.current.itemsKey });
      }, REFETCH_THROTTLE_MS);
    };
    const apply = (event: BatchEvent) => {
      queryClient.setQueryData(batchQuery.queryKey, (b) => (b ? reduceBatch(b, event) : b));
      const { filter: f, itemsKey } = current.current;
      let pageStale = false;
      queryClient.setQueryData(itemsKey, (p) => {
        if (!p) return p;
        const next = reducePage(p, event, f);
        pageStale = next.stale;
        return next.page;
      });
      if (pageStale) refetchPage();
    };
    const sub = client.batches.events.subscribe(
      { batchId },
      {
        onStarted: () => setStream("live"),
        // The SSE link reconnects by itself, resuming after the last event id; meanwhile the page polls.
        onConnectionStateChange: (c) => setStream(c.state === "pending" ? "live" : c.error ? "error" : "connecting"),
        onData: ({ data }) => {
          setStream("live");
          apply(data);
        },
        onError: () => setStream("error"),
        onComplete: () => {
          setStream("ended");
          // The last events may have ended the batch: read it and the page once more, complete.
          void queryClient.invalidateQueries({ queryKey: batchQuery.queryKey });
          void queryClient.invalidateQueries({ queryKey: current.current.itemsKey });
        },
      },
    );
    return () => {
      if (timer !== undefined) clearTimeout(timer);
      if (stale) void queryClient.invalidateQueries({ queryKey: current.current.itemsKey });
      sub.unsubscribe();
    };
    // batchQuery.queryKey follows from batchId alone; the page's key is read through `current`.
  }, [batchId, watch, client, queryClient]);

  return { batch, page, stream };
}
