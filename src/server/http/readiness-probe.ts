import { checkReadiness } from "@/server/bootstrap/readiness";
import { observeRequest } from "./observe-request";

/**
 * Readiness (no credentials): 200 once start-up is done and the database answers; 503 while
 * starting, when the database is unreachable, and from the first moment of a clean stop.
 * The body names the state, never an error's text.
 */
export const readinessProbe = (route: string) => (req: Request) =>
  observeRequest(
    req,
    route,
    async () => {
      const { ready, ...body } = await checkReadiness();
      return Response.json(body, { status: ready ? 200 : 503, headers: { "Cache-Control": "no-store" } });
    },
    { quiet: true },
  );
