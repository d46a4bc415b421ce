import { describe, expect, it } from "vitest";
import { listTimeZones } from "../../core/datetime";
import { describeBrowser, loadTimeZoneChoices } from "./data";

const selected = (html: string) => [...html.matchAll(/<option value="([^"]*)" selected>/g)].map((m) => m[1]);

describe("loadTimeZoneChoices", () => {
  it("lists every zone once, in order, with the person's own selected and its text in words", () => {
    const { optionsHtml, current } = loadTimeZoneChoices("America/New_York");
    expect(current).toBe("America/New_York");
    expect([...optionsHtml.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1])).toEqual(listTimeZones());
    expect(selected(optionsHtml)).toEqual(["America/New_York"]);
    expect(optionsHtml).toContain('<option value="America/New_York" selected>America/New York</option>');
  });

  it("selects a different zone on the next view: the options written once are not changed", () => {
    loadTimeZoneChoices("Europe/Oslo");
    expect(selected(loadTimeZoneChoices("UTC").optionsHtml)).toEqual(["UTC"]);
  });

  it("puts a zone the runtime does not list first, selected, and escapes it", () => {
    const { optionsHtml } = loadTimeZoneChoices('Old/"Zone"');
    expect(optionsHtml.startsWith('<option value="Old/&quot;Zone&quot;" selected>Old/&quot;Zone&quot;</option>')).toBe(
      true,
    );
    expect(selected(optionsHtml)).toEqual(["Old/&quot;Zone&quot;"]);
  });
});

describe("describeBrowser", () => {
  it("names the browser and the device in words", () => {
    const android =
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36";
    expect(describeBrowser(android)).toBe("Chrome on Android");
    expect(describeBrowser(null)).toBe("An unknown browser");
  });
});
