/** Storage of reader feedback about pages. */
import { desc } from "drizzle-orm";
import type { FeedbackInput } from "../../core/feedback";
import type { Db } from "../db/client";
import { pageFeedback } from "../db/schema";

export async function createFeedback(db: Db, input: FeedbackInput): Promise<{ id: string; createdAt: Date }> {
  const [row] = await db
    .insert(pageFeedback)
    .values(input)
    .returning({ id: pageFeedback.id, createdAt: pageFeedback.createdAt });
  if (!row) throw new Error("insert returned no row");
  return row;
}

export async function listFeedback(db: Db, limit = 100) {
  return db.select().from(pageFeedback).orderBy(desc(pageFeedback.createdAt)).limit(limit);
}
