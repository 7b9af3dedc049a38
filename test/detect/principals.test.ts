/**
 * Principals come from the storyline (declared participants, the parties its title names, the
 * other names its query gives them), and an agent of a principal is not the principal.
 */
import { describe, expect, it } from "vitest";
import { compileAnchors } from "../../src/detect/anchors";
import { type Claim, extract, readingContext } from "../../src/detect/extract";
import { namesPrincipal, storylinePrincipals, titleNames } from "../../src/detect/extract/principals";
import { fold } from "../../src/detect/text";

const principalsOf = (title: string, query: string, declared: Parameters<typeof storylinePrincipals>[2] = null) => {
  const anchors = compileAnchors(query);
  return storylinePrincipals(title, anchors.capitalised, declared, null, []);
};

describe("principals from the storyline", () => {
  it("reads the names a title gives, as the query writes them, and not its places or title-case words", () => {
    expect(titleNames("Abe–Roh Summit in Busan", new Set(["abe", "roh", "busan", "summit"]))).toEqual(["Abe", "Roh"]);
    expect(titleNames("Vance's Visit to Greenland", new Set(["vance", "greenland"]))).toEqual(["Vance"]);
    expect(titleNames("Acme Corp and Globex Merger", new Set(["acme", "corp", "globex"]))).toEqual([
      "Acme Corp",
      "Globex",
    ]);
    expect(titleNames("New Zealand general election", new Set(["new", "zealand"]))).toEqual([]);
  });

  it("pairs named principals the title sets against each other", () => {
    expect(principalsOf("Abe–Roh summit", "Abe AND Roh AND summit").paired).toBe(true);
    expect(principalsOf("Acme and Globex merger", "Acme AND Globex AND merger").paired).toBe(true);
    expect(principalsOf("Vance visit to Greenland", "Vance AND Greenland").paired).toBe(false);
  });

  it("takes the other names of a title's name from its query group, and declared aliases", () => {
    const anchors = compileAnchors('(Lula OR Planalto) AND (Milei OR "Casa Rosada") AND summit');
    const p = storylinePrincipals(
      "Lula–Milei summit",
      anchors.capitalised,
      [{ name: "Javier Milei", aliases: ["the Argentine leader"] }],
      null,
      [
        ["lula", "planalto"],
        ["milei", "casa rosada"],
      ],
    );
    expect(p.aliases.planalto).toBe("Lula");
    expect(p.aliases["casa rosada"]).toBe("Javier Milei");
    expect(p.aliases["the argentine leader"]).toBe("Javier Milei");
    expect(p.named.map((n) => n.name).sort()).toEqual(["Javier Milei", "Lula"]);
  });

  it("counts countries the title names", () => {
    expect([...principalsOf("Chile–Peru border talks", "Chile AND Peru AND talks").names].sort()).toEqual([
      "Chile",
      "Peru",
    ]);
  });
});

describe("an agent of a principal is not the principal", () => {
  it.each([
    ["Lula's envoy met Milei in Buenos Aires", false],
    ["An aide to Lula met Milei", false],
    ["Lula's foreign minister held talks in Buenos Aires", false],
    ["The Lula government signed the memo", false],
    ["Lula met Milei in Buenos Aires", true],
    ["Milei's team welcomed Lula to the Casa Rosada", true],
  ])("%s → names Lula: %s", (sentence, named) => {
    expect(namesPrincipal(fold(sentence), ["lula"])).toBe(named);
  });

  const summit = readingContext({
    title: "Lula–Milei summit",
    kind: "event",
    query: "Lula AND Milei AND (summit OR meet* OR talks)",
    aliases: null,
  });
  const held = (title: string): Claim[] =>
    extract({ title, summary: "", content: "", publishedAt: "2027-03-05T12:00:00Z" }, summit).claims.filter(
      (c) => c.cue === "held" && c.polarity === "positive",
    );

  it("holds the summit only when both principals meet, not their envoys", () => {
    expect(held("Lula's envoy met Milei in Buenos Aires to discuss the summit")).toEqual([]);
    expect(held("Milei's chief of staff and Lula's foreign minister held talks on the summit")).toEqual([]);
    expect(held("Lula and Milei met in Buenos Aires for their first summit")).toMatchObject([{ cue: "held" }]);
  });
});
