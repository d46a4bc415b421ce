ALTER TABLE "mat_session" ADD COLUMN "client_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "mat_session_user_client_key_idx" ON "mat_session" USING btree ("user_id","client_key");--> statement-breakpoint
ALTER TABLE "mat_session" ADD CONSTRAINT "mat_session_client_key_check" CHECK ("mat_session"."client_key" ~ '^[a-z0-9-]{1,40}$');