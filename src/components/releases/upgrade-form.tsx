"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { VALUES_STRATEGIES, type ReleaseView, type UpgradePlan, type ValuesStrategy } from "@/contracts/releases";
import { useTRPC } from "@/trpc/react";
import { DiffTable } from "../diff-table";
import { Badge, Button, Card, ErrorMessage, Field, Loading, StatusBadge, inputClass, statusTone } from "../ui";
import { inUiWords } from "../ui-words";
import { parseValuesYaml } from "../values";
import { TargetVersionPicker } from "../version-picker";
import { defaultTargetVersion } from "../versions";

const STRATEGY_HELP: Record<ValuesStrategy, string> = {
  "reset-then-reuse": "new chart defaults + the values in force + this override (keeps customisation)",
  reuse: "the values in force + this override (new chart defaults ignored)",
  reset: "new chart defaults + this override only",
};

export function PlanView({ plan }: { plan: UpgradePlan }) {
  return (
    <div className="space-y-4" data-testid="upgrade-plan">
      <p className="text-sm text-slate-800">
        <span className="font-mono">{plan.currentVersion ?? "—"}</span> → <span className="font-mono font-semibold">{plan.targetVersion}</span>
        {plan.upgradeType ? <span className="ml-2"><Badge tone="violet">{plan.upgradeType}</Badge></span> : null}
      </p>
      <ul aria-label="Pre-upgrade checks" className="divide-y divide-slate-100 rounded-md border border-slate-200">
        {plan.checks.map((c) => (
          <li key={c.id} className="flex items-start gap-3 p-2.5 text-sm" data-testid={`check-${c.id}`}>
            <Badge tone={statusTone(c.status)}>{c.status.toUpperCase()}</Badge>
            <div className="min-w-0">
              <p className="font-mono text-xs font-semibold text-slate-900">{c.id}</p>
              <p className="text-slate-700">{inUiWords(c.message)}</p>
              {c.details?.length ? (
                <ul className="mt-1 list-disc pl-5 text-xs text-slate-600">
                  {c.details.map((d, i) => (
                    <li key={i}>{typeof d === "string" ? d : JSON.stringify(d)}</li>
                  ))}
                </ul>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
      <div>
        <h3 className="mb-1 text-sm font-semibold text-slate-900">Values diff ({plan.diff.length} changes)</h3>
        <DiffTable diff={plan.diff} label="Values diff of the planned upgrade" emptyText="The computed values would not change." />
      </div>
    </div>
  );
}

export function UpgradeForm({ release }: { release: ReleaseView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const versions = useQuery(trpc.charts.versions.queryOptions({ chartName: release.chartName }));
  const [target, setTarget] = useState("");
  const [yamlText, setYamlText] = useState("");
  const [strategy, setStrategy] = useState<ValuesStrategy>("reset-then-reuse");
  const [atomic, setAtomic] = useState(false);
  const [description, setDescription] = useState("");
  const [acknowledge, setAcknowledge] = useState(false);
  const parsed = useMemo(() => parseValuesYaml(yamlText), [yamlText]);
  const chartVersion = target || defaultTargetVersion(versions.data) || "";

  const input = parsed.ok && chartVersion
    ? {
        releaseId: release.id,
        chartVersion,
        valuesOverride: parsed.value as Record<string, never> | undefined,
        valuesStrategy: strategy,
        atomic,
        description: description.trim() || undefined,
        acknowledgeBreakingChanges: acknowledge,
      }
    : null;
  // The plan shown is the plan of exactly this input: any edit asks for a new plan first.
  const [planned, setPlanned] = useState<typeof input>(null);
  const stale = JSON.stringify(planned) !== JSON.stringify(input);
  const plan = useQuery({ ...trpc.releases.plan.queryOptions(planned!), enabled: !!planned, staleTime: 0, gcTime: 0 });
  const upgrade = useMutation(
    trpc.releases.upgrade.mutationOptions({
      onSuccess: async () => {
        setPlanned(null);
        await queryClient.invalidateQueries({ queryKey: trpc.releases.pathKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.fleet.pathKey() });
      },
    }),
  );
  const hasFail = plan.data?.checks.some((c) => c.status === "fail") ?? false;
  const busy = release.status.startsWith("PENDING");

  return (
    <Card title="Upgrade">
      <form
        className="grid gap-6 lg:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (input) {
            upgrade.reset();
            setPlanned(input);
          }
        }}
      >
        <div className="space-y-4">
          <TargetVersionPicker
            id="target-version"
            label="Target chart version"
            versions={versions.data}
            value={chartVersion}
            onChange={setTarget}
            optionLabel={(v) =>
              `${v.version} (app ${v.appVersion})${v.version === release.chartVersion ? " — running" : ""}${v.deprecated ? " — deprecated" : ""}${v.containsSecurityUpdates ? " — security" : ""}`
            }
          />
          {versions.error ? <ErrorMessage error={versions.error} /> : null}
          <Field
            label="Values override (YAML)"
            htmlFor="values-override"
            hint={<>Merged as Helm does: maps recursively, lists replaced whole, <code>null</code> removes a key.</>}
            error={parsed.ok ? null : `YAML error: ${parsed.message}`}
          >
            <textarea
              id="values-override"
              rows={8}
              spellCheck={false}
              value={yamlText}
              onChange={(e) => setYamlText(e.target.value)}
              placeholder={"replicaCount: 3\nengine:\n  queryTimeoutSeconds: 600"}
              aria-invalid={!parsed.ok}
              className={`${inputClass} font-mono text-xs`}
            />
          </Field>
          <fieldset>
            <legend className="text-sm font-medium text-slate-800">Values strategy</legend>
            <div className="mt-1 space-y-1">
              {VALUES_STRATEGIES.map((s) => (
                <label key={s} className="flex items-start gap-2 text-sm">
                  <input type="radio" name="strategy" value={s} checked={strategy === s} onChange={() => setStrategy(s)} className="mt-1" />
                  <span>
                    <span className="font-mono text-xs font-semibold">{s}</span> <span className="text-slate-600">— {STRATEGY_HELP[s]}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
          <Field label="Description" htmlFor="upgrade-description">
            <input id="upgrade-description" className={inputClass} maxLength={1000} value={description} onChange={(e) => setDescription(e.target.value)} placeholder="why this upgrade" />
          </Field>
          <div className="space-y-1 text-sm">
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={atomic} onChange={(e) => setAtomic(e.target.checked)} /> Atomic: roll back automatically if the upgrade fails
            </label>
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={acknowledge} onChange={(e) => setAcknowledge(e.target.checked)} /> I acknowledge breaking changes (major bump, removed or deprecated features)
            </label>
          </div>
          <div className="flex flex-wrap gap-2">
            <Button type="submit" variant="secondary" disabled={!input || busy}>
              Check upgrade plan
            </Button>
            <Button
              type="button"
              variant="primary"
              disabled={!planned || stale || !plan.data || hasFail || upgrade.isPending || busy}
              onClick={() => planned && upgrade.mutate(planned)}
              title={stale ? "Check the plan of this exact upgrade first" : undefined}
            >
              {upgrade.isPending ? "Upgrading…" : `Confirm upgrade to ${chartVersion}`}
            </Button>
          </div>
          {busy ? <p className="text-sm text-amber-900">An operation is in progress on this release.</p> : null}
          {planned && stale ? <p className="text-sm text-slate-600">The form changed since the plan was checked: check it again before confirming.</p> : null}
          {upgrade.error ? <ErrorMessage error={upgrade.error} title="Upgrade refused" /> : null}
          {upgrade.data ? (
            <div role="status" data-testid="upgrade-result" className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm">
              Recorded revision <strong>{upgrade.data.revision.revision}</strong> ({upgrade.data.revision.chartVersion}): <StatusBadge status={upgrade.data.revision.status} />
              {upgrade.data.revision.error ? <p className="mt-1 text-red-800">{upgrade.data.revision.error}</p> : null}
            </div>
          ) : null}
        </div>
        <div>
          <h3 className="mb-2 text-sm font-semibold text-slate-900">Plan</h3>
          {!planned ? (
            <p className="text-sm text-slate-600">
              Check the plan to see the values diff and the five pre-upgrade checks before anything changes. Or see{" "}
              <Link className="text-sky-800 underline" href={`/needs-upgrade?chart=${encodeURIComponent(release.chartName)}&target=${encodeURIComponent(chartVersion)}`}>
                every release behind {chartVersion}
              </Link>
              .
            </p>
          ) : plan.error ? (
            <ErrorMessage error={plan.error} title="The plan could not be computed" />
          ) : plan.data ? (
            <>
              {hasFail ? <p role="alert" className="mb-2 text-sm font-medium text-red-800">A check failed: this upgrade would be refused.</p> : null}
              <PlanView plan={plan.data} />
            </>
          ) : (
            <Loading label="Computing the plan…" />
          )}
        </div>
      </form>
    </Card>
  );
}
