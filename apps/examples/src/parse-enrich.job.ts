/**
 * Parse, filter, enrich: the stateless bread and butter of stream processing, on a clickstream
 * whose lines come in two formats (CSV and JSON) and are sometimes broken.
 *
 * Shows: a `ProcessFunction` that parses each line and routes lines it cannot parse to a side
 * output (`OutputTag` + `ctx.output(tag, …)` + `getSideOutput(tag)`) instead of failing the job;
 * a `filter` (drop crawler traffic); a `map` that enriches (country from an IP prefix table, day
 * of the week from the timestamp). No input can crash it: parse errors are values, not exceptions,
 * and an unexpected exception in the parser is caught and routed like any other bad line.
 *
 * Run it:
 *   npx riffle run apps/examples/src/parse-enrich.job.ts -p 2 -- --events 200
 *   npx riffle run apps/examples/src/parse-enrich.job.ts -- --input access.log --output print
 *
 * Parameters (after `--`):
 *   --input <path>      read lines from a file or directory instead of generating them
 *   --events N          generated lines (default 1000)
 *   --seed S            seed of the generated lines (default 7)
 *   --malformed-rate R  share of generated lines that are broken (default 0.04)
 *   --output MODE       print (default): enriched clicks as `click> {...}`, bad lines as
 *                       `malformed> {"line":…,"error":…}`; collect: collect ids 'clicks' and 'malformed'
 */
import { OutputTag, ProcessFunction, type Collector, type ProcessContext } from '@riffle/core';
import { defineJob, type DataStream } from '@riffle/datastream';
import { enrich, isBot, parseClick } from './click-parser.js';
import { generateClickLine, type Click, type MalformedLine } from './clickstream.js';
import { SeededRandom } from './random.js';

export { generateClickLine, type Click, type EnrichedClick, type GeneratedLine, type MalformedLine } from './clickstream.js';

/** The side output of lines that could not be parsed. */
export const MALFORMED = new OutputTag<MalformedLine>('malformed');

/** Collect ids of `--output collect`. */
export const CLICKS_COLLECT_ID = 'clicks';
export const MALFORMED_COLLECT_ID = 'malformed';

/** Parses lines into clicks; a line that does not parse goes to {@link MALFORMED} with the reason. */
export class ClickParser extends ProcessFunction<string, Click> {
  processElement(line: string, ctx: ProcessContext, out: Collector<Click>): void {
    let parsed;
    try {
      parsed = parseClick(line);
    } catch (e) {
      // parseClick reports errors as values; this is the safety net for a bug in it.
      ctx.output(MALFORMED, { line, error: `parser failed: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    if (parsed.ok) out.collect(parsed.click);
    else ctx.output(MALFORMED, { line, error: parsed.error });
  }
}

export default defineJob((env, params) => {
  const output = params.get('output', 'print');
  if (output !== 'print' && output !== 'collect') throw new Error(`--output must be print or collect, got '${output}'`);

  let lines: DataStream<string>;
  const input = params.get('input');
  if (input !== undefined) {
    lines = env.readTextFile(input).name('Log Lines');
  } else {
    const events = params.getNumber('events', 1000);
    const seed = params.getNumber('seed', 7);
    const malformedRate = params.getNumber('malformed-rate', 0.04);
    if (!Number.isInteger(events) || events < 1) throw new Error(`--events must be a positive integer, got ${events}`);
    if (!(malformedRate >= 0 && malformedRate <= 1)) throw new Error(`--malformed-rate must be between 0 and 1, got ${malformedRate}`);
    // Reseeded for every line, so instances that share it (same thread) cannot disturb each other.
    const random = new SeededRandom();
    lines = env
      .fromSequence(0, events - 1)
      .name('Line Numbers')
      .map((i) => generateClickLine(i, seed, malformedRate, random).line)
      .name('Generated Clickstream');
  }

  const parsed = lines.process(new ClickParser()).name('Parse');
  const clicks = parsed
    .filter((click) => !isBot(click))
    .name('Drop Bots')
    .map(enrich)
    .name('Enrich');
  const malformed = parsed.getSideOutput(MALFORMED);

  if (output === 'print') {
    clicks.print('click');
    malformed.print('malformed');
  } else {
    clicks.addCollectSink(CLICKS_COLLECT_ID);
    malformed.addCollectSink(MALFORMED_COLLECT_ID);
  }
});
