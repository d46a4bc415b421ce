CREATE TABLE "health_heartbeat" (
	"name" text PRIMARY KEY NOT NULL,
	"beat_at" timestamp with time zone NOT NULL,
	"beats" bigint DEFAULT 0 NOT NULL
);
