"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { DEFAULT_SYNC_INTERVAL_SECONDS, type RepositorySyncResult, type RepositoryView } from "@/contracts/repositories";
import { useTRPC } from "@/trpc/react";
import { usePermissions } from "../use-me";
import { Badge, Button, Card, Empty, ErrorMessage, Field, Loading, PageHeader, Table, Td, Th, fieldError, formatTime, inputClass } from "../ui";

function AddRepository() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [intervalSeconds, setIntervalSeconds] = useState(String(DEFAULT_SYNC_INTERVAL_SECONDS));
  const create = useMutation(
    trpc.repositories.create.mutationOptions({
      onSuccess: async () => {
        setName("");
        setUrl("");
        await queryClient.invalidateQueries({ queryKey: trpc.repositories.pathKey() });
      },
    }),
  );
  return (
    <Card title="Add a chart repository">
      <form
        className="grid gap-4 md:grid-cols-4"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ name: name.trim(), url: url.trim(), intervalSeconds: Number(intervalSeconds), enabled: true });
        }}
      >
        <Field label="Name" htmlFor="repo-name" error={fieldError(create.error, "name")}>
          <input id="repo-name" required className={inputClass} value={name} onChange={(e) => setName(e.target.value)} placeholder="internal-charts" />
        </Field>
        <Field label="URL" htmlFor="repo-url" hint="Its index is <URL>/index.yaml" error={fieldError(create.error, "url")}>
          <input id="repo-url" required className={inputClass} value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://charts.example.com" />
        </Field>
        <Field label="Sync every (seconds)" htmlFor="repo-interval" error={fieldError(create.error, "intervalSeconds")}>
          <input id="repo-interval" type="number" min={60} required className={inputClass} value={intervalSeconds} onChange={(e) => setIntervalSeconds(e.target.value)} />
        </Field>
        <div className="flex items-end">
          <Button type="submit" variant="primary" disabled={create.isPending || !name.trim() || !url.trim()}>
            {create.isPending ? "Adding…" : "Add repository"}
          </Button>
        </div>
        {create.error ? (
          <div className="md:col-span-4">
            <ErrorMessage error={create.error} title="Repository not added" />
          </div>
        ) : null}
      </form>
    </Card>
  );
}

function SyncSummary({ result }: { result: RepositorySyncResult }) {
  return (
    <div className="space-y-1 text-xs" data-testid="sync-result">
      <p>
        {result.imported.length} imported, {result.unchanged} unchanged, {result.errors.length} error{result.errors.length === 1 ? "" : "s"}
      </p>
      {result.imported.length ? <p className="text-slate-600">{result.imported.map((v) => `${v.name} ${v.version}`).join(", ")}</p> : null}
      {result.errors.length ? (
        <ul className="list-disc pl-4 text-red-800">
          {result.errors.slice(0, 10).map((e) => (
            <li key={`${e.name}@${e.version}`}>
              {e.name} {e.version}: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function RepositoryActions({ repository }: { repository: RepositoryView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.repositories.pathKey() });
  const sync = useMutation(trpc.repositories.sync.mutationOptions({ onSettled: refresh }));
  const toggle = useMutation(trpc.repositories.update.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.repositories.delete.mutationOptions({ onSuccess: refresh }));
  const [confirm, setConfirm] = useState(false);
  return (
    <span className="flex flex-wrap items-center justify-end gap-1">
      <Button onClick={() => sync.mutate({ id: repository.id })} disabled={sync.isPending} aria-label={`Sync ${repository.name}`}>
        {sync.isPending ? "Syncing…" : "Sync now"}
      </Button>
      <Button onClick={() => toggle.mutate({ id: repository.id, changes: { enabled: !repository.enabled } })} disabled={toggle.isPending}>
        {repository.enabled ? "Disable" : "Enable"}
      </Button>
      {confirm ? (
        <>
          <Button variant="danger" autoFocus onClick={() => remove.mutate({ id: repository.id })}>
            Remove {repository.name}
          </Button>
          <Button onClick={() => setConfirm(false)}>Keep</Button>
        </>
      ) : (
        <Button onClick={() => setConfirm(true)} aria-label={`Remove repository ${repository.name}`}>
          Remove
        </Button>
      )}
      {sync.error ? <ErrorMessage error={sync.error} title="Sync failed" /> : null}
      {toggle.error || remove.error ? <ErrorMessage error={toggle.error ?? remove.error} /> : null}
    </span>
  );
}

export function RepositoriesView() {
  const trpc = useTRPC();
  const can = usePermissions();
  const repositories = useQuery({ ...trpc.repositories.list.queryOptions(), enabled: can.isPlatformAdmin });
  if (!can.isPlatformAdmin) {
    return (
      <>
        <PageHeader title="Chart repositories" />
        <p className="text-sm text-slate-700">Only platform admins manage chart repositories.</p>
      </>
    );
  }
  return (
    <>
      <PageHeader
        title="Chart repositories"
        description="Helm HTTP repositories whose index.yaml is imported into the catalog: each new version's archive is checked against the index's digest and imported like a .tgz upload."
      />
      <div className="space-y-6">
        <AddRepository />
        {repositories.error ? (
          <ErrorMessage error={repositories.error} />
        ) : !repositories.data ? (
          <Loading />
        ) : repositories.data.length === 0 ? (
          <Empty>No chart repositories yet.</Empty>
        ) : (
          <Table label="Chart repositories">
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Last sync</Th>
                <Th>Result</Th>
                <Th><span className="sr-only">Actions</span></Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {repositories.data.map((r) => (
                <tr key={r.id} data-testid="repository-row">
                  <Td>
                    <p className="font-medium">
                      {r.name} {r.enabled ? null : <Badge>disabled</Badge>}
                    </p>
                    <p className="break-all font-mono text-xs text-slate-600">{r.url}</p>
                    <p className="text-xs text-slate-500">every {r.intervalSeconds} s</p>
                  </Td>
                  <Td className="text-xs text-slate-600">
                    {formatTime(r.lastSyncAt)}
                    {r.lastError ? (
                      <p className="mt-1 max-w-xs break-words text-red-800" data-testid="repository-error">
                        {r.lastError}
                      </p>
                    ) : null}
                  </Td>
                  <Td>{r.lastResult ? <SyncSummary result={r.lastResult} /> : <span className="text-xs text-slate-500">never synced</span>}</Td>
                  <Td className="text-right">
                    <RepositoryActions repository={r} />
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </div>
    </>
  );
}
