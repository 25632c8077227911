import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  headers: IncomingHttpHeaders;
  /** The exact bytes received, as a receiver must verify them. */
  raw: Buffer;
  body: { id: string; type: string; createdAt: string; data: Record<string, unknown> };
}

/** How a receiver checks a delivery: HMAC-SHA256 of the raw body, compared in constant time. */
export function signatureValid(secret: string, raw: Buffer, header: string | string[] | undefined): boolean {
  if (typeof header !== "string" || !header.startsWith("sha256=")) return false;
  const expected = Buffer.from(createHmac("sha256", secret).update(raw).digest("hex"));
  const given = Buffer.from(header.slice("sha256=".length));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * A loopback HTTP receiver. `answer` decides each response's status (default 200); a
 * status of 0 never answers (for timeouts and stops). `next(n)` resolves once n requests arrived.
 */
export async function startReceiver(answer: (received: Received, index: number) => number = () => 200) {
  const received: Received[] = [];
  const waiters = new Set<() => void>();
  const hanging = new Set<() => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const entry: Received = { headers: req.headers, raw, body: JSON.parse(raw.toString("utf8")) as Received["body"] };
      received.push(entry);
      for (const wake of waiters) wake();
      const status = answer(entry, received.length - 1);
      if (status === 0) {
        hanging.add(() => res.destroy());
        return;
      }
      res.writeHead(status, status >= 300 && status < 400 ? { location: `${url}/elsewhere` } : {}).end("receiver says hello");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    async waitFor(n: number): Promise<Received[]> {
      while (received.length < n) {
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            resolve();
          };
          waiters.add(wake);
        });
      }
      return received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const cut of hanging) cut();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
