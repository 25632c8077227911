import { unknownEndpoint } from "@/server/http/unknown-endpoint";

/** Unknown paths under /api outside /api/v1 (`/api/v2/…`, a mistyped probe), and /api itself. */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = unknownEndpoint("/api/*");
