// Collections for the evidence domain; filled in by its issue.
export const evidenceCollections = {};
