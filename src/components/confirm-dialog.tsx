"use client";

import { useEffect, useId, useRef } from "react";
import { Button } from "./ui";

/**
 * A modal confirmation on the native <dialog>: focus starts on the confirm button, so one
 * Enter confirms; Escape (or Cancel) closes it and changes nothing; focus cannot wander to
 * the page behind it, and the browser returns it to the opener when it closes.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  busy = false,
  error,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: React.ReactNode;
  children?: React.ReactNode;
  confirmLabel: string;
  busy?: boolean;
  /** Shown inside the dialog, so a refusal is read where the user is looking. */
  error?: React.ReactNode;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      confirm.current?.focus();
    } else if (!open && d.open) {
      d.close();
    }
  }, [open]);
  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      aria-describedby={children ? bodyId : undefined}
      onCancel={(e) => {
        // Escape: the component's state decides whether it closes (not while the action runs).
        e.preventDefault();
        if (!busy) onCancel();
      }}
      className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-0 text-sm text-slate-900 shadow-xl backdrop:bg-slate-900/40"
    >
      <form
        method="dialog"
        className="space-y-3 p-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) onConfirm();
        }}
      >
        <h2 id={titleId} className="text-base font-semibold text-slate-900">
          {title}
        </h2>
        {children ? (
          <div id={bodyId} className="text-slate-700">
            {children}
          </div>
        ) : null}
        {error}
        <div className="flex flex-wrap justify-end gap-2 pt-1">
          <Button type="button" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
          <Button ref={confirm} type="submit" variant="danger" disabled={busy}>
            {confirmLabel}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
