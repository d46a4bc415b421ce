import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("applies defaults on an empty environment", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(4321);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.dataDir.endsWith("/data/db")).toBe(true);
    expect(env.MATWISE_MIN_FREE_MB).toBe(64);
  });

  it.each([
    // variable, bad value, words the message must contain
    ["PORT", "abc", "PORT: must be a whole number"],
    ["PORT", "70000", "PORT: must be between 1 and 65535"],
    ["DATABASE_URL", "mysql://x", "DATABASE_URL: must be a PostgreSQL URL"],
    ["MATWISE_DATA_DIR", "  ", "MATWISE_DATA_DIR: must not be empty"],
    ["MATWISE_SECRET", "short", "MATWISE_SECRET: must be at least 32 characters"],
    ["SMTP_URL", "mail.example", "SMTP_URL: must look like smtp://"],
    ["SMTP_URL", "smtp://mail.example:25", "MAIL_FROM: is required when SMTP_URL is set"],
    ["MATWISE_TRUST_PROXY", "yes", "MATWISE_TRUST_PROXY: must be 0 or 1"],
    ["MATWISE_MIN_FREE_MB", "lots", "MATWISE_MIN_FREE_MB: must be a whole number"],
    ["MATWISE_MIN_FREE_MB", "-1", "MATWISE_MIN_FREE_MB: must be 0 or more"],
    ["NODE_ENV", "staging", "NODE_ENV: must be development, production or test"],
    ["MATWISE_CONTACT", "ask Sam", "MATWISE_CONTACT: must be an email address or a web address"],
    ["MATWISE_CONTACT", "javascript:alert(1)", "MATWISE_CONTACT: must be an email address or a web address"],
  ])("refuses %s=%j with a message naming it", (name, value, message) => {
    expect(() => parseEnv({ [name]: value })).toThrow(EnvError);
    expect(() => parseEnv({ [name]: value })).toThrow(message);
  });

  it("requires MATWISE_SITE_URL in production when mail is configured (issue 25: no mail links from a forged Host)", () => {
    const mail = { SMTP_URL: "smtp://mail.example:25", MAIL_FROM: "m@example.com" };
    expect(() => parseEnv({ ...mail, NODE_ENV: "production" })).toThrow(
      /MATWISE_SITE_URL: is required in production when SMTP_URL is set/,
    );
    expect(
      parseEnv({ ...mail, NODE_ENV: "production", MATWISE_SITE_URL: "https://matwise.example" }).MATWISE_SITE_URL,
    ).toBe("https://matwise.example");
    expect(parseEnv({ ...mail, NODE_ENV: "development" }).MATWISE_SITE_URL).toBeUndefined();
    expect(parseEnv({ NODE_ENV: "production" }).MATWISE_SITE_URL).toBeUndefined();
  });

  it.each(["http://push.example", "https://push.example/path", "https://u:p@push.example", "push.example"])(
    "refuses MATWISE_PUSH_SERVICES=%j",
    (value) => {
      expect(() => parseEnv({ MATWISE_PUSH_SERVICES: value })).toThrow(/MATWISE_PUSH_SERVICES: must be https origins/);
    },
  );

  it("takes an operator contact as an email address or a web address", () => {
    expect(parseEnv({ MATWISE_CONTACT: " help@matwise.example " }).MATWISE_CONTACT).toBe("help@matwise.example");
    expect(parseEnv({ MATWISE_CONTACT: "https://matwise.example/contact" }).MATWISE_CONTACT).toBe(
      "https://matwise.example/contact",
    );
    expect(parseEnv({ MATWISE_CONTACT: "" }).MATWISE_CONTACT).toBeUndefined();
  });

  it("treats an empty DATABASE_URL as unset", () => {
    expect(parseEnv({ DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
  });
});
