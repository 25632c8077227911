import { z } from "zod";

/**
 * An RFC 9457 problem document, as every /api/v1 error answers it. Extension members
 * (the operation in progress, the failing checks) may follow the standard ones.
 */
export const problemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof problemSchema>;
