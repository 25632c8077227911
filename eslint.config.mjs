import tseslint from "typescript-eslint";
import drizzle from "eslint-plugin-drizzle";

export default tseslint.config(
  { ignores: [".next/**", "node_modules/**", ".data/**", "drizzle/**", "next-env.d.ts", "dist/**", "examples/openapi-fetch/generated/**"] },
  ...tseslint.configs.recommended,
  {
    plugins: { drizzle },
    rules: {
      // An update or delete without a where clause rewrites every tenant's rows.
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The browser's code never reaches into the server: it talks to it over tRPC, with types
    // from src/client and shapes from src/contracts. Server components that need the caller
    // go through src/trpc/server.ts.
    files: ["src/components/**", "src/app/(admin)/**", "src/app/sign-in/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(@/server(/|$)|(\\.\\./)+server(/|$)|src/server(/|$))",
              message: "UI code must not import src/server: use @/trpc/react (tRPC), @/client (the AppRouter type) or @/contracts.",
            },
          ],
        },
      ],
    },
  },
  {
    // Contract tests read response bodies of any shape; the assertions are the types there.
    files: ["tests/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
