import { z } from "zod";
import { idSchema } from "@/contracts/common";
import { createRepositoryInput, repositorySchema, repositorySyncResultSchema, updateRepositoryInput } from "@/contracts/repositories";
import { createRepository, deleteRepository, getRepository, listRepositories, updateRepository } from "@/server/domain/repositories/manage-repositories";
import { syncRepository } from "@/server/domain/repositories/sync-repository";
import { platformAdminProcedure, router } from "../trpc";

const manage = () => platformAdminProcedure("manage chart repositories");
const byId = z.object({ id: idSchema });

export const repositoriesRouter = router({
  list: manage()
    .output(repositorySchema.array())
    .query(({ ctx }) => listRepositories({ ctx: ctx.domain })),
  get: manage()
    .input(byId)
    .output(repositorySchema)
    .query(({ ctx, input }) => getRepository({ ctx: ctx.domain, id: input.id })),
  create: manage()
    .input(createRepositoryInput)
    .output(repositorySchema)
    .mutation(({ ctx, input }) => createRepository({ ctx: ctx.domain, input })),
  update: manage()
    .input(z.object({ id: idSchema, changes: updateRepositoryInput }))
    .output(repositorySchema)
    .mutation(({ ctx, input }) => updateRepository({ ctx: ctx.domain, id: input.id, input: input.changes })),
  delete: manage()
    .input(byId)
    .mutation(({ ctx, input }) => deleteRepository({ ctx: ctx.domain, id: input.id })),
  sync: platformAdminProcedure("sync chart repositories")
    .input(byId)
    .output(repositorySyncResultSchema)
    .mutation(({ ctx, input }) => syncRepository({ ctx: ctx.domain, id: input.id })),
});
