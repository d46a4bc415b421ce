// Collections for the mats domain; filled in by its issue.
export const matCollections = {};
