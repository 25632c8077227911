import "server-only";
import { auditRouter, tokensRouter } from "./routers/admin";
import { batchesRouter } from "./routers/batches";
import { chartsRouter } from "./routers/charts";
import { fleetRouter } from "./routers/fleet";
import { policiesRouter } from "./routers/policies";
import { releasesRouter } from "./routers/releases";
import { repositoriesRouter } from "./routers/repositories";
import { tenantsRouter } from "./routers/tenants";
import { authRouter, usersRouter } from "./routers/users";
import { webhooksRouter } from "./routers/webhooks";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  tenants: tenantsRouter,
  charts: chartsRouter,
  releases: releasesRouter,
  fleet: fleetRouter,
  batches: batchesRouter,
  webhooks: webhooksRouter,
  audit: auditRouter,
  tokens: tokensRouter,
  users: usersRouter,
  repositories: repositoriesRouter,
  policies: policiesRouter,
  auth: authRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
