CREATE TABLE "break_in_plan" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"skin" text NOT NULL,
	"tolerance" text NOT NULL,
	"body_area" text NOT NULL,
	"level" text NOT NULL,
	"areas_off" jsonb NOT NULL,
	"professional_agreed" boolean DEFAULT false NOT NULL,
	"start_date" date NOT NULL,
	"length_days" integer NOT NULL,
	"gentleness" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "break_in_plan_user_id_unique" UNIQUE("user_id"),
	CONSTRAINT "break_in_plan_skin_check" CHECK ("break_in_plan"."skin" in ('low', 'average', 'high')),
	CONSTRAINT "break_in_plan_tolerance_check" CHECK ("break_in_plan"."tolerance" in ('low', 'average', 'high')),
	CONSTRAINT "break_in_plan_body_area_check" CHECK ("break_in_plan"."body_area" in ('back', 'neck-shoulders', 'buttocks-hips', 'legs', 'feet', 'other')),
	CONSTRAINT "break_in_plan_level_check" CHECK ("break_in_plan"."level" in ('see-professional', 'keep-area-off', 'extra-care', 'fine')),
	CONSTRAINT "break_in_plan_length_check" CHECK ("break_in_plan"."length_days" between 1 and 60),
	CONSTRAINT "break_in_plan_gentleness_check" CHECK ("break_in_plan"."gentleness" between 0 and 3)
);
--> statement-breakpoint
ALTER TABLE "mat_session" ALTER COLUMN "pain_before" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "mat_session" ALTER COLUMN "pain_after" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "mat_session" ALTER COLUMN "tension_before" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "mat_session" ALTER COLUMN "tension_after" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "mat_session" ALTER COLUMN "stress_before" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "mat_session" ALTER COLUMN "stress_after" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "mat_session" ALTER COLUMN "relaxation_before" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "mat_session" ALTER COLUMN "relaxation_after" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "time_zone" text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE "break_in_plan" ADD CONSTRAINT "break_in_plan_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;