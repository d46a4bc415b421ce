ALTER TABLE "mat_session" ALTER COLUMN "pain_before" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "mat_session" ALTER COLUMN "pain_after" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "mat_session" ALTER COLUMN "tension_before" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "mat_session" ALTER COLUMN "tension_after" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "mat_session" ALTER COLUMN "stress_before" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "mat_session" ALTER COLUMN "stress_after" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "mat_session" ALTER COLUMN "relaxation_before" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "mat_session" ALTER COLUMN "relaxation_after" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "time_zone" text DEFAULT 'UTC' NOT NULL;