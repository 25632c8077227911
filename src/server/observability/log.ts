import pino from "pino";

/**
 * The one logger of the server: JSON lines on stdout. Fields that may carry tenants' values,
 * secrets or SQL parameters are censored by path, so that a careless call cannot leak them;
 * callers still log identifiers and outcomes, never payloads.
 */
export const log = pino({
  base: { service: "helmdeck" },
  timestamp: pino.stdTimeFunctions.isoTime,
  redact: {
    paths: [
      "password",
      "token",
      "secret",
      "authorization",
      "cookie",
      "values",
      "valuesOverride",
      "userValues",
      "body",
      "params",
      "parameters",
      "query",
      "*.password",
      "*.token",
      "*.secret",
      "*.authorization",
      "*.cookie",
      "*.values",
      "*.valuesOverride",
      "*.userValues",
      "*.body",
      "*.params",
      "*.parameters",
      "*.query",
    ],
    censor: "[redacted]",
  },
});
