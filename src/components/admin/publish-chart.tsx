"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { CHANGE_KINDS, type ChartChange, type JsonObject } from "@/contracts/common";
import { useTRPC } from "@/trpc/react";
import { Button, Card, ErrorMessage, Field, fieldError, inputClass } from "../ui";
import { parseValuesYaml } from "../values";

/** "kind: description" per line, as Artifact Hub's artifacthub.io/changes annotation lists them. */
function parseChanges(text: string): { ok: true; value: ChartChange[] } | { ok: false; message: string } {
  const value: ChartChange[] = [];
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  for (const [i, line] of lines.entries()) {
    const m = /^([a-z]+):\s*(.+)$/.exec(line);
    if (!m || !(CHANGE_KINDS as readonly string[]).includes(m[1]!)) return { ok: false, message: `line ${i + 1}: write "kind: description", kind one of ${CHANGE_KINDS.join(", ")}` };
    value.push({ kind: m[1] as ChartChange["kind"], description: m[2]! });
  }
  return { ok: true, value };
}

export function PublishChart({ defaultName }: { defaultName?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState(defaultName ?? "");
  const [version, setVersion] = useState("");
  const [appVersion, setAppVersion] = useState("");
  const [valuesText, setValuesText] = useState("");
  const [schemaText, setSchemaText] = useState("");
  const [changesText, setChangesText] = useState("");
  const [deprecated, setDeprecated] = useState(false);
  const values = useMemo(() => parseValuesYaml(valuesText), [valuesText]);
  const schema = useMemo(() => parseValuesYaml(schemaText), [schemaText]);
  const changes = useMemo(() => parseChanges(changesText), [changesText]);
  const publish = useMutation(
    trpc.charts.publish.mutationOptions({
      onSuccess: async () => {
        setVersion("");
        await queryClient.invalidateQueries({ queryKey: trpc.charts.pathKey() });
      },
    }),
  );
  const ready = values.ok && schema.ok && changes.ok && name && version && appVersion;
  return (
    <Card title="Publish a chart version">
      <form
        className="grid gap-4 md:grid-cols-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (!values.ok || !schema.ok || !changes.ok) return;
          publish.mutate({
            name: name.trim(),
            version: version.trim(),
            appVersion: appVersion.trim(),
            defaultValues: (values.value ?? {}) as JsonObject,
            valuesSchema: (schema.value ?? null) as JsonObject | null,
            changes: changes.value,
            deprecated,
          });
        }}
      >
        <Field label="Chart name" htmlFor="p-name" error={fieldError(publish.error, "name")}>
          <input id="p-name" required className={inputClass} value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Version (semver)" htmlFor="p-version" error={fieldError(publish.error, "version")}>
          <input id="p-version" required className={inputClass} value={version} onChange={(e) => setVersion(e.target.value)} placeholder="1.4.0" />
        </Field>
        <Field label="App version" htmlFor="p-app" error={fieldError(publish.error, "appVersion")}>
          <input id="p-app" required className={inputClass} value={appVersion} onChange={(e) => setAppVersion(e.target.value)} />
        </Field>
        <Field label="Default values (values.yaml)" htmlFor="p-values" error={values.ok ? fieldError(publish.error, "defaultValues") : `YAML error: ${values.message}`}>
          <textarea id="p-values" rows={6} spellCheck={false} className={`${inputClass} font-mono text-xs`} value={valuesText} onChange={(e) => setValuesText(e.target.value)} />
        </Field>
        <Field label="Values schema (JSON Schema as YAML or JSON, optional)" htmlFor="p-schema" error={schema.ok ? fieldError(publish.error, "valuesSchema") : `YAML error: ${schema.message}`}>
          <textarea id="p-schema" rows={6} spellCheck={false} className={`${inputClass} font-mono text-xs`} value={schemaText} onChange={(e) => setSchemaText(e.target.value)} />
        </Field>
        <Field label="Changelog" htmlFor="p-changes" hint={`one "kind: description" per line (${CHANGE_KINDS.join(", ")})`} error={changes.ok ? null : changes.message}>
          <textarea id="p-changes" rows={6} className={`${inputClass} text-xs`} value={changesText} onChange={(e) => setChangesText(e.target.value)} placeholder={"added: Per-tenant rate limiting\nsecurity: TLS 1.3 only"} />
        </Field>
        <div className="space-y-2 md:col-span-3">
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={deprecated} onChange={(e) => setDeprecated(e.target.checked)} /> Deprecated
          </label>
          {publish.error ? <ErrorMessage error={publish.error} title="Chart version not published" /> : null}
          {publish.data ? <p role="status" className="text-sm text-emerald-800">Published {publish.data.name} {publish.data.version}.</p> : null}
          <Button type="submit" variant="primary" disabled={!ready || publish.isPending}>
            {publish.isPending ? "Publishing…" : "Publish"}
          </Button>
        </div>
      </form>
    </Card>
  );
}
