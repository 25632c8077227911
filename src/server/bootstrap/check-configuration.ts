import { parseEnv, unknownVariablesWarning } from "@/env";
import { log } from "@/server/observability/log";

/**
 * A bad setting stops the server before it serves, in a second, naming the variable (for a
 * bare `next start` too); a HELMDECK_ variable nobody reads is warned about.
 */
export function exitOnBadConfiguration(): void {
  const config = parseEnv();
  if (!config.ok) {
    process.stderr.write(`helmdeck: ${config.message}\n`);
    process.exit(1);
  }
  const warning = unknownVariablesWarning(config.unknown);
  if (warning) log.warn({ variables: config.unknown }, warning);
}
