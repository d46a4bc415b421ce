CREATE TABLE "sleep_record" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"source" text NOT NULL,
	"night" text NOT NULL,
	"bedtime" timestamp with time zone,
	"sleep_onset" timestamp with time zone,
	"wake_time" timestamp with time zone,
	"total_sleep_minutes" real NOT NULL,
	"sleep_latency_minutes" real,
	"file_name" text NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sleep_record_user_source_night_key" UNIQUE("user_id","source","night"),
	CONSTRAINT "sleep_record_source_check" CHECK ("sleep_record"."source" in ('apple-health', 'fitbit', 'oura', 'csv')),
	CONSTRAINT "sleep_record_night_check" CHECK ("sleep_record"."night" ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
	CONSTRAINT "sleep_record_total_check" CHECK ("sleep_record"."total_sleep_minutes" between 0 and 1440),
	CONSTRAINT "sleep_record_latency_check" CHECK (coalesce("sleep_record"."sleep_latency_minutes", 0) between 0 and 1440)
);
--> statement-breakpoint
ALTER TABLE "sleep_record" ADD CONSTRAINT "sleep_record_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;