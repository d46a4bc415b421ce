ALTER TABLE "mat_session" ADD COLUMN "client_key" text;--> statement-breakpoint
ALTER TABLE "experiment_day" ADD COLUMN "evening_key" text;--> statement-breakpoint
ALTER TABLE "experiment_day" ADD COLUMN "morning_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "mat_session_user_client_key_idx" ON "mat_session" USING btree ("user_id","client_key");--> statement-breakpoint
ALTER TABLE "mat_session" ADD CONSTRAINT "mat_session_client_key_check" CHECK ("mat_session"."client_key" ~ '^[a-z0-9-]{1,40}$');--> statement-breakpoint
ALTER TABLE "experiment_day" ADD CONSTRAINT "experiment_day_keys_check" CHECK (coalesce("experiment_day"."evening_key", 'k') ~ '^[a-z0-9-]{1,40}$' and coalesce("experiment_day"."morning_key", 'k') ~ '^[a-z0-9-]{1,40}$');