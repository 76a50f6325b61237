/** A tiny subset of Java's `DateTimeFormatter` patterns, enough for bucket ids. */

type Token = { kind: 'field'; field: Field; width: number } | { kind: 'literal'; text: string };
type Field = 'y' | 'M' | 'd' | 'H' | 'm' | 's' | 'S';

const UNIT_MS: Record<Field, number> = { y: 3_600_000, M: 3_600_000, d: 3_600_000, H: 3_600_000, m: 60_000, s: 1000, S: 1 };
const WIDTHS: Record<Field, number[]> = { y: [2, 4], M: [2], d: [2], H: [2], m: [2], s: [2], S: [3] };

const parsed = new Map<string, Token[]>();

function parse(format: string): Token[] {
  const cached = parsed.get(format);
  if (cached) return cached;
  if (typeof format !== 'string' || format.length === 0) throw new Error("DateTimeBucketAssigner: 'format' must be a non-empty pattern such as 'yyyy-MM-dd--HH'");
  const tokens: Token[] = [];
  for (let i = 0; i < format.length; ) {
    const c = format[i];
    if (c === "'") {
      const end = format.indexOf("'", i + 1);
      if (end < 0) throw new Error(`DateTimeBucketAssigner: unterminated quote in 'format' '${format}'`);
      tokens.push({ kind: 'literal', text: end === i + 1 ? "'" : format.slice(i + 1, end) });
      i = end + 1;
    } else if (c in WIDTHS) {
      let j = i;
      while (format[j] === c) j++;
      const width = j - i;
      if (!WIDTHS[c as Field].includes(width)) throw new Error(`DateTimeBucketAssigner: unsupported pattern '${c.repeat(width)}' in 'format' '${format}'`);
      tokens.push({ kind: 'field', field: c as Field, width });
      i = j;
    } else if (/[a-zA-Z]/.test(c)) {
      throw new Error(`DateTimeBucketAssigner: unsupported pattern letter '${c}' in 'format' '${format}' (use yyyy, yy, MM, dd, HH, mm, ss, SSS)`);
    } else {
      tokens.push({ kind: 'literal', text: c });
      i++;
    }
  }
  parsed.set(format, tokens);
  return tokens;
}

/** The finest unit the pattern shows, in ms (an hour at most: day-level ids are cached per hour). */
export function granularityOf(format: string): number {
  let unit = 3_600_000;
  for (const t of parse(format)) if (t.kind === 'field') unit = Math.min(unit, UNIT_MS[t.field]);
  return unit;
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = zoneFormatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
      });
    } catch {
      throw new Error(`DateTimeBucketAssigner: unknown 'timeZone' '${timeZone}' (expected an IANA zone such as 'UTC' or 'Europe/Berlin')`);
    }
    zoneFormatters.set(timeZone, f);
  }
  return f;
}

/** Formats epoch milliseconds `time` with `format` in `timeZone`. */
export function formatDateTime(time: number, format: string, timeZone: string): string {
  const tokens = parse(format);
  const fields: Record<Field, number> = { y: 0, M: 0, d: 0, H: 0, m: 0, s: 0, S: ((time % 1000) + 1000) % 1000 };
  if (timeZone === 'UTC') {
    const d = new Date(time);
    fields.y = d.getUTCFullYear();
    fields.M = d.getUTCMonth() + 1;
    fields.d = d.getUTCDate();
    fields.H = d.getUTCHours();
    fields.m = d.getUTCMinutes();
    fields.s = d.getUTCSeconds();
  } else {
    for (const p of zoneFormatter(timeZone).formatToParts(time)) {
      const v = Number(p.value);
      if (p.type === 'year') fields.y = v;
      else if (p.type === 'month') fields.M = v;
      else if (p.type === 'day') fields.d = v;
      else if (p.type === 'hour') fields.H = v;
      else if (p.type === 'minute') fields.m = v;
      else if (p.type === 'second') fields.s = v;
    }
  }
  let out = '';
  for (const t of tokens) {
    if (t.kind === 'literal') out += t.text;
    else {
      let v = fields[t.field];
      if (t.field === 'y' && t.width === 2) v %= 100;
      out += String(v).padStart(t.width, '0');
    }
  }
  return out;
}
