"use client";

import { useId, useRef } from "react";
import { cx } from "./ui";

/**
 * The ARIA tabs pattern: one tab stop for the whole list, arrow keys (and Home/End) move
 * between tabs and select them, and the panel is labelled by its tab.
 */
export function Tabs<K extends string>({
  label,
  tabs,
  selected,
  onSelect,
  children,
  panelClassName,
  panelTestId,
}: {
  label: string;
  tabs: readonly { key: K; label: string }[];
  selected: K;
  onSelect: (key: K) => void;
  /** The selected tab's panel. */
  children: React.ReactNode;
  panelClassName?: string;
  panelTestId?: string;
}) {
  const base = useId();
  const refs = useRef(new Map<K, HTMLButtonElement>());
  const tabId = (key: K) => `${base}-tab-${key}`;
  const panelId = `${base}-panel`;
  function move(from: number, step: number | "first" | "last") {
    const index = step === "first" ? 0 : step === "last" ? tabs.length - 1 : (from + step + tabs.length) % tabs.length;
    const next = tabs[index]!.key;
    onSelect(next);
    refs.current.get(next)?.focus();
  }
  return (
    <>
      <div role="tablist" aria-label={label} className="mb-2 flex flex-wrap gap-1">
        {tabs.map((t, i) => {
          const active = t.key === selected;
          return (
            <button
              key={t.key}
              ref={(el) => {
                if (el) refs.current.set(t.key, el);
                else refs.current.delete(t.key);
              }}
              id={tabId(t.key)}
              role="tab"
              type="button"
              aria-selected={active}
              aria-controls={panelId}
              tabIndex={active ? 0 : -1}
              onClick={() => onSelect(t.key)}
              onKeyDown={(e) => {
                const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: "first", End: "last" }[e.key] as number | "first" | "last" | undefined;
                if (step === undefined) return;
                e.preventDefault();
                move(i, step);
              }}
              className={cx(
                "rounded-md px-2.5 py-1 text-xs font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600",
                active ? "bg-slate-800 text-white" : "bg-slate-100 text-slate-700 hover:bg-slate-200",
              )}
            >
              {t.label}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id={panelId} aria-labelledby={tabId(selected)} tabIndex={0} data-testid={panelTestId} className={panelClassName}>
        {children}
      </div>
    </>
  );
}
