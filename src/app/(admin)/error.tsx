"use client";

import { Button, ErrorMessage } from "@/components/ui";

/** Any page that throws while rendering shows the error in words, with a way back. */
export default function AdminError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="space-y-4">
      <ErrorMessage error={error} title="This page failed to render" />
      <div className="flex gap-2">
        <Button onClick={reset}>Try again</Button>
        <a href="/" className="inline-flex items-center rounded-md px-3 py-1.5 text-sm font-medium text-sky-800 underline">
          Back to the dashboard
        </a>
      </div>
    </div>
  );
}
