import { initTRPC, TRPCError } from "@trpc/server";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import { ZodError } from "zod";
import type { Actor } from "@/server/auth/actor";
import { ensureReady } from "@/server/bootstrap/ensure-ready";
import { isStopping } from "@/server/bootstrap/stopping";
import { getDb, type Database } from "@/server/db/client";
import type { DomainContext } from "@/server/domain/context";
import { requirePlatformAdmin } from "@/server/domain/access/rules";
import { DomainError, ERROR_TABLE } from "@/server/domain/errors";
import { findUnsafeInput } from "@/server/boundary/find-unsafe-input";
import { authenticate } from "@/server/http/authenticate";
import { zodFieldErrors } from "@/server/http/problem";
import { currentRequest } from "@/server/observability/request-context";

const INTERNAL_ERROR = "internal error";

// 1. Context: who calls. Authentication failure is kept, not thrown, so that the error
//    surfaces as UNAUTHORIZED from the procedure rather than as a broken response.
export async function createTRPCContext(opts: { req: Request }): Promise<{ db: Database; actor: Actor | null; authError: DomainError | null; requestId: string }> {
  await ensureReady();
  const db = await getDb();
  // Set by the endpoint's observeRequest, which also returns it as X-Request-Id.
  const requestId = currentRequest()?.requestId ?? "none";
  try {
    return { db, actor: await authenticate(db, opts.req), authError: null, requestId };
  } catch (e) {
    if (e instanceof DomainError) return { db, actor: null, authError: e, requestId };
    throw e;
  }
}

type Context = Awaited<ReturnType<typeof createTRPCContext>>;

// 2. Init: errors carry the same field errors and domain code as REST's problem+json, and
//    an unanticipated failure only "internal error" and the request id (its message may be SQL).
const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error, ctx }) {
    const cause = error.cause;
    // A subscription's generator fails after the middleware has returned: map its domain
    // errors here too, so that a missing batch streams NOT_FOUND, not INTERNAL_SERVER_ERROR.
    const mapped = cause instanceof DomainError ? ERROR_TABLE[cause.code] : null;
    if (!mapped && error.code === "INTERNAL_SERVER_ERROR") {
      const requestId = ctx?.requestId ?? currentRequest()?.requestId ?? null;
      return { ...shape, message: INTERNAL_ERROR, data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, requestId, errors: null, domainCode: null } };
    }
    return {
      ...shape,
      ...(mapped ? { code: TRPC_ERROR_CODES_BY_KEY[mapped.trpcCode], message: cause!.message } : {}),
      data: {
        ...shape.data,
        ...(mapped ? { code: mapped.trpcCode, httpStatus: mapped.httpStatus } : {}),
        errors: cause instanceof DomainError ? (cause.errors ?? null) : cause instanceof ZodError ? zodFieldErrors(cause) : null,
        domainCode: cause instanceof DomainError ? cause.code : null,
      },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: ERROR_TABLE[cause.code].trpcCode, message: cause.message, cause });
  }
  return result;
});

/**
 * The raw input, before any schema sees it: a string no database can store (NUL, a lone
 * surrogate) or a hostile depth is refused here once for every procedure, as the REST face
 * refuses it in the body and the URL (400 for a query's input, 422 for a mutation's).
 */
const safeInput = t.middleware(async ({ type, getRawInput, next }) => {
  const unsafe = findUnsafeInput(await getRawInput());
  if (unsafe) {
    const code = type === "mutation" ? "VALIDATION_FAILED" : "BAD_REQUEST";
    throw new DomainError(code, `the input is invalid: ${unsafe.path} ${unsafe.message}`, { errors: [unsafe] });
  }
  return next();
});

// 3. Procedures. Role rules live in the domain; this only insists that someone is calling,
//    and, once a clean stop has begun, refuses new changes (another instance takes them).
export const authedProcedure = t.procedure
  .use(domainErrors)
  .use(({ ctx, next, type }) => {
    if (type === "mutation" && isStopping()) throw new DomainError("SERVICE_UNAVAILABLE", "this instance is stopping and takes no new work; retry (another instance will answer)");
    if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: ctx.authError?.message ?? "authentication required", cause: ctx.authError ?? undefined });
    const domain: DomainContext = { db: ctx.db, actor: ctx.actor, requestId: ctx.requestId };
    return next({ ctx: { domain } });
  })
  .use(safeInput);

/**
 * For procedures some roles may not use at all: the role is checked before the input is
 * validated, so that a viewer is told 403, as on the REST face. The use case checks again.
 */
export const platformAdminProcedure = (action: string) =>
  authedProcedure.use(({ ctx, next }) => {
    requirePlatformAdmin(ctx.domain.actor, action);
    return next();
  });
