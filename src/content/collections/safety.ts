// Collections for the safety domain; filled in by its issue.
export const safetyCollections = {};
