/** Deterministic synthetic news items and storyline queries for the matching benchmark. */

export function seeded(seed: number): () => number {
  // mulberry32: small, fast, deterministic.
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = [
  "Putin",
  "Trump",
  "Zelensky",
  "Zelenskyy",
  "Xi",
  "Modi",
  "Macron",
  "Scholz",
  "Erdoğan",
  "Netanyahu",
  "Starmer",
  "Meloni",
  "Lula",
  "Ramaphosa",
  "Kishida",
  "Albanese",
  "Sánchez",
  "Tusk",
  "Orbán",
  "Guterres",
];
const PLACES = [
  "Alaska",
  "Kyiv",
  "Moscow",
  "Beijing",
  "Istanbul",
  "Geneva",
  "Brussels",
  "Gaza",
  "Riyadh",
  "Doha",
  "Washington",
  "Paris",
  "Berlin",
  "Warsaw",
  "Ankara",
  "Cairo",
  "Tehran",
  "Delhi",
  "Tokyo",
  "Türkiye",
];
const TOPICS = [
  "summit",
  "talks",
  "ceasefire",
  "truce",
  "deal",
  "agreement",
  "sanctions",
  "tariffs",
  "election",
  "minerals",
  "negotiations",
  "meeting",
  "visit",
  "treaty",
  "accord",
  "de-escalation",
  "offensive",
  "referendum",
  "budget",
  "protests",
];
const FILLER =
  "the a of to in and on for with says said will would after before over new amid as could officials week report government minister president leaders country talks plan move warns calls early latest".split(
    " ",
  );

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T;
}

function sentence(random: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    const r = random();
    out.push(
      r < 0.1
        ? pick(random, NAMES)
        : r < 0.17
          ? pick(random, PLACES)
          : r < 0.25
            ? pick(random, TOPICS)
            : pick(random, FILLER),
    );
  }
  return `${out.join(" ")}.`;
}

export function makeItems(count: number, seed = 1): Array<{ title: string; summary: string }> {
  const random = seeded(seed);
  return Array.from({ length: count }, () => {
    let summary = "";
    while (summary.length < 300) summary += `${sentence(random, 12)} `;
    return { title: sentence(random, 9), summary: summary.slice(0, 300) };
  });
}

export function makeQueries(count: number, seed = 2): string[] {
  const random = seeded(seed);
  const shapes = [
    () =>
      `(${pick(random, NAMES)} OR ${pick(random, NAMES)}) AND ${pick(random, NAMES)} AND (${pick(random, TOPICS)} OR meet* OR "${pick(random, FILLER)} ${pick(random, TOPICS)}")`,
    () => `${pick(random, NAMES)} NEAR/5 ${pick(random, PLACES)}`,
    () =>
      `title:${pick(random, TOPICS)} AND (${pick(random, PLACES)} OR ${pick(random, PLACES)}) NOT ${pick(random, NAMES)}`,
    () =>
      `"${pick(random, TOPICS)} ${pick(random, FILLER)}" OR (${pick(random, NAMES).slice(0, 4)}* AND ${pick(random, PLACES)})`,
    () =>
      `(${pick(random, PLACES)} OR ${pick(random, PLACES)} OR ${pick(random, PLACES)}) (${pick(random, TOPICS)} OR ${pick(random, TOPICS)}) NOT summary:${pick(random, FILLER)}`,
  ];
  return Array.from({ length: count }, (_, i) => (shapes[i % shapes.length] as () => string)());
}
