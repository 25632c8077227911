"use client";

import Link from "next/link";
import type { ReleaseStatus } from "@/contracts/releases";
import { inUiWords } from "./ui-words";

export function cx(...classes: (string | false | null | undefined)[]) {
  return classes.filter(Boolean).join(" ");
}

export function PageHeader({ title, description, actions }: { title: string; description?: React.ReactNode; actions?: React.ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div className="min-w-0">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
        {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
      </div>
      {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
    </div>
  );
}

export function Card({ title, actions, children, className }: { title?: React.ReactNode; actions?: React.ReactNode; children: React.ReactNode; className?: string }) {
  return (
    <section className={cx("rounded-lg border border-slate-200 bg-white shadow-sm", className)}>
      {title ? (
        <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-3">
          <h2 className="text-sm font-semibold text-slate-900">{title}</h2>
          {actions}
        </header>
      ) : null}
      <div className="p-4">{children}</div>
    </section>
  );
}

const BADGE_TONES = {
  green: "bg-emerald-50 text-emerald-800 ring-emerald-600/30",
  red: "bg-red-50 text-red-800 ring-red-600/30",
  amber: "bg-amber-50 text-amber-900 ring-amber-600/40",
  grey: "bg-slate-100 text-slate-700 ring-slate-500/30",
  blue: "bg-sky-50 text-sky-800 ring-sky-600/30",
  violet: "bg-violet-50 text-violet-800 ring-violet-600/30",
} as const;
export type Tone = keyof typeof BADGE_TONES;

export function Badge({ tone = "grey", children, title }: { tone?: Tone; children: React.ReactNode; title?: string }) {
  return (
    <span title={title} className={cx("inline-flex items-center whitespace-nowrap rounded-md px-2 py-0.5 text-xs font-medium ring-1 ring-inset", BADGE_TONES[tone])}>
      {children}
    </span>
  );
}

export function statusTone(status: string): Tone {
  if (status === "DEPLOYED" || status === "UPGRADED" || status === "SUCCEEDED" || status === "pass") return "green";
  if (status === "FAILED" || status === "fail") return "red";
  if (status.startsWith("PENDING") || status === "RUNNING" || status === "PAUSED" || status === "PARTIALLY_FAILED" || status === "warn" || status === "QUEUED") return "amber";
  return "grey";
}

/** Helm's vocabulary: DEPLOYED green, FAILED red, PENDING_* amber, SUPERSEDED grey. */
export function StatusBadge({ status }: { status: ReleaseStatus | string }) {
  return <Badge tone={statusTone(status)}>{status}</Badge>;
}

type ButtonProps = React.ButtonHTMLAttributes<HTMLButtonElement> & { variant?: "primary" | "secondary" | "danger" | "ghost" | "inverse"; ref?: React.Ref<HTMLButtonElement> };
export function Button({ variant = "secondary", className, ...props }: ButtonProps) {
  return (
    <button
      {...props}
      className={cx(
        "inline-flex items-center justify-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium shadow-sm transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 disabled:cursor-not-allowed disabled:opacity-50",
        variant === "primary" && "bg-sky-700 text-white hover:bg-sky-800",
        variant === "secondary" && "bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50",
        variant === "danger" && "bg-red-700 text-white hover:bg-red-800",
        variant === "ghost" && "shadow-none hover:bg-slate-100",
        variant === "inverse" && "text-slate-100 shadow-none ring-1 ring-inset ring-slate-600 hover:bg-slate-800 hover:text-white",
        className,
      )}
    />
  );
}

export function ButtonLink({ href, children, variant = "secondary" }: { href: string; children: React.ReactNode; variant?: "primary" | "secondary" }) {
  return (
    <Link
      href={href}
      className={cx(
        "inline-flex items-center rounded-md px-3 py-1.5 text-sm font-medium shadow-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600",
        variant === "primary" ? "bg-sky-700 text-white hover:bg-sky-800" : "bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50",
      )}
    >
      {children}
    </Link>
  );
}

export const inputClass =
  "block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm text-slate-900 ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-sky-600";

export function Field({ label, htmlFor, hint, error, children }: { label: string; htmlFor: string; hint?: React.ReactNode; error?: string | null; children: React.ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={htmlFor} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children}
      {hint ? <p className="text-xs text-slate-500">{hint}</p> : null}
      {error ? (
        <p role="alert" className="text-xs font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p role="status" className="flex items-center gap-2 py-4 text-sm text-slate-600">
      <span className="size-3 animate-spin rounded-full border-2 border-slate-300 border-t-sky-700" aria-hidden />
      {label}
    </p>
  );
}

export function Empty({ children }: { children: React.ReactNode }) {
  return <p className="py-6 text-center text-sm text-slate-500">{children}</p>;
}

interface ErrorShape {
  message?: string;
  data?: { code?: string; httpStatus?: number; errors?: { path: string; message: string }[] | null } | null;
}

/** A tRPC error in words: its message plus each field error the server named. */
export function ErrorMessage({ error, title = "Something went wrong" }: { error: unknown; title?: string }) {
  if (!error) return null;
  const e = error as ErrorShape;
  const fields = e.data?.errors ?? [];
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
      <p className="font-semibold">
        {title}
        {e.data?.httpStatus ? <span className="ml-2 font-normal text-red-700">({e.data.code ?? e.data.httpStatus})</span> : null}
      </p>
      <p className="mt-1 break-words">{inUiWords(e.message ?? String(error))}</p>
      {fields.length ? (
        <ul className="mt-2 list-disc space-y-0.5 pl-5">
          {fields.map((f, i) => (
            <li key={i}>
              <code className="font-mono text-xs">{f.path || "(body)"}</code>: {f.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function fieldError(error: unknown, path: string): string | null {
  const fields = (error as ErrorShape | null)?.data?.errors ?? [];
  return fields.find((f) => f.path === path)?.message ?? null;
}

export function formatTime(iso: string | null | undefined) {
  if (!iso) return "—";
  const d = new Date(iso);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)} UTC`;
}

export function Table({ children, label }: { children: React.ReactNode; label: string }) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table aria-label={label} className="min-w-full divide-y divide-slate-200 text-sm">
        {children}
      </table>
    </div>
  );
}
export function Th({ children, className }: { children?: React.ReactNode; className?: string }) {
  return <th scope="col" className={cx("whitespace-nowrap bg-slate-50 px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600", className)}>{children}</th>;
}
/** A table's header row of plain column names. */
export function TableHead({ columns }: { columns: string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <Th key={c}>{c}</Th>
        ))}
      </tr>
    </thead>
  );
}
export function Td({ children, className, colSpan }: { children?: React.ReactNode; className?: string; colSpan?: number }) {
  return <td colSpan={colSpan} className={cx("px-3 py-2 align-top text-slate-800", className)}>{children}</td>;
}

export function Select({ id, value, onChange, children, label }: { id: string; value: string; onChange: (v: string) => void; children: React.ReactNode; label?: string }) {
  return (
    <select id={id} aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} className={inputClass}>
      {children}
    </select>
  );
}
