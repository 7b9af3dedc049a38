/**
 * A bundled gazetteer: countries, capitals, major cities and regions written by hand (no venues:
 * a storyline names its own through aliases), then the world's larger cities generated from GeoNames (cities.generated.ts),
 * each with its parent, so containment can be checked (Anchorage ⊂ Alaska ⊂ United States).
 * Format per line: `Name|alias|alias>Parent`. Aliases are matched case- and accent-insensitively.
 */
import { fold } from "../text";
import { CITIES } from "./cities.generated";

const DATA = `
United States|US|U.S.|USA|United States of America|America
Russia|Russian Federation
Ukraine
Türkiye|Turkey|Turkiye
China|People's Republic of China
United Kingdom|UK|Britain|Great Britain
France
Germany
Italy
Spain
Portugal
Poland
Hungary
Austria
Switzerland
Belgium
Netherlands
Denmark
Norway
Sweden
Finland
Estonia
Latvia
Lithuania
Belarus
Moldova
Romania
Bulgaria
Greece
Serbia
Albania
Georgia
Armenia
Azerbaijan
Kazakhstan
Uzbekistan
Saudi Arabia
United Arab Emirates|UAE
Qatar
Oman
Kuwait
Bahrain
Egypt
Israel
Jordan
Lebanon
Syria
Iraq
Iran
Yemen
Palestinian territories
Gaza|Gaza Strip>Palestinian territories
India
Pakistan
Afghanistan
Bangladesh
Japan
South Korea|Republic of Korea
North Korea
Taiwan
Philippines
Vietnam
Thailand
Cambodia
Malaysia
Indonesia
Singapore
Mongolia
Iceland
Australia
New Zealand
Canada
Mexico
Brazil
Argentina
Colombia
Venezuela
Cuba
Chile
Peru
South Africa
Nigeria
Kenya
Ethiopia
Sudan
Libya
Algeria
Morocco
Tunisia
Vatican City|Vatican|Holy See>Italy
Washington|Washington DC|Washington D.C.>United States
Alaska>United States
Anchorage>Alaska
Hawaii>United States
Honolulu>Hawaii
Florida>United States
Miami>Florida
New York|New York City>United States
California>United States
Los Angeles>California
San Francisco>California
Texas>United States
Maryland>United States
Moscow>Russia
St Petersburg|Saint Petersburg|St. Petersburg>Russia
Sochi>Russia
Crimea>Ukraine
Kyiv|Kiev>Ukraine
Lviv>Ukraine
Odesa|Odessa>Ukraine
Kharkiv>Ukraine
Donbas>Ukraine
Sumy>Ukraine
Istanbul>Türkiye

Ankara>Türkiye
Antalya>Türkiye
Beijing>China
Shanghai>China
Hong Kong>China
London>England
Scotland>United Kingdom
England>United Kingdom
Wales>United Kingdom
Northern Ireland>United Kingdom
Aberdeen>Scotland
Belfast>Northern Ireland
Edinburgh>Scotland
Paris>France
Berlin>Germany
Munich>Germany
Rome>Italy
Madrid>Spain
Lisbon>Portugal
Warsaw>Poland
Budapest>Hungary
Vienna>Austria
Geneva>Switzerland
Bern>Switzerland
Davos>Switzerland
Brussels>Belgium
The Hague>Netherlands
Amsterdam>Netherlands
Copenhagen>Denmark
Oslo>Norway
Stockholm>Sweden
Helsinki>Finland
Minsk>Belarus
Bucharest>Romania
Sofia>Bulgaria
Athens>Greece
Belgrade>Serbia
Tirana>Albania
Tbilisi>Georgia
Yerevan>Armenia
Baku>Azerbaijan
Astana>Kazakhstan
Riyadh>Saudi Arabia
Jeddah>Saudi Arabia
Abu Dhabi>United Arab Emirates
Dubai>United Arab Emirates
Doha>Qatar
Muscat>Oman
Cairo>Egypt
Sharm el-Sheikh>Egypt
Jerusalem>Israel
Tel Aviv>Israel
Amman>Jordan
Beirut>Lebanon
Damascus>Syria
Baghdad>Iraq
Tehran>Iran
New Delhi|Delhi>India
Mumbai>India
Islamabad>Pakistan
Kabul>Afghanistan
Tokyo>Japan
Osaka>Japan
Seoul>South Korea
Busan>South Korea
Gyeongju>South Korea
Pyongyang>North Korea
Taipei>Taiwan
Manila>Philippines
Hanoi>Vietnam
Bangkok>Thailand
Phnom Penh>Cambodia
Kuala Lumpur>Malaysia
Putrajaya>Malaysia
Ulaanbaatar|Ulan Bator>Mongolia
Reykjavik|Reykjavík>Iceland
Penang>Malaysia
Jakarta>Indonesia
Canberra>Australia
Sydney>Australia
Ottawa>Canada
Toronto>Canada
Kananaskis>Canada
Mexico City>Mexico
Brasilia>Brazil
Rio de Janeiro>Brazil
Buenos Aires>Argentina
Bogota>Colombia
Caracas>Venezuela
Havana>Cuba
Pretoria>South Africa
Johannesburg>South Africa
Abuja>Nigeria
Nairobi>Kenya
Addis Ababa>Ethiopia
Khartoum>Sudan
Tripoli>Libya
Algiers>Algeria
Rabat>Morocco
Tunis>Tunisia
`;

