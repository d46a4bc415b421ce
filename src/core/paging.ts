/**
 * Pages of a long list shown a few at a time with plain "earlier" and "later" links: the page
 * number from a query parameter, and the window of the list it shows.
 * @module
 */

/** A page number from `?page=`: a plain whole number from 1, anything else is the first page. */
export function parsePage(value: string | null): number {
  return value !== null && /^[1-9]\d{0,5}$/.test(value) ? Number(value) : 1;
}

export interface PageWindow {
  /** The page shown, from 1; a number past the end shows the last page. */
  page: number;
  pages: number;
  /** Index of the page's first item in the whole list (0-based). */
  offset: number;
  /** The items shown, counting from 1 ("21 to 40"); `last` < `first` when the list is empty. */
  first: number;
  last: number;
}

/** The part of a list of `total` items that page `page` of pages of `size` shows. */
export function pageWindow(total: number, size: number, page: number): PageWindow {
  const pages = Math.max(1, Math.ceil(total / size));
  const shown = Math.min(pages, Math.max(1, Math.floor(page)));
  const offset = (shown - 1) * size;
  return { page: shown, pages, offset, first: offset + 1, last: Math.min(total, offset + size) };
}
