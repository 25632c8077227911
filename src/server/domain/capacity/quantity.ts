import { QUANTITY_PATTERN } from "@/contracts/tenants";

const SUFFIX: Record<string, number> = {
  "": 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A Kubernetes quantity ("500m", "2", "1.5Gi", "1e3") in base units (cores, bytes). */
export function parseQuantity(input: string | number): number {
  if (typeof input === "number") {
    if (!Number.isFinite(input) || input < 0) throw new Error(`invalid quantity: ${input}`);
    return input;
  }
  const text = input.trim();
  if (!QUANTITY_PATTERN.test(text)) throw new Error(`invalid quantity: "${input}"`);
  const match = /^[+]?([\d.]+)([eE][+-]?\d+)?(.*)$/.exec(text)!;
  const mantissa = Number(match[1]);
  const exponent = match[2] ? Number(match[2].slice(1)) : 0;
  return mantissa * 10 ** exponent * SUFFIX[match[3] ?? ""]!;
}

export function tryParseQuantity(input: unknown): number | null {
  if (typeof input !== "string" && typeof input !== "number") return null;
  try {
    return parseQuantity(input);
  } catch {
    return null;
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** CPU as Kubernetes writes it: whole cores, else millicores. */
export function formatCpu(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Memory in the largest binary unit that keeps it readable. */
export function formatMemory(bytes: number): string {
  for (const unit of ["Ei", "Pi", "Ti", "Gi", "Mi", "Ki"] as const) {
    const size = SUFFIX[unit]!;
    if (bytes >= size) return `${round(bytes / size)}${unit}`;
  }
  return String(round(bytes));
}
