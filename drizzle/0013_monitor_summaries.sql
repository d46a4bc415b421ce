ALTER TABLE "experiment" ADD COLUMN "analysis_blocks" integer GENERATED ALWAYS AS (("analysis_cache" ->> 'blocks')::int) STORED;--> statement-breakpoint
ALTER TABLE "experiment" ADD COLUMN "analysis_ok" boolean GENERATED ALWAYS AS (("analysis_cache" #>> '{main,ok}') = 'true') STORED;--> statement-breakpoint
ALTER TABLE "experiment" ADD COLUMN "analysis_effect_mean" double precision GENERATED ALWAYS AS (("analysis_cache" #>> '{main,result,bayes,effect_mean}')::float8) STORED;--> statement-breakpoint
ALTER TABLE "experiment" ADD COLUMN "analysis_effect_sd" double precision GENERATED ALWAYS AS (("analysis_cache" #>> '{main,result,bayes,effect_sd}')::float8) STORED;--> statement-breakpoint
ALTER TABLE "experiment" ADD COLUMN "analysis_verdict" text GENERATED ALWAYS AS ("analysis_cache" #>> '{main,result,verdict}') STORED;--> statement-breakpoint
ALTER TABLE "experiment" ADD COLUMN "day_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "experiment" ADD COLUMN "last_activity_at" timestamp with time zone;--> statement-breakpoint
-- Each experiment's count of days and its latest check-in (decision 098), for the experiments there are now.
UPDATE "experiment" e SET "day_count" = d."n", "last_activity_at" = d."last"
FROM (
  SELECT "experiment_id", count(*)::int AS "n", max(greatest("recorded_at", "sleep_recorded_at")) AS "last"
  FROM "experiment_day" GROUP BY "experiment_id"
) d
WHERE e."id" = d."experiment_id";
--> statement-breakpoint
-- ... and kept from now on, whatever code writes the days: once per statement, from the rows it touched. Days added
-- count up and can only move the latest check-in later; after a change or a deletion, the experiments touched are
-- counted again from their days. (A trigger with transition tables takes one event, hence three.)
CREATE FUNCTION "experiment_day_added"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "experiment" e
  SET "day_count" = e."day_count" + a."n", "last_activity_at" = greatest(e."last_activity_at", a."last")
  FROM (
    SELECT "experiment_id", count(*)::int AS "n", max(greatest("recorded_at", "sleep_recorded_at")) AS "last"
    FROM "touched_days" GROUP BY "experiment_id"
  ) a
  WHERE e."id" = a."experiment_id";
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "experiment_day_recounted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "experiment" e
  SET "day_count" = (SELECT count(*)::int FROM "experiment_day" d WHERE d."experiment_id" = e."id"),
    "last_activity_at" = (
      SELECT max(greatest(d."recorded_at", d."sleep_recorded_at")) FROM "experiment_day" d WHERE d."experiment_id" = e."id"
    )
  WHERE e."id" IN (SELECT "experiment_id" FROM "touched_days");
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "experiment_day_added" AFTER INSERT ON "experiment_day" REFERENCING NEW TABLE AS "touched_days" FOR EACH STATEMENT EXECUTE FUNCTION "experiment_day_added"();
--> statement-breakpoint
CREATE TRIGGER "experiment_day_changed" AFTER UPDATE ON "experiment_day" REFERENCING NEW TABLE AS "touched_days" FOR EACH STATEMENT EXECUTE FUNCTION "experiment_day_recounted"();
--> statement-breakpoint
CREATE TRIGGER "experiment_day_removed" AFTER DELETE ON "experiment_day" REFERENCING OLD TABLE AS "touched_days" FOR EACH STATEMENT EXECUTE FUNCTION "experiment_day_recounted"();
