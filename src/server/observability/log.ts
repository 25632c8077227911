import pino, { type DestinationStream, type Logger } from "pino";
import pinoPretty from "pino-pretty";
import { env } from "@/env";
import { describeError } from "./describe-error";
import { currentRequest } from "./request-context";

/**
 * Fields that may carry tenants' values, secrets or SQL parameters, censored wherever they
 * appear at the top or one level down, so that a careless call cannot leak them; callers
 * still log identifiers and outcomes, never payloads.
 */
const SENSITIVE = ["password", "token", "secret", "authorization", "cookie", "values", "valuesOverride", "userValues", "body", "params", "parameters", "query"];

function settings(): { level: string; pretty: boolean } {
  try {
    const { HELMDECK_LOG_LEVEL: level, HELMDECK_LOG_FORMAT: format } = env();
    return { level, pretty: format === "pretty" || (format === "auto" && process.stdout.isTTY === true) };
  } catch {
    // A bad configuration is reported by start-up (instrumentation.ts); the report itself still needs a logger.
    return { level: "info", pretty: process.stdout.isTTY === true };
  }
}

/**
 * Human-readable lines for a terminal, made in this thread: pino's worker-thread transports
 * cannot load their target from inside Next's server bundle. Synchronous, so that the last
 * lines before a clean stop's exit are written.
 */
const prettyStream = (): DestinationStream => pinoPretty({ sync: true, colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,service" });

function createLogger(): Logger {
  const { level, pretty } = settings();
  return pino(
    {
      level,
      base: { service: "helmdeck" },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Every line written while serving a request says which request, and who asked.
      mixin() {
        const request = currentRequest();
        return request ? { requestId: request.requestId, ...(request.actor ? { actor: request.actor } : {}) } : {};
      },
      serializers: { err: describeError, error: describeError },
      redact: { paths: [...SENSITIVE, ...SENSITIVE.map((key) => `*.${key}`)], censor: "[redacted]" },
    },
    pretty ? prettyStream() : pino.destination({ dest: 1, sync: true }),
  );
}

// One logger per process, whichever route bundle loads this module first.
const globalForLog = globalThis as unknown as { helmdeckLog?: Logger };

/** The one logger of the server: JSON lines on stdout (human-readable on a terminal). Pass errors as `{ err }`, with a message. */
export const log: Logger = (globalForLog.helmdeckLog ??= createLogger());
