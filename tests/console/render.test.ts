import { describe, expect, it } from "vitest";
import { buttonsOf, renderReply } from "../../src/console/render.js";
import type { Reply } from "../../src/interactions/reply.js";

const firstAnswer: Reply = {
  title: "Q: who took the selfie?",
  buttons: [
    { id: "ask:s:page:0", label: "◀ Previous", disabled: true },
    { id: "ask:s:page:1", label: "Next passage ▶", primary: true },
    { id: "ask:s:outlets:0", label: "Other outlets" },
  ],
};

describe("console buttons", () => {
  it("numbers the buttons shown from 1, leaving out a disabled one", () => {
    expect(buttonsOf(firstAnswer)).toEqual([
      { number: 1, label: "Next passage ▶", customId: "ask:s:page:1" },
      { number: 2, label: "Other outlets", customId: "ask:s:outlets:0" },
    ]);
    expect(renderReply(firstAnswer, { colour: false })).toContain(
      "Buttons: [1] Next passage ▶   [2] Other outlets   (type the number to press)",
    );
  });
});
