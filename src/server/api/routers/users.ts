import { z } from "zod";
import { idSchema } from "@/contracts/common";
import { createUserInput, meSchema, userSchema } from "@/contracts/users";
import { createUser } from "@/server/domain/users/create-user";
import { describeActor } from "@/server/domain/users/describe-actor";
import { disableUser } from "@/server/domain/users/disable-user";
import { listUsers } from "@/server/domain/users/list-users";
import { authedProcedure, platformAdminProcedure, router } from "../trpc";

export const usersRouter = router({
  list: authedProcedure.output(userSchema.array()).query(({ ctx }) => listUsers({ ctx: ctx.domain })),
  create: platformAdminProcedure("manage users")
    .input(createUserInput)
    .output(userSchema)
    .mutation(({ ctx, input }) => createUser({ ctx: ctx.domain, input })),
  disable: platformAdminProcedure("manage users")
    .input(z.object({ id: idSchema }))
    .output(userSchema)
    .mutation(({ ctx, input }) => disableUser({ ctx: ctx.domain, userId: input.id })),
});

export const authRouter = router({
  me: authedProcedure.output(meSchema).query(({ ctx }) => describeActor({ ctx: ctx.domain })),
});
