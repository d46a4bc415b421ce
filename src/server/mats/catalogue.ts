/**
 * The catalogue's mats as choices (id and name, by name), from their content collection: the one
 * server module that reads it, so pages load it and pass it to the session loaders and actions,
 * which stay free of Astro (their database tests need no mock of `astro:content`).
 * @module
 */
import { getCollection } from "astro:content";
import type { MatOption } from "../../core/mats/user-mat";

/** Read once: the content is part of the build and never changes while the server runs. */
let catalogue: Promise<readonly MatOption[]> | null = null;

export function loadMatCatalogue(): Promise<readonly MatOption[]> {
  return (catalogue ??= getCollection("mats").then((mats) =>
    mats.map((m) => ({ id: m.id, name: m.data.name })).sort((a, b) => a.name.localeCompare(b.name)),
  ));
}
