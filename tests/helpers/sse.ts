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

/** Opens an event stream and hands out its events one at a time (null at its end). */
export async function openSse(url: string, headers: Record<string, string>, timeoutMs = 30_000) {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const next = async (): Promise<SseEvent | null> => {
    for (;;) {
      const end = buffer.indexOf("\n\n");
      if (end >= 0) {
        const [event] = parseSse(buffer.slice(0, end + 2));
        buffer = buffer.slice(end + 2);
        if (event) return event;
        continue;
      }
      const { done, value } = await reader.read();
      if (done) return null;
      buffer += value;
    }
  };
  const rest = async () => {
    const events: SseEvent[] = [];
    for (let e = await next(); e; e = await next()) events.push(e);
    return events;
  };
  return { status: res.status, contentType: res.headers.get("content-type"), next, rest };
}
