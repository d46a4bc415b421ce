CREATE TABLE "page_feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"path" text NOT NULL,
	"kind" text NOT NULL,
	"message" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "page_feedback_kind_check" CHECK ("page_feedback"."kind" in ('error', 'unclear', 'broken-link', 'other'))
);
--> statement-breakpoint
CREATE INDEX "page_feedback_path_idx" ON "page_feedback" USING btree ("path");