/**
 * The one database schema (drizzle pg-core), used by PGlite and PostgreSQL alike, one file per
 * area. Change it, then run `npm run db:generate` to write a migration into drizzle/.
 * @module
 */
export * from "./auth";
export * from "./feedback";
export * from "./mats";
export * from "./plans";
export * from "./safety";
export * from "./server-state";
export * from "./sessions";
export * from "./experiments";
export * from "./health";
export * from "./reminders";
