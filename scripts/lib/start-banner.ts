/**
 * A token Helmdeck generated is printed (it exists nowhere else the operator can read
 * without a shell); one given through HELMDECK_BOOTSTRAP_TOKEN is a secret the operator
 * already has, and never goes to the log.
 */
export function apiTokenHint(args: { token: string; generated: boolean; file?: string; url: string }): string {
  const shown = args.generated ? args.token : "$HELMDECK_BOOTSTRAP_TOKEN";
  const origin = args.generated
    ? `  API token (platform-admin): ${args.token}\n    (generated on first start and kept in ${args.file}; set HELMDECK_BOOTSTRAP_TOKEN to choose your own)`
    : "  API token (platform-admin): the value of HELMDECK_BOOTSTRAP_TOKEN (not printed)";
  return `${origin}\n  Try: curl -H "Authorization: Bearer ${shown}" ${args.url}/api/v1/helm/releases/chart/matih-query-engine/versions`;
}
