import { parseEnv } from "@/env";

/** A bad setting stops the server before it serves, in a second, naming the variable (for a bare `next start` too). */
export function exitOnBadConfiguration(): void {
  const config = parseEnv();
  if (config.ok) return;
  process.stderr.write(`helmdeck: ${config.message}\n`);
  process.exit(1);
}
