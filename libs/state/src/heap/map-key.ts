/**
 * How keys, namespaces and `MapState` user keys become JS `Map` keys on the heap backend.
 *
 * Primitives are used as they are (`Map` compares them with SameValueZero, so `0` and `-0`
 * meet, as they do in `hashKey`). Arrays, plain objects and `Date`s compare by value (like
 * `keyBy` keys and their key groups), so they are stored under a canonical string:
 * {@link STRUCTURED_PREFIX} followed by a reversible encoding in which object fields are
 * sorted by name. {@link fromMapKey} turns the string back into an equal value.
 *
 * The prefix starts with a lone surrogate, which no string survives serialization with (UTF-8
 * writes it as U+FFFD), so a string key can only be mistaken for a structured one if it could
 * not have been checkpointed anyway.
 *
 * Encoding of a value (recursive): string → JSON string; number → `#` + `String(n)` (`-0` as
 * `0`); bigint → `n` + digits; boolean → `t`/`f`; `null` → `z`; `undefined` → `u`;
 * `Date` → `d` + time value; array → `[` elements joined by `,` `]`; any other object →
 * `{` `"name":value` joined by `,` `}` over its own enumerable fields in sorted order.
 */
export const STRUCTURED_PREFIX = '\uDFFF\u0001';

/**
 * Under this symbol (`Symbol.for('riffle.state.mapKey')`) a namespace object may provide its own
 * `Map` key, typically a cached string, so that switching to it costs no encoding (windows do
 * this). Contract: equal namespaces give equal keys and different namespaces of one state give
 * different keys; a string key should start with a lone surrogate so that it cannot meet a
 * primitive (string) namespace. Honoured for namespaces only: keys and `MapState` user keys
 * must decode back to values, so they always use the canonical encoding.
 */
export const NAMESPACE_MAP_KEY: unique symbol = Symbol.for('riffle.state.mapKey') as never;

/** The `Map` key of a namespace: its own {@link NAMESPACE_MAP_KEY} if it has one, else {@link toMapKey}. */
export function toNamespaceKey(namespace: unknown): unknown {
  if (typeof namespace !== 'object' || namespace === null) return namespace;
  const own = (namespace as { [NAMESPACE_MAP_KEY]?: unknown })[NAMESPACE_MAP_KEY];
  return own !== undefined ? own : STRUCTURED_PREFIX + encode(namespace);
}

/** The `Map` key of a value: the value itself if primitive, its canonical string otherwise. */
export function toMapKey(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return STRUCTURED_PREFIX + encode(value);
}

/** The value named by a `Map` key made by {@link toMapKey} (an equal copy for structured values). */
export function fromMapKey(mapKey: unknown): unknown {
  if (typeof mapKey !== 'string' || !mapKey.startsWith(STRUCTURED_PREFIX)) return mapKey;
  const parser = new Parser(mapKey, STRUCTURED_PREFIX.length);
  const value = parser.value();
  if (parser.pos !== mapKey.length) throw new Error(`corrupt structured key encoding at ${parser.pos}: ${mapKey}`);
  return value;
}

function encode(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return value === 0 ? '#0' : '#' + String(value);
    case 'bigint':
      return 'n' + value.toString();
    case 'boolean':
      return value ? 't' : 'f';
    case 'undefined':
      return 'u';
    case 'object': {
      if (value === null) return 'z';
      if (Array.isArray(value)) {
        let s = '[';
        for (let i = 0; i < value.length; i++) s += (i === 0 ? '' : ',') + encode(value[i]);
        return s + ']';
      }
      if (value instanceof Date) return 'd' + String(value.getTime());
      const names = Object.keys(value).sort();
      let s = '{';
      for (let i = 0; i < names.length; i++) {
        s += (i === 0 ? '' : ',') + JSON.stringify(names[i]) + ':' + encode((value as Record<string, unknown>)[names[i]!]);
      }
      return s + '}';
    }
    default:
      throw new TypeError(`a state key must be a string, number, boolean, bigint, Date, null, array or plain object; got ${typeof value}`);
  }
}

class Parser {
  constructor(
    private readonly s: string,
    public pos: number,
  ) {}

  value(): unknown {
    const c = this.s[this.pos];
    switch (c) {
      case '"':
        return this.string();
      case '#':
        return Number(this.token());
      case 'n':
        return BigInt(this.token());
      case 'd':
        return new Date(Number(this.token()));
      case 't':
        this.pos++;
        return true;
      case 'f':
        this.pos++;
        return false;
      case 'z':
        this.pos++;
        return null;
      case 'u':
        this.pos++;
        return undefined;
      case '[': {
        this.pos++;
        const out: unknown[] = [];
        if (this.s[this.pos] === ']') {
          this.pos++;
          return out;
        }
        for (;;) {
          out.push(this.value());
          const sep = this.s[this.pos++];
          if (sep === ']') return out;
          if (sep !== ',') throw this.corrupt();
        }
      }
      case '{': {
        this.pos++;
        const out: Record<string, unknown> = {};
        if (this.s[this.pos] === '}') {
          this.pos++;
          return out;
        }
        for (;;) {
          const name = this.string();
          if (this.s[this.pos++] !== ':') throw this.corrupt();
          Object.defineProperty(out, name, { value: this.value(), enumerable: true, writable: true, configurable: true });
          const sep = this.s[this.pos++];
          if (sep === '}') return out;
          if (sep !== ',') throw this.corrupt();
        }
      }
      default:
        throw this.corrupt();
    }
  }

  /** The characters after the one-letter tag up to the next delimiter. */
  private token(): string {
    const start = ++this.pos;
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 44 /* , */ || c === 93 /* ] */ || c === 125 /* } */) break;
      this.pos++;
    }
    return s.slice(start, this.pos);
  }

  private string(): string {
    const s = this.s;
    const start = this.pos;
    if (s[start] !== '"') throw this.corrupt();
    let i = start + 1;
    while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
    if (i >= s.length) throw this.corrupt();
    this.pos = i + 1;
    return JSON.parse(s.slice(start, this.pos)) as string;
  }

  private corrupt(): Error {
    return new Error(`corrupt structured key encoding at ${this.pos}: ${this.s}`);
  }
}
