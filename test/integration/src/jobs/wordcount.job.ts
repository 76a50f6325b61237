import { defineJob } from '@riffle/datastream';

/** WordCount over a generated text: `--words N` words from a `--vocabulary V` word list, seeded. */
export default defineJob((env, params) => {
  const words = params.getNumber('words', 1000);
  const vocabulary = params.getNumber('vocabulary', 500);
  const perLine = 10;
  env
    .fromSequence(0, Math.ceil(words / perLine) - 1)
    .map((line) => {
      const out: string[] = [];
      for (let i = 0; i < perLine; i++) {
        const n = line * perLine + i;
        if (n < words) out.push(wordAt(n, vocabulary));
      }
      return out.join(' ');
    })
    .name('Lines')
    .flatMap<[string, number]>((line: string, out) => {
      for (const w of line.split(' ')) out.collect([w, 1]);
    })
    .name('Tokenizer')
    .keyBy((t) => t[0])
    .sum(1)
    .name('Count')
    .addCollectSink('counts');
});

/** The n-th word of the text: deterministic, skewed towards small word ids. */
export function wordAt(n: number, vocabulary: number): string {
  let x = (n * 2654435761) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 2246822519) >>> 0;
  x ^= x >>> 13;
  const id = Math.floor(((x / 4294967296) ** 2) * vocabulary);
  return `w${id}`;
}
