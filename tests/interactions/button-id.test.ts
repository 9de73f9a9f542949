/** Button custom ids: one format, built and read in one module. */
import { describe, expect, it } from "vitest";
import { buttonCommand, formatButtonId, parseButtonId } from "../../src/interactions/button-id.js";

describe("button ids", () => {
  it("read back what they were built from", () => {
    const id = { command: "ask", session: "Xb3k9_Qa", action: "outlets", page: 4 };
    expect(formatButtonId(id)).toBe("ask:Xb3k9_Qa:outlets:4");
    expect(parseButtonId(formatButtonId(id))).toEqual(id);
  });

  it("refuse to build an id they could not read", () => {
    expect(() =>
      formatButtonId({ command: "ask", session: "a:b", action: "page", page: 1 }),
    ).toThrow("not a valid button id: ask:a:b:page:1");
  });

  it("read tampered ids as not ours, but still name the command a click goes to", () => {
    expect(parseButtonId("ask:x:page:-1';drop")).toBeUndefined();
    expect(parseButtonId("ask:AAAAAAAA:page:100")).toBeUndefined();
    expect(buttonCommand("ask:x:page:-1';drop")).toBe("ask");
  });
});
