import { describe, expect, it } from "vitest";
import { describeLoginFailure, serverName } from "../../src/discord/login-failure.js";

const withCode = (code: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(code), { code, ...extra });

describe("telling login failures apart", () => {
  it("a timeout is a network failure, not the token", () => {
    const abort = Object.assign(new Error("This operation was aborted"), { name: "AbortError" });
    for (const error of [
      abort,
      withCode("ETIMEDOUT"),
      new Error("fetch failed", { cause: withCode("UND_ERR_CONNECT_TIMEOUT") }),
    ]) {
      const failure = describeLoginFailure(error, "discord.com");
      expect(failure.kind).toBe("network");
      expect(failure.exitCode).toBe(69);
      expect(failure.message).toBe(
        "Cannot reach Discord: discord.com did not answer in time: check the internet connection, a firewall or proxy, then start again.",
      );
    }
  });

  it("finds the cause inside fetch's wrapper and an AggregateError", () => {
    const wrapped = new Error("fetch failed", {
      cause: new AggregateError([withCode("ECONNREFUSED")]),
    });
    expect(describeLoginFailure(wrapped).kind).toBe("network");
    expect(
      describeLoginFailure(withCode("EAI_AGAIN", { hostname: "discord.com" })).message,
    ).toContain("the name discord.com could not be looked up");
  });

  it("a 401 is the token, a 5xx an outage, another status neither", () => {
    expect(describeLoginFailure({ status: 401 }).kind).toBe("token");
    expect(describeLoginFailure(withCode("TokenInvalid")).exitCode).toBe(78);
    expect(describeLoginFailure({ status: 502 }).kind).toBe("outage");
    const other = describeLoginFailure({ status: 403 });
    expect(other.kind).toBe("other");
    expect(other.exitCode).toBe(1);
  });

  it("never repeats an unknown error's message, which could quote what was sent", () => {
    const failure = describeLoginFailure(new TypeError("secret-looking text"));
    expect(failure.message).not.toContain("secret-looking text");
    expect(failure.message).toContain("(TypeError)");
  });

  it("names the configured API by its host", () => {
    expect(serverName(undefined)).toBe("discord.com");
    expect(serverName("http://127.0.0.1:3000/api")).toBe("127.0.0.1:3000");
  });
});
