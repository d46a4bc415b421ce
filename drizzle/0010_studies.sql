CREATE TABLE "study" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"question" text NOT NULL,
	"contact" text NOT NULL,
	"protocol" jsonb NOT NULL,
	"protocol_canonical" text NOT NULL,
	"protocol_hash" text NOT NULL,
	"screening" jsonb NOT NULL,
	"target_size" integer NOT NULL,
	"ends_on" text NOT NULL,
	"next_pseudonym" integer DEFAULT 1 NOT NULL,
	"withdrawn_deleted" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "study_hash_check" CHECK ("study"."protocol_hash" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "study_target_check" CHECK ("study"."target_size" between 2 and 10000)
);
--> statement-breakpoint
CREATE TABLE "study_consent" (
	"participant_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"study_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"hash" text NOT NULL,
	"agreed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "study_consent_participant_id_version_pk" PRIMARY KEY("participant_id","version")
);
--> statement-breakpoint
CREATE TABLE "study_consent_version" (
	"study_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"items" jsonb NOT NULL,
	"hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "study_consent_version_study_id_version_pk" PRIMARY KEY("study_id","version"),
	CONSTRAINT "study_consent_hash_check" CHECK ("study_consent_version"."hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "study_invitation" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"study_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"kind" text NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "study_invitation_code_hash_unique" UNIQUE("code_hash"),
	CONSTRAINT "study_invitation_kind_check" CHECK ("study_invitation"."kind" in ('study', 'person'))
);
--> statement-breakpoint
CREATE TABLE "study_participant" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"study_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"pseudonym" text NOT NULL,
	"invitation_id" uuid,
	"state" text DEFAULT 'consented' NOT NULL,
	"exclusion_reason" text,
	"experiment_id" uuid,
	"withdrawn_at" timestamp with time zone,
	"keep_until" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "study_participant_person_unique" UNIQUE("study_id","user_id"),
	CONSTRAINT "study_participant_pseudonym_unique" UNIQUE("study_id","pseudonym"),
	CONSTRAINT "study_participant_experiment_unique" UNIQUE("experiment_id"),
	CONSTRAINT "study_participant_state_check" CHECK ("study_participant"."state" in ('consented', 'excluded', 'enrolled', 'withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "study_researcher" (
	"study_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "study_researcher_study_id_user_id_pk" PRIMARY KEY("study_id","user_id"),
	CONSTRAINT "study_researcher_role_check" CHECK ("study_researcher"."role" in ('owner', 'co-researcher'))
);
--> statement-breakpoint
ALTER TABLE "study_consent" ADD CONSTRAINT "study_consent_participant_id_study_participant_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."study_participant"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_consent" ADD CONSTRAINT "study_consent_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_consent" ADD CONSTRAINT "study_consent_study_id_study_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."study"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_consent_version" ADD CONSTRAINT "study_consent_version_study_id_study_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."study"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_invitation" ADD CONSTRAINT "study_invitation_study_id_study_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."study"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_participant" ADD CONSTRAINT "study_participant_study_id_study_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."study"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_participant" ADD CONSTRAINT "study_participant_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_participant" ADD CONSTRAINT "study_participant_invitation_id_study_invitation_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."study_invitation"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_participant" ADD CONSTRAINT "study_participant_experiment_id_experiment_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_researcher" ADD CONSTRAINT "study_researcher_study_id_study_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."study"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_researcher" ADD CONSTRAINT "study_researcher_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "study_consent_user_idx" ON "study_consent" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "study_invitation_study_idx" ON "study_invitation" USING btree ("study_id");--> statement-breakpoint
CREATE INDEX "study_participant_user_idx" ON "study_participant" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "study_researcher_user_idx" ON "study_researcher" USING btree ("user_id");