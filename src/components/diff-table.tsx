"use client";

import type { DiffEntry } from "@/contracts/releases";
import { Badge, Empty } from "./ui";
import { showValue } from "./values";

const OP_TONE = { added: "green", removed: "red", changed: "amber" } as const;

export function DiffTable({ diff, label, emptyText = "No differences." }: { diff: DiffEntry[]; label: string; emptyText?: string }) {
  if (!diff.length) return <Empty>{emptyText}</Empty>;
  return (
    <div className="relative overflow-x-auto">
      <table aria-label={label} className="min-w-full text-sm">
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-600">
            <th scope="col" className="py-1.5 pr-3">Path</th>
            <th scope="col" className="py-1.5 pr-3">Change</th>
            <th scope="col" className="py-1.5 pr-3">From</th>
            <th scope="col" className="py-1.5">To</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {diff.map((d) => (
            <tr key={`${d.op}:${d.path}`}>
              <td className="py-1.5 pr-3 font-mono text-xs text-slate-900">{d.path}</td>
              <td className="py-1.5 pr-3">
                <Badge tone={OP_TONE[d.op]}>{d.op}</Badge>
              </td>
              <td className="min-w-32 max-w-xs break-all py-1.5 pr-3 font-mono text-xs text-red-800">{d.op === "added" ? "" : showValue(d.from)}</td>
              <td className="min-w-32 max-w-xs break-all py-1.5 font-mono text-xs text-emerald-800">{d.op === "removed" ? "" : showValue(d.to)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
