CREATE TABLE "safety_check" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"taken_at" timestamp with time zone NOT NULL,
	"rules_version" text NOT NULL,
	"level" text NOT NULL,
	"finding_ids" jsonb NOT NULL,
	"areas_off_mat" jsonb NOT NULL,
	"answers" jsonb NOT NULL,
	"professional_agreed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "safety_check" ADD CONSTRAINT "safety_check_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "safety_check_user_taken_idx" ON "safety_check" USING btree ("user_id","taken_at");