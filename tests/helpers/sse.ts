export interface SseEvent {
  id: number | null;
  event: string | null;
   
  data: any;
}

/** Parses a text/event-stream body into its events (comments and retry lines dropped). */
export function parseSse(text: string): SseEvent[] {
  return text
    .split("\n\n")
    .map((block) => block.split("\n").filter((l) => l && !l.startsWith(":")))
    .filter((lines) => lines.some((l) => l.startsWith("data:")))
    .map((lines) => {
      const field = (name: string) => lines.find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1).trim() ?? null;
      const id = field("id");
      return { id: id === null ? null : Number(id), event: field("event"), data: JSON.parse(field("data")!) };
    });
}

/** Reads an event stream to its end (the server closes it when the batch ends). */
export async function readSse(url: string, headers: Record<string, string>, timeoutMs = 30_000): Promise<{ status: number; contentType: string | null; events: SseEvent[] }> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get("content-type"), events: res.ok ? parseSse(text) : [] };
}
