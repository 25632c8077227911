import { customType, timestamp } from "drizzle-orm/pg-core";

/**
 * Text compared byte by byte. Semver sort keys rely on it: a locale collation
 * (en_US.UTF-8 on many servers) ignores punctuation and would misorder them.
 */
export const byteOrderedText = customType<{ data: string }>({
  dataType() {
    return 'text COLLATE "C"';
  },
});

export const utcTimestamp = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
