CREATE TABLE "user_mat" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"name" text NOT NULL,
	"spike_count" integer,
	"length_mm" integer,
	"width_mm" integer,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_mat_spike_count_check" CHECK ("user_mat"."spike_count" is null or "user_mat"."spike_count" between 10 and 100000),
	CONSTRAINT "user_mat_size_check" CHECK (("user_mat"."length_mm" is null and "user_mat"."width_mm" is null) or ("user_mat"."length_mm" is not null and "user_mat"."width_mm" is not null and "user_mat"."length_mm" between 50 and 3000 and "user_mat"."width_mm" between 50 and 2000))
);
--> statement-breakpoint
ALTER TABLE "user_mat" ADD CONSTRAINT "user_mat_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "user_mat_user_idx" ON "user_mat" USING btree ("user_id");