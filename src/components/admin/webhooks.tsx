"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { WEBHOOK_EVENTS, type WebhookEventType, type WebhookView } from "@/contracts/webhooks";
import { useTRPC } from "@/trpc/react";
import { TenantSelect } from "../tenant-select";
import { usePermissions } from "../use-me";
import { Badge, Button, Card, Empty, ErrorMessage, Field, Loading, PageHeader, Table, Td, Th, fieldError, formatTime, inputClass, statusTone } from "../ui";

function NewSecret({ secret }: { secret: string }) {
  return (
    <div role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm" data-testid="new-webhook-secret">
      <p className="font-semibold text-emerald-950">Webhook created with a generated signing secret. Copy it now: it is shown only once.</p>
      <code className="mt-2 block break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900 ring-1 ring-emerald-200">{secret}</code>
    </div>
  );
}

function CreateWebhook() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const can = usePermissions();
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<WebhookEventType[]>(["release.upgraded", "release.failed", "batch.finished"]);
  const [secret, setSecret] = useState("");
  const [tenant, setTenant] = useState("");
  const create = useMutation(
    trpc.webhooks.create.mutationOptions({
      onSuccess: async () => {
        setUrl("");
        setSecret("");
        await queryClient.invalidateQueries({ queryKey: trpc.webhooks.pathKey() });
      },
    }),
  );
  const toggle = (event: WebhookEventType) => setEvents((now) => (now.includes(event) ? now.filter((e) => e !== event) : [...now, event]));
  return (
    <Card title="Add a webhook">
      <form
        className="grid gap-4 md:grid-cols-3"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ url: url.trim(), events, secret: secret || undefined, tenant: tenant || undefined, enabled: true });
        }}
      >
        <Field label="URL" htmlFor="hook-url" error={fieldError(create.error, "url")}>
          <input id="hook-url" type="url" required className={inputClass} value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://ci.example.com/helmdeck" />
        </Field>
        <Field label="Signing secret" htmlFor="hook-secret" hint="16 characters or more; leave empty to have one generated" error={fieldError(create.error, "secret")}>
          <input id="hook-secret" type="password" autoComplete="new-password" className={inputClass} value={secret} onChange={(e) => setSecret(e.target.value)} />
        </Field>
        {can.isPlatformAdmin ? (
          <Field label="Tenant" htmlFor="hook-tenant" error={fieldError(create.error, "tenant")}>
            <TenantSelect id="hook-tenant" value={tenant} onChange={setTenant} />
          </Field>
        ) : null}
        <fieldset className="md:col-span-3">
          <legend className="text-sm font-medium text-slate-800">Events</legend>
          <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
            {WEBHOOK_EVENTS.map((event) => (
              <label key={event} className="flex items-center gap-1.5 text-sm text-slate-800">
                <input type="checkbox" checked={events.includes(event)} onChange={() => toggle(event)} />
                <code className="text-xs">{event}</code>
              </label>
            ))}
          </div>
          {fieldError(create.error, "events") ? <p className="mt-1 text-sm text-red-700">{fieldError(create.error, "events")}</p> : null}
        </fieldset>
        <div className="md:col-span-3">
          <Button type="submit" variant="primary" disabled={create.isPending || !url.trim() || events.length === 0}>
            {create.isPending ? "Adding…" : "Add webhook"}
          </Button>
        </div>
        <div className="md:col-span-3">
          {create.error ? <ErrorMessage error={create.error} title="Webhook not added" /> : null}
          {create.data?.secret ? <NewSecret secret={create.data.secret} /> : null}
        </div>
      </form>
    </Card>
  );
}

function Deliveries({ webhook }: { webhook: WebhookView }) {
  const trpc = useTRPC();
  // Pending deliveries change on their own: poll while any is pending.
  const deliveries = useQuery({
    ...trpc.webhooks.deliveries.queryOptions({ id: webhook.id, limit: 20 }),
    refetchInterval: (query) => (query.state.data?.items.some((d) => d.status === "PENDING") ? 2000 : false),
  });
  if (deliveries.error) return <ErrorMessage error={deliveries.error} />;
  if (!deliveries.data) return <Loading />;
  if (deliveries.data.items.length === 0) return <Empty>No deliveries yet.</Empty>;
  return (
    <Table label={`Deliveries of ${webhook.url}`}>
      <thead>
        <tr>
          <Th>Event</Th>
          <Th>Status</Th>
          <Th>Attempts</Th>
          <Th>Answer</Th>
          <Th className="hidden md:table-cell">Created</Th>
          <Th className="hidden md:table-cell">Delivered / next attempt</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {deliveries.data.items.map((d) => (
          <tr key={d.id} data-testid="delivery-row">
            <Td><code className="text-xs">{d.event}</code></Td>
            <Td><Badge tone={d.status === "DELIVERED" ? "green" : statusTone(d.status)}>{d.status}</Badge></Td>
            <Td>{d.attempts}</Td>
            <Td className="text-xs">{d.lastError ?? (d.responseStatus ? `HTTP ${d.responseStatus}` : "—")}</Td>
            <Td className="hidden text-xs text-slate-600 md:table-cell">{formatTime(d.createdAt)}</Td>
            <Td className="hidden text-xs text-slate-600 md:table-cell">{formatTime(d.deliveredAt ?? d.nextAttemptAt)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function WebhookCard({ webhook }: { webhook: WebhookView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.webhooks.pathKey() });
  const test = useMutation(
    trpc.webhooks.test.mutationOptions({
      onSuccess: async () => {
        setOpen(true);
        await refresh();
      },
    }),
  );
  const update = useMutation(trpc.webhooks.update.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.webhooks.delete.mutationOptions({ onSuccess: refresh }));
  return (
    <Card
      title={<span className="break-all font-mono text-sm">{webhook.url}</span>}
      actions={
        <span className="flex flex-wrap items-center gap-1">
          <Badge tone={webhook.enabled ? "green" : "grey"}>{webhook.enabled ? "enabled" : "disabled"}</Badge>
          <Badge tone="blue">{webhook.tenant ?? "all tenants"}</Badge>
        </span>
      }
    >
      <div data-testid="webhook-card" className="space-y-3">
        <p className="flex flex-wrap gap-1 text-xs">
          {webhook.events.map((e) => (
            <code key={e} className="rounded bg-slate-100 px-1.5 py-0.5">{e}</code>
          ))}
        </p>
        <p className="text-xs text-slate-600">Added {formatTime(webhook.createdAt)} by {webhook.createdBy}</p>
        <div className="flex flex-wrap gap-2">
          <Button onClick={() => test.mutate({ id: webhook.id })} disabled={test.isPending}>
            {test.isPending ? "Sending…" : "Send test"}
          </Button>
          <Button onClick={() => setOpen((v) => !v)} aria-expanded={open}>
            {open ? "Hide deliveries" : "Deliveries"}
          </Button>
          <Button onClick={() => update.mutate({ id: webhook.id, changes: { enabled: !webhook.enabled } })} disabled={update.isPending}>
            {webhook.enabled ? "Disable" : "Enable"}
          </Button>
          {confirm ? (
            <>
              <Button variant="danger" autoFocus disabled={remove.isPending} onClick={() => remove.mutate({ id: webhook.id })}>
                Delete with its history
              </Button>
              <Button onClick={() => setConfirm(false)}>Keep</Button>
            </>
          ) : (
            <Button onClick={() => setConfirm(true)}>Delete</Button>
          )}
        </div>
        {[test.error, update.error, remove.error].map((error, i) => (error ? <ErrorMessage key={i} error={error} /> : null))}
        {open ? <Deliveries webhook={webhook} /> : null}
      </div>
    </Card>
  );
}

export function WebhooksView() {
  const trpc = useTRPC();
  const can = usePermissions();
  const webhooks = useQuery({ ...trpc.webhooks.list.queryOptions(), enabled: can.canManageWebhooks });
  if (!can.canManageWebhooks) {
    return (
      <>
        <PageHeader title="Webhooks" />
        <p className="text-sm text-slate-700">Viewers do not manage webhooks.</p>
      </>
    );
  }
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Signed HTTP notifications of release outcomes, batches and published charts, retried for 24 hours. Signature: X-Helmdeck-Signature, HMAC-SHA256 of the body."
      />
      <div className="space-y-6">
        <CreateWebhook />
        {webhooks.error ? (
          <ErrorMessage error={webhooks.error} />
        ) : !webhooks.data ? (
          <Loading />
        ) : webhooks.data.length === 0 ? (
          <Empty>No webhooks yet.</Empty>
        ) : (
          webhooks.data.map((w) => <WebhookCard key={w.id} webhook={w} />)
        )}
      </div>
    </>
  );
}
