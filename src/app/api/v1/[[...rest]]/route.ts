import { unknownEndpoint } from "@/server/http/unknown-endpoint";

/** Unknown paths under /api/v1, and /api/v1 itself. */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = unknownEndpoint("/api/v1/*");
