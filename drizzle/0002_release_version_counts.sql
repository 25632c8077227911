CREATE TABLE "release_version_counts" (
	"chart_name" text NOT NULL,
	"tenant_id" uuid NOT NULL,
	"version" text NOT NULL,
	"version_sort" text COLLATE "C" NOT NULL,
	"releases" integer NOT NULL,
	CONSTRAINT "release_version_counts_pkey" PRIMARY KEY("chart_name","tenant_id","version")
);
--> statement-breakpoint
CREATE TABLE "release_version_totals" (
	"chart_name" text NOT NULL,
	"version" text NOT NULL,
	"shard" smallint NOT NULL,
	"version_sort" text COLLATE "C" NOT NULL,
	"releases" integer NOT NULL,
	CONSTRAINT "release_version_totals_pkey" PRIMARY KEY("chart_name","version","shard")
);
--> statement-breakpoint
CREATE TYPE "release_version_delta" AS ("chart_name" text, "tenant_id" uuid, "version" text, "version_sort" text, "releases" integer);
--> statement-breakpoint
-- Rows are locked in key order, per-tenant counts before shard totals, so that two
-- transactions moving releases between the same versions in opposite directions never deadlock.
CREATE FUNCTION "release_version_counts_apply"(deltas "release_version_delta"[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "release_version_counts" AS c ("chart_name", "tenant_id", "version", "version_sort", "releases")
  SELECT d."chart_name", d."tenant_id", d."version", d."version_sort", d."releases"
  FROM unnest(deltas) d
  ORDER BY d."chart_name", d."tenant_id", d."version"
  ON CONFLICT ("chart_name", "tenant_id", "version") DO UPDATE SET "releases" = c."releases" + excluded."releases";

  INSERT INTO "release_version_totals" AS t ("chart_name", "version", "shard", "version_sort", "releases")
  SELECT d."chart_name", d."version", get_byte(uuid_send(d."tenant_id"), 0) % 16, min(d."version_sort"), sum(d."releases")
  FROM unnest(deltas) d
  GROUP BY 1, 2, 3
  HAVING sum(d."releases") <> 0
  ORDER BY 1, 2, 3
  ON CONFLICT ("chart_name", "version", "shard") DO UPDATE SET "releases" = t."releases" + excluded."releases";
END
$$;
--> statement-breakpoint
-- A release counts when it is not uninstalled and has a deployed version. Statement-level,
-- so a bulk INSERT … SELECT (bench:seed) updates each count once, not once per release.
CREATE FUNCTION "releases_count_versions"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  deltas "release_version_delta"[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(ROW(n."chart_name", n."tenant_id", n."chart_version", n."version_sort", n.releases)::"release_version_delta")
    INTO deltas
    FROM (
      SELECT "chart_name", "tenant_id", "chart_version", min("version_sort") AS "version_sort", count(*)::integer AS releases
      FROM new_rows
      WHERE "status" <> 'UNINSTALLED' AND "chart_version" IS NOT NULL
      GROUP BY 1, 2, 3
    ) n;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(ROW(o."chart_name", o."tenant_id", o."chart_version", o."version_sort", -o.releases)::"release_version_delta")
    INTO deltas
    FROM (
      SELECT "chart_name", "tenant_id", "chart_version", min("version_sort") AS "version_sort", count(*)::integer AS releases
      FROM old_rows
      WHERE "status" <> 'UNINSTALLED' AND "chart_version" IS NOT NULL
      GROUP BY 1, 2, 3
    ) o;
  ELSE
    SELECT array_agg(ROW(x."chart_name", x."tenant_id", x."version", x."version_sort", x.releases)::"release_version_delta")
    INTO deltas
    FROM (
      SELECT "chart_name", "tenant_id", "version", min("version_sort") AS "version_sort", sum(change)::integer AS releases
      FROM (
        SELECT "chart_name", "tenant_id", "chart_version" AS "version", "version_sort", -1 AS change
        FROM old_rows WHERE "status" <> 'UNINSTALLED' AND "chart_version" IS NOT NULL
        UNION ALL
        SELECT "chart_name", "tenant_id", "chart_version", "version_sort", 1
        FROM new_rows WHERE "status" <> 'UNINSTALLED' AND "chart_version" IS NOT NULL
      ) changes
      GROUP BY 1, 2, 3
      HAVING sum(change) <> 0
    ) x;
  END IF;
  IF deltas IS NOT NULL THEN
    PERFORM "release_version_counts_apply"(deltas);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "releases_truncate_version_counts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE "release_version_counts", "release_version_totals";
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "releases_count_versions_insert" AFTER INSERT ON "releases" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "releases_count_versions"();
--> statement-breakpoint
CREATE TRIGGER "releases_count_versions_update" AFTER UPDATE ON "releases" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "releases_count_versions"();
--> statement-breakpoint
CREATE TRIGGER "releases_count_versions_delete" AFTER DELETE ON "releases" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "releases_count_versions"();
--> statement-breakpoint
CREATE TRIGGER "releases_count_versions_truncate" AFTER TRUNCATE ON "releases" FOR EACH STATEMENT EXECUTE FUNCTION "releases_truncate_version_counts"();
--> statement-breakpoint
-- Existing releases, counted after the triggers exist: creating them locked out writers, so
-- nothing committed in between is missed or counted twice.
INSERT INTO "release_version_counts" ("chart_name", "tenant_id", "version", "version_sort", "releases")
SELECT "chart_name", "tenant_id", "chart_version", min("version_sort"), count(*)
FROM "releases"
WHERE "status" <> 'UNINSTALLED' AND "chart_version" IS NOT NULL
GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO "release_version_totals" ("chart_name", "version", "shard", "version_sort", "releases")
SELECT "chart_name", "version", get_byte(uuid_send("tenant_id"), 0) % 16, min("version_sort"), sum("releases")
FROM "release_version_counts"
GROUP BY 1, 2, 3;
