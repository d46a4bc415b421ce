/**
 * Form posts kept in the browser while offline (decision 091): an experiment's check-in, saved on
 * the phone and sent when the connection returns. Plain functions over the list that
 * localStorage holds as JSON; the browser code does the reading, writing and sending. The
 * server trusts none of it: each post is validated like any other when it arrives.
 * @module
 */

import { parseStoredList, putById, removeByIds } from "../stored-list";

/** Where the list lives in localStorage. */
export const OUTBOX_KEY = "matwise.outbox";
/** At most this many wait; the oldest go first. */
export const MAX_WAITING = 30;

export interface WaitingPost {
  /** Made in the browser (a UUID): sent as the form's `key`, so a repeat changes nothing. */
  id: string;
  /** Where the form posts: an experiment's check-in address. */
  action: string;
  /** The form's fields as typed. */
  fields: Record<string, string>;
  /** The account it was made in; it is sent to that account only. */
  account: string;
}

const ACTION = /^\/experiments\/[0-9a-f-]{36}\/check-in$/;
const isId = (v: unknown): v is string => typeof v === "string" && /^[a-z0-9-]{1,40}$/.test(v);

function readOne(v: unknown): WaitingPost | null {
  if (typeof v !== "object" || v === null) return null;
  const o = v as Record<string, unknown>;
  if (!isId(o.id) || typeof o.action !== "string" || !ACTION.test(o.action)) return null;
  if (typeof o.account !== "string" || !/^[A-Za-z0-9_-]{1,100}$/.test(o.account)) return null;
  if (typeof o.fields !== "object" || o.fields === null) return null;
  const entries = Object.entries(o.fields as Record<string, unknown>).filter(
    (e): e is [string, string] => /^[A-Za-z]{1,40}$/.test(e[0]) && typeof e[1] === "string" && e[1].length <= 1000,
  );
  if (entries.length > 30) return null;
  return { id: o.id, action: o.action, fields: Object.fromEntries(entries), account: o.account };
}

/** The waiting list from its stored text; anything unreadable is dropped. */
export const parseOutbox = (raw: string | null | undefined): WaitingPost[] =>
  parseStoredList(raw, readOne, MAX_WAITING);

/** The list with `post` added, the oldest dropped past the limit. */
export const putWaiting = (list: readonly WaitingPost[], post: WaitingPost): WaitingPost[] =>
  putById(list, post, MAX_WAITING);

/** The list without the given ids. */
export const removeWaiting = (list: readonly WaitingPost[], ids: readonly string[]): WaitingPost[] =>
  removeByIds(list, ids);

/** Whether a waiting post answers the same form: same address, kind and date. */
export function sameForm(post: WaitingPost, action: string, fields: Record<string, string>): boolean {
  return post.action === action && post.fields.kind === fields.kind && post.fields.date === fields.date;
}