export interface Place {
  name: string;
  parent: string | null;
  /** Countries have no parent. */
  depth: number;
}

export const PLACES = new Map<string, Place>();
/** Folded alias → canonical name. */
export const PLACE_ALIASES = new Map<string, string>();
/** Upper-case aliases as written ("US", "UAE"): matched case-sensitively, so "us" is not a place. */
export const ACRONYM_ALIASES = new Map<string, string>();

/** Aliases fold as the text they are looked up in does. */
const foldAlias = fold;

for (const line of `${DATA}\n${CITIES}`.split("\n")) {
  if (!line.trim()) continue;
  const [names, parent] = line.split(">") as [string, string | undefined];
  const aliases = names.split("|");
  const name = aliases[0] as string;
  // The hand-written lines come first and win any clash with the generated ones, by name or alias.
  if (PLACES.has(name) || PLACE_ALIASES.has(foldAlias(name))) continue;
  PLACES.set(name, { name, parent: parent ?? null, depth: 0 });
  for (const alias of aliases) {
    if (/^[A-Z.]+$/.test(alias)) {
      if (!ACRONYM_ALIASES.has(alias)) ACRONYM_ALIASES.set(alias, name);
    } else if (!PLACE_ALIASES.has(foldAlias(alias))) PLACE_ALIASES.set(foldAlias(alias), name);
  }
}
for (const place of PLACES.values()) {
  let depth = 0;
  for (let p = place.parent; p; p = PLACES.get(p)?.parent ?? null) depth++;
  place.depth = depth;
}

/** Adjectives and metonyms that name a country as an actor ("Russian", "the Kremlin"), not as a venue. */
export const DEMONYMS: Record<string, string> = {
  american: "United States",
  russian: "Russia",
  russians: "Russia",
  ukrainian: "Ukraine",
  ukrainians: "Ukraine",
  turkish: "Türkiye",
  chinese: "China",
  british: "United Kingdom",
  french: "France",
  german: "Germany",
  italian: "Italy",
  polish: "Poland",
  saudi: "Saudi Arabia",
  emirati: "United Arab Emirates",
  qatari: "Qatar",
  egyptian: "Egypt",
  israeli: "Israel",
  palestinian: "Palestinian territories",
  iranian: "Iran",
  indian: "India",
  pakistani: "Pakistan",
  japanese: "Japan",
  korean: "South Korea",
  "south korean": "South Korea",
  "north korean": "North Korea",
  taiwanese: "Taiwan",
  thai: "Thailand",
  cambodian: "Cambodia",
  canadian: "Canada",
  mexican: "Mexico",
  armenian: "Armenia",
  azerbaijani: "Azerbaijan",
  hamas: "Palestinian territories",
  hezbollah: "Lebanon",
  kremlin: "Russia",
  "white house": "United States",
  washington: "United States",
  moscow: "Russia",
  kyiv: "Ukraine",
  kiev: "Ukraine",
  beijing: "China",
  ankara: "Türkiye",
  tehran: "Iran",
  "new delhi": "India",
  islamabad: "Pakistan",
  seoul: "South Korea",
  tokyo: "Japan",
};

/** Is `inner` the same place as `outer` or inside it? */
export function within(inner: string, outer: string): boolean {
  for (let p: string | null = inner; p; p = PLACES.get(p)?.parent ?? null) if (p === outer) return true;
  return false;
}
