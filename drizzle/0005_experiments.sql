CREATE TABLE "experiment" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"protocol" jsonb NOT NULL,
	"protocol_canonical" text NOT NULL,
	"protocol_hash" text NOT NULL,
	"frozen_at" timestamp with time zone NOT NULL,
	"primary_outcome" text NOT NULL,
	"comparator" text,
	"schedule_seed" bigint,
	"analysis_seed" bigint NOT NULL,
	"source" text NOT NULL,
	"state" text DEFAULT 'running' NOT NULL,
	"ended_at" timestamp with time zone,
	"end_reason" text,
	"data_version" integer DEFAULT 0 NOT NULL,
	"analysis_cache" jsonb,
	"analysis_version" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "experiment_outcome_check" CHECK ("experiment"."primary_outcome" in ('pain', 'tension', 'stress', 'sleepQuality', 'sleepLatency')),
	CONSTRAINT "experiment_comparator_check" CHECK ("experiment"."comparator" is null or "experiment"."comparator" in ('rest-without-mat', 'no-session')),
	CONSTRAINT "experiment_source_check" CHECK ("experiment"."source" in ('matwise', 'import')),
	CONSTRAINT "experiment_state_check" CHECK ("experiment"."state" in ('running', 'ended')),
	CONSTRAINT "experiment_hash_check" CHECK ("experiment"."protocol_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "experiment_day" (
	"experiment_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"date" text NOT NULL,
	"day" integer NOT NULL,
	"block" integer,
	"period" integer,
	"condition" text,
	"first_of_period" boolean DEFAULT false NOT NULL,
	"recorded_at" timestamp with time zone,
	"recorded_on" text,
	"adherence" text,
	"pain" real,
	"tension" real,
	"stress" real,
	"sleep_quality" real,
	"sleep_latency" real,
	"wakings" integer,
	"sleep_recorded_at" timestamp with time zone,
	"harms" text,
	CONSTRAINT "experiment_day_experiment_id_date_pk" PRIMARY KEY("experiment_id","date"),
	CONSTRAINT "experiment_day_condition_check" CHECK ("experiment_day"."condition" is null or "experiment_day"."condition" in ('A', 'B')),
	CONSTRAINT "experiment_day_adherence_check" CHECK ("experiment_day"."adherence" is null or "experiment_day"."adherence" in ('as-assigned', 'other-condition', 'skipped')),
	CONSTRAINT "experiment_day_scales_check" CHECK (coalesce("experiment_day"."pain", 0) between 0 and 10 and coalesce("experiment_day"."tension", 0) between 0 and 10 and coalesce("experiment_day"."stress", 0) between 0 and 10 and coalesce("experiment_day"."sleep_quality", 0) between 0 and 10),
	CONSTRAINT "experiment_day_latency_check" CHECK (coalesce("experiment_day"."sleep_latency", 0) between 0 and 600 and coalesce("experiment_day"."wakings", 0) between 0 and 50)
);
--> statement-breakpoint
ALTER TABLE "experiment" ADD CONSTRAINT "experiment_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_day" ADD CONSTRAINT "experiment_day_experiment_id_experiment_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_day" ADD CONSTRAINT "experiment_day_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "experiment_user_idx" ON "experiment" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "experiment_day_user_idx" ON "experiment_day" USING btree ("user_id");--> statement-breakpoint
-- A frozen protocol cannot be changed, whatever code tries: changing anything means a new experiment.
CREATE FUNCTION "experiment_protocol_frozen"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."protocol" IS DISTINCT FROM OLD."protocol"
    OR NEW."protocol_canonical" IS DISTINCT FROM OLD."protocol_canonical"
    OR NEW."protocol_hash" IS DISTINCT FROM OLD."protocol_hash"
    OR NEW."frozen_at" IS DISTINCT FROM OLD."frozen_at"
    OR NEW."primary_outcome" IS DISTINCT FROM OLD."primary_outcome"
    OR NEW."comparator" IS DISTINCT FROM OLD."comparator"
    OR NEW."schedule_seed" IS DISTINCT FROM OLD."schedule_seed"
    OR NEW."analysis_seed" IS DISTINCT FROM OLD."analysis_seed"
    OR NEW."source" IS DISTINCT FROM OLD."source"
    OR NEW."user_id" IS DISTINCT FROM OLD."user_id" THEN
    RAISE EXCEPTION 'the protocol of experiment % is frozen', OLD."id" USING ERRCODE = '55000';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER "experiment_protocol_frozen" BEFORE UPDATE ON "experiment" FOR EACH ROW EXECUTE FUNCTION "experiment_protocol_frozen"();
--> statement-breakpoint
-- A day's place in the schedule (its date, block, period and condition) is fixed when the experiment starts.
CREATE FUNCTION "experiment_day_schedule_fixed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."experiment_id" IS DISTINCT FROM OLD."experiment_id"
    OR NEW."user_id" IS DISTINCT FROM OLD."user_id"
    OR NEW."date" IS DISTINCT FROM OLD."date"
    OR NEW."day" IS DISTINCT FROM OLD."day"
    OR NEW."block" IS DISTINCT FROM OLD."block"
    OR NEW."period" IS DISTINCT FROM OLD."period"
    OR NEW."condition" IS DISTINCT FROM OLD."condition"
    OR NEW."first_of_period" IS DISTINCT FROM OLD."first_of_period" THEN
    RAISE EXCEPTION 'the schedule of experiment % is fixed', OLD."experiment_id" USING ERRCODE = '55000';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER "experiment_day_schedule_fixed" BEFORE UPDATE ON "experiment_day" FOR EACH ROW EXECUTE FUNCTION "experiment_day_schedule_fixed"();
