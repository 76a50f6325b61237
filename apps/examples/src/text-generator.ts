import { SeededRandom, seedFor } from './random.js';

/**
 * Words per generated line (the last line may hold fewer). Kept short on purpose: a source emits
 * up to 1000 lines per poll, and the tokenizer chained to it turns each into this many records,
 * which must fit the network's overdraft (see the README's notes).
 */
export const WORDS_PER_LINE = 8;

/** The most frequent words, most frequent first; a few non-ASCII ones to show Unicode letters. */
const COMMON_WORDS = [
  'the', 'of', 'and', 'to', 'in', 'a', 'is', 'that', 'for', 'it', 'as', 'was', 'with', 'be', 'by',
  'on', 'not', 'he', 'this', 'are', 'or', 'his', 'from', 'at', 'which', 'but', 'have', 'an', 'had',
  'they', 'you', 'were', 'their', 'one', 'all', 'we', 'can', 'her', 'has', 'there', 'been', 'if',
  'more', 'when', 'will', 'would', 'who', 'so', 'no', 'stream', 'river', 'water', 'flows', 'down',
  'stone', 'bank', 'current', 'fish', 'light', 'time', 'event', 'window', 'state', 'record', 'café',
  'naïve', 'über', 'riffle', 'pool', 'rapid', 'delta', 'source', 'sink', 'key', 'value',
];

const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tor', 'vi', 'sa', 'nu', 'pel', 'dor', 'ba', 'qui', 'zel', 'fo', 'gar', 'hin'];

/** Number of distinct words the generator can produce. */
export const VOCABULARY_SIZE = 4096;

/** The word of frequency rank `rank` (0 = most frequent), lower-case letters only. */
export function wordOfRank(rank: number): string {
  if (rank < COMMON_WORDS.length) return COMMON_WORDS[rank]!;
  // The long tail: made-up words spelled from syllables, one per rank.
  let n = rank - COMMON_WORDS.length;
  let word = '';
  do {
    word += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length);
  } while (n > 0);
  return word + 'ish';
}

/** Number of lines a text of `words` words has. */
export function lineCount(words: number): number {
  return Math.ceil(words / WORDS_PER_LINE);
}

/**
 * Line `line` (0-based) of a generated text of `words` words, a pure function of its arguments.
 * Word frequencies are skewed (a few words dominate, as in prose); words come in mixed case
 * (sentence starts, the odd SHOUT) and are separated by spaces and punctuation, so that a
 * WordCount has to normalise and tokenize. Every word consists of letters only, so tokenizing on
 * non-letters yields exactly `WORDS_PER_LINE` words per line (fewer in the last).
 */
export function generateLine(line: number, words: number, seed: number, random = new SeededRandom()): string {
  random.reseed(seedFor(seed, line));
  const first = line * WORDS_PER_LINE;
  const end = Math.min(words, first + WORDS_PER_LINE);
  let text = '';
  let sentenceStart = line === 0 || random.chance(0.3);
  for (let n = first; n < end; n++) {
    const u = random.next();
    let word = wordOfRank(Math.floor(u * u * u * VOCABULARY_SIZE));
    const shape = random.next();
    if (shape < 0.01) word = word.toUpperCase();
    else if (sentenceStart || shape < 0.05) word = word.charAt(0).toUpperCase() + word.slice(1);
    sentenceStart = false;
    if (n > first) {
      const sep = random.next();
      if (sep < 0.07) {
        text += '. ';
        word = word.charAt(0).toUpperCase() + word.slice(1);
      } else if (sep < 0.14) text += ', ';
      else if (sep < 0.16) text += ' - ';
      else if (sep < 0.18) text += '; ';
      else if (sep < 0.19) text += ' (';
      else text += ' ';
    }
    text += word;
  }
  return end > first ? text + (random.chance(0.5) ? '.' : '') : '';
}
