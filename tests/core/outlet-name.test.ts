import { describe, expect, it } from "vitest";
import { matchOutlet } from "../../src/core/outlet-name.js";

const OUTLETS = [
  "allthe.news",
  "Asiatoday",
  "The Independent",
  "The Straits Times",
  "WorldTribune",
  "Café Crème",
];

describe("finding an outlet from what was typed", () => {
  it("matches the whole name ignoring case, accents, spaces and punctuation", () => {
    for (const [typed, name] of [
      ["asiatoday", "Asiatoday"],
      ["ASIATODAY", "Asiatoday"],
      ["the straits times", "The Straits Times"],
      ["straitstimes", "The Straits Times"],
      ["cafe creme", "Café Crème"],
      ["allthe.news", "allthe.news"],
      ["allthe news", "allthe.news"],
    ]) {
      expect(matchOutlet(typed as string, OUTLETS)).toEqual({ status: "found", name });
    }
  });

  it("matches by any unambiguous word or beginning of a word", () => {
    for (const [typed, name] of [
      ["straits", "The Straits Times"],
      ["Times", "The Straits Times"],
      ["independent", "The Independent"],
      ["indep", "The Independent"],
      ["asia", "Asiatoday"],
      ["world", "WorldTribune"],
      ["creme", "Café Crème"],
      ["the straits", "The Straits Times"],
    ]) {
      expect(matchOutlet(typed as string, OUTLETS)).toEqual({ status: "found", name });
    }
  });

  it("lists the candidates when the typed words fit several outlets", () => {
    expect(matchOutlet("the", OUTLETS)).toEqual({
      status: "ambiguous",
      candidates: ["The Independent", "The Straits Times"],
    });
    expect(matchOutlet("asia", ["Asiatoday", "Asia Times"])).toEqual({
      status: "ambiguous",
      candidates: ["Asiatoday", "Asia Times"],
    });
  });

  it("prefers a whole name over the names it begins", () => {
    expect(matchOutlet("asia times", ["Asia Times", "Asia Times Weekly"])).toEqual({
      status: "found",
      name: "Asia Times",
    });
  });

  it("says when nothing fits, and for empty or punctuation-only input", () => {
    expect(matchOutlet("nosuch", OUTLETS)).toEqual({ status: "unknown" });
    expect(matchOutlet("", OUTLETS)).toEqual({ status: "unknown" });
    expect(matchOutlet("?!", OUTLETS)).toEqual({ status: "unknown" });
    expect(matchOutlet("straits daily", OUTLETS)).toEqual({ status: "unknown" });
  });
});
