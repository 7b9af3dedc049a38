/**
 * Status verbs of news in four more languages (de, es, pt, fr), read on folded text (lowercase,
 * accents stripped: "gewählt" is "gewahlt"). Coverage of a storyline comes in the languages of
 * its parties, and a headline in any of them reports the same moves. Only forms that report a
 * move done or under way are listed (participles, present and past, never infinitives); a
 * negation or a modal of the language before the verb rejects it, as English ones do for the
 * English cues. These cues come last: an English cue of the sentence takes its span first.
 */
import type { CueKind } from "./cues";

export interface OtherLanguageCue {
  kind: CueKind;
  pattern: RegExp;
  tense: "past" | "future";
  /** The storyline must follow this kind of event (its folded title matches). */
  frame?: RegExp;
  anyActor?: boolean;
  guard: (sentence: string, start: number) => boolean;
}

/** Negations and modals of the four languages ("nicht", "no", "nao", "ne … pas"; "konnte", "podria", "poderia", "pourrait"; "wird", "va a", "vai"). */
const NOT_DONE_BEFORE =
  /\b(?:nicht|kein|keine|keinen|noch nicht|no|nunca|ni|nao|nem|ne|n'|pas|jamais|konnte|konnten|konnen|soll|sollen|sollte|will|wollen|wird|werden|wurde|wurden|moglicherweise|podria|podrian|puede|pueden|podra|podran|quiere|quieren|va a|van a|poderia|poderiam|pode|podem|podera|vai|vao|quer|querem|pourrait|pourraient|peut|peuvent|pourra|va|vont|veut|veulent|devrait|devraient)\b[^,.;:]{0,30}$/;

function notDone(sentence: string, start: number): boolean {
  return NOT_DONE_BEFORE.test(sentence.slice(Math.max(0, start - 50), start));
}

const VOTE = /\b(?:election|elections|vote|ballot|runoff|referendum|chancellor|prime minister|premier|president)\b/;
const RATE = /\b(?:rate|rates|central bank|monetary policy|national bank|bank of)\b/;

const DEAL_WORDS = "(?:acuerdo|acordo|accord|abkommen|vertrag|tratado|traite|pacto|pacte|deal|treaty|agreement|pact)";

export const OTHER_LANGUAGE_EVENT_CUES: readonly OtherLanguageCue[] = [
  {
    kind: "postponed",
    pattern:
      /\b(?:verschoben|vertagt|aplazad[oa]s?|aplaza|aplazan|pospuest[oa]s?|pospone|posponen|adiad[oa]s?|adia|adiam|reporte|reportee|reportes|repousse|repoussee)\b/,
    tense: "future",
    guard: notDone,
  },
  {
    kind: "cancelled",
    pattern: /\b(?:abgesagt|cancelad[oa]s?|cancela|cancelan|cancelou|annule|annulee|annules)\b/,
    tense: "future",
    guard: notDone,
  },
  {
    // Leaders meeting, a host receiving, a summit opened or closed.
    kind: "held",
    pattern:
      /\b(?:trafen sich|treffen sich|trifft|traf|empfing|empfangt|se reunieron|se reunio|se reunen|se reune|reuniram-se|se reuniram|reune-se|recibio|recebeu|se sont rencontres|se rencontrent|a accueilli|(?:eroffnet|eroffnete|abre|abrio|abriu|inaugura|inauguro|inaugurou|ouvre|a ouvert) (?:den |das |die |la |el |a |o |le )?(?:[\w-]+ ){0,2}(?:gipfel|cumbre|cupula|sommet)|(?:gipfel|cumbre|cupula|sommet) (?:beginnt|begann|endet|endete|comienza|comenzo|termina|termino|concluye|concluyo|comeca|comecou|terminou|s'ouvre|s'est ouvert|s'acheve|s'est acheve))\b/,
    tense: "past",
    guard: notDone,
  },
  {
    // A vote's outcome: someone elected, a party winning.
    kind: "held",
    frame: VOTE,
    anyActor: true,
    pattern:
      /\b(?:gewahlt|wiedergewahlt|gewinnt|gewann|electo|electa|elegido|elegida|reelegido|reelegida|eleito|eleita|reeleito|reeleita|elu|elue|reelu|reelue|(?:gana|gano|ganan|ganaron|vence|venceu|vencem|venceram|remporte|a remporte) (?:las |los |la |el |as |os |a |o |les |l'|le )?(?:[\w-]+ ){0,2}(?:elecciones|eleccion|eleicoes|eleicao|presidenciales|presidenciais|balotaje|segunda vuelta|segundo turno|election|elections|presidentielle|legislatives|wahl))\b/,
    tense: "past",
    guard: notDone,
  },
  {
    // A central bank moving or keeping its rate ("senkt den Leitzins", "eleva a taxa para 14%").
    kind: "held",
    frame: RATE,
    anyActor: true,
    pattern:
      /\b(?:senkt|senkte|erhoht|erhohte|belasst|beliess|recorta|recorto|sube|subio|mantiene|mantuvo|eleva|elevou|corta|cortou|reduz|reduziu|mantem|manteve|abaisse|a abaisse|baisse|a baisse|releve|a releve|maintient|a maintenu) (?:[\w-]+ ){0,3}(?:leitzins|zinsen|zins|tasa|tasas|tipo|tipos|taxa|juros|taux|a \d|para \d|auf \d|en \d|de \d|\d)/,
    tense: "past",
    guard: notDone,
  },
];

export const OTHER_LANGUAGE_AGREEMENT_CUES: readonly OtherLanguageCue[] = [
  {
    kind: "signed",
    pattern: new RegExp(
      `\\b(?:unterzeichnet|unterzeichneten|unterzeichnen|unterschrieben|firmaron|firmo|firman|firmado|firmada|firma (?:un |el |la )?${DEAL_WORDS}|assinaram|assinou|assinam|assinado|assinada|ont signe|a signe|signent|signe (?:un |l'|le |la )?${DEAL_WORDS})\\b`,
    ),
    tense: "past",
    guard: notDone,
  },
  {
    kind: "agreed",
    pattern: new RegExp(
      `\\b(?:einigen sich|einigten sich|einigt sich|geeinigt|verstandigen sich|verstandigt|vereinbart|vereinbaren|beigelegt|(?:alcanzan|alcanzaron|alcanza|alcanzo|logran|lograron|cierran|cerraron|chegam a|chegaram a|chega a|chegou a|fecham|fecharam|fechou|parviennent a|sont parvenus a|trouvent|ont trouve|concluent|ont conclu) (?:un |um |el |o |l'|une )?(?:[\\w-]+ )?${DEAL_WORDS}|acordaron|acuerdan|pactan|pactaron|acordaram|acordam|s'accordent|accord (?:conclu|trouve))\\b`,
    ),
    tense: "past",
    guard: notDone,
  },
  {
    kind: "suspended",
    pattern:
      /\b(?:suspende|suspenden|suspendio|suspendieron|suspendido|suspendida|suspendeu|suspenderam|suspenso|suspensa|suspendent|a suspendu|suspendu|suspendue|setzt (?:[\w-]+ ){0,3}aus|ausgesetzt)\b/,
    tense: "past",
    guard: notDone,
  },
  {
    kind: "collapsed",
    pattern:
      /\b(?:abgebrochen|bricht (?:[\w-]+ ){0,3}ab|brachen (?:[\w-]+ ){0,3}ab|gescheitert|scheitern|scheiterten|geplatzt|platzt|aufgekundigt|kundigt (?:[\w-]+ ){0,3}(?:auf|abkommen|vertrag)|rompe|rompen|rompio|rompieron|fracasan|fracasaron|fracaso|rompeu|romperam|fracassam|fracassaram|fracassou|rompent|ont rompu|echouent|ont echoue)\b/,
    tense: "past",
    guard: notDone,
  },
  {
    kind: "in_force",
    pattern:
      /\b(?:in kraft getreten|tritt (?:[\w-]+ ){0,3}in kraft|traten (?:[\w-]+ ){0,3}in kraft|entra en vigor|entro en vigor|en vigor desde|entra em vigor|entrou em vigor|em vigor desde|entre en vigueur|est entre en vigueur|en vigueur depuis)\b/,
    tense: "past",
    guard: notDone,
  },
  {
    kind: "negotiating",
    pattern:
      /\b(?:verhandeln|verhandelten|verhandlungen (?:laufen|beginnen|begannen|wieder aufgenommen)|negocian|negociaron|reanudan (?:las |el )?(?:negociaciones|conversaciones|dialogo)|negociam|negociaram|retomam (?:as )?(?:negociacoes|conversas)|negocient|ont negocie|reprennent (?:les )?(?:negociations|pourparlers))\b/,
    tense: "future",
    guard: notDone,
  },
];
