import { describe, expect, it } from "vitest";
import { escapeMarkup } from "./markup";

describe("escapeMarkup", () => {
  it("replaces the four characters markup gives meaning to, ampersands first, and leaves the rest", () => {
    expect(escapeMarkup(`Name <a href="x">&amp; co</a>`)).toBe(
      "Name &lt;a href=&quot;x&quot;&gt;&amp;amp; co&lt;/a&gt;",
    );
    expect(escapeMarkup("it's 5 ≤ 6")).toBe("it's 5 ≤ 6");
  });
});
