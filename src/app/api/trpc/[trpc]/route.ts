import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { optionsResponse, withCors } from "@/server/http/cors";

const handler = async (req: Request) =>
  withCors(
    req,
    await fetchRequestHandler({
      endpoint: "/api/trpc",
      req,
      router: appRouter,
      createContext: () => createTRPCContext({ req }),
      onError({ error, path }) {
        if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"} failed`, error);
      },
    }),
  );

/** Browsers on another origin (HELMDECK_CORS_ORIGINS) ask first: queries and subscriptions GET, mutations POST. */
const OPTIONS = async (req: Request) => optionsResponse(req, ["GET", "POST", "OPTIONS"]);

export { handler as GET, handler as POST, OPTIONS };
