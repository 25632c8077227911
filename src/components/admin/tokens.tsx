"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ROLES, type Role, type TokenView } from "@/contracts/auth";
import { useTRPC } from "@/trpc/react";
import { usePermissions } from "../use-me";
import { Badge, Button, Card, ErrorMessage, Field, Loading, PageHeader, Table, Td, Th, fieldError, formatTime, inputClass } from "../ui";

function NewTokenValue({ token, name }: { token: string; name: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm" data-testid="new-token">
      <p className="font-semibold text-emerald-950">Token “{name}” created. Copy it now: it is shown only once.</p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <code className="break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900 ring-1 ring-emerald-200" data-testid="token-value">{token}</code>
        <Button
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(token);
              setCopied(true);
            } catch {
              setCopied(false);
            }
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
    </div>
  );
}

function CreateToken() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tenants = useQuery(trpc.tenants.list.queryOptions());
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [tenantId, setTenantId] = useState("");
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: async () => {
        setName("");
        await queryClient.invalidateQueries({ queryKey: trpc.tokens.pathKey() });
      },
    }),
  );
  return (
    <Card title="Create an API token">
      <form
        className="grid gap-4 md:grid-cols-4"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ name: name.trim(), role, tenantId: role === "platform-admin" || !tenantId ? null : tenantId });
        }}
      >
        <Field label="Name" htmlFor="tok-name" error={fieldError(create.error, "name")}>
          <input id="tok-name" required className={inputClass} value={name} onChange={(e) => setName(e.target.value)} placeholder="ci-deployer" />
        </Field>
        <Field label="Role" htmlFor="tok-role">
          <select id="tok-role" className={inputClass} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {/* Least privileged first: the form starts on viewer, and more is a deliberate choice. */}
            {[...ROLES].reverse().map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </Field>
        <Field label="Tenant" htmlFor="tok-tenant" error={fieldError(create.error, "tenantId")}>
          <select id="tok-tenant" className={inputClass} value={role === "platform-admin" ? "" : tenantId} disabled={role === "platform-admin"} onChange={(e) => setTenantId(e.target.value)}>
            <option value="">{role === "viewer" ? "All tenants" : role === "platform-admin" ? "All tenants" : "Choose a tenant"}</option>
            {tenants.data?.map((t) => (
              <option key={t.id} value={t.id}>{t.slug}</option>
            ))}
          </select>
        </Field>
        <div className="flex items-end">
          <Button type="submit" variant="primary" disabled={create.isPending || !name.trim()}>
            {create.isPending ? "Creating…" : "Create token"}
          </Button>
        </div>
        <div className="md:col-span-4">
          {create.error ? <ErrorMessage error={create.error} title="Token not created" /> : null}
          {create.data ? <NewTokenValue token={create.data.token} name={create.data.name} /> : null}
        </div>
      </form>
    </Card>
  );
}

function RevokeButton({ token }: { token: TokenView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.tokens.pathKey() }) }));
  if (token.revokedAt) return <Badge tone="red">revoked</Badge>;
  return (
    <span className="flex flex-wrap items-center justify-end gap-1">
      {confirm ? (
        <>
          <Button variant="danger" autoFocus disabled={revoke.isPending} onClick={() => revoke.mutate({ id: token.id })}>
            Revoke {token.name}
          </Button>
          <Button onClick={() => setConfirm(false)}>Keep</Button>
        </>
      ) : (
        <Button onClick={() => setConfirm(true)} aria-label={`Revoke token ${token.name}`}>Revoke</Button>
      )}
      {revoke.error ? <ErrorMessage error={revoke.error} /> : null}
    </span>
  );
}

export function TokensView() {
  const trpc = useTRPC();
  const can = usePermissions();
  const tokens = useQuery({ ...trpc.tokens.list.queryOptions(), enabled: can.canManageTokens });
  const tenants = useQuery(trpc.tenants.list.queryOptions());
  const slug = (id: string | null) => (id ? (tenants.data?.find((t) => t.id === id)?.slug ?? id.slice(0, 8)) : "all tenants");
  if (!can.canManageTokens) {
    return (
      <>
        <PageHeader title="API tokens" />
        <p className="text-sm text-slate-700">Only platform admins manage API tokens.</p>
      </>
    );
  }
  return (
    <>
      <PageHeader title="API tokens" description="Bearer tokens for automation. Stored hashed; the value is shown once, when created." />
      <div className="space-y-6">
        <CreateToken />
        {tokens.error ? <ErrorMessage error={tokens.error} /> : tokens.data ? (
          <Table label="API tokens">
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Prefix</Th>
                <Th>Role</Th>
                <Th>Tenant</Th>
                <Th className="hidden md:table-cell">Created</Th>
                <Th className="hidden md:table-cell">Last used</Th>
                <Th><span className="sr-only">Actions</span></Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {tokens.data.map((t) => (
                <tr key={t.id} data-testid="token-row">
                  <Td className="font-medium">{t.name}</Td>
                  <Td className="font-mono text-xs">{t.prefix}…</Td>
                  <Td><Badge tone="blue">{t.role}</Badge></Td>
                  <Td>{slug(t.tenantId)}</Td>
                  <Td className="hidden text-xs text-slate-600 md:table-cell">{formatTime(t.createdAt)} by {t.createdBy}</Td>
                  <Td className="hidden text-xs text-slate-600 md:table-cell">{formatTime(t.lastUsedAt)}</Td>
                  <Td className="text-right"><RevokeButton token={t} /></Td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : <Loading />}
      </div>
    </>
  );
}
