/**
 * Read-only job parameters (Flink's `ParameterTool`): the arguments given after `--` to
 * `riffle run`, or `params` given to `runJob`. Values are strings; the typed getters convert and
 * fail with an error naming the parameter.
 */
export class ParameterTool {
  private readonly values: ReadonlyMap<string, string>;

  private constructor(values: Iterable<readonly [string, string]>) {
    this.values = new Map(values);
  }

  /** Parameters from a plain object. */
  static fromMap(map: Readonly<Record<string, string>>): ParameterTool {
    return new ParameterTool(Object.entries(map));
  }

  /**
   * Parses `--key value` / `-key value` / `--key=value` pairs; a key followed by another key or
   * by nothing is a flag with the value `"true"`. A value may start with `-` when it is a
   * number (`--offset -5`). Anything else (a value without a key) is an error.
   */
  static fromArgs(args: readonly string[]): ParameterTool {
    const entries: Array<[string, string]> = [];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      const key = arg.startsWith('--') ? arg.slice(2) : arg.startsWith('-') ? arg.slice(1) : undefined;
      if (key === undefined || key === '' || isNumber(arg)) {
        throw new Error(`Error parsing arguments '${args.join(' ')}' on '${arg}': please prefix keys with -- or -`);
      }
      const eq = key.indexOf('=');
      if (eq > 0) {
        entries.push([key.slice(0, eq), key.slice(eq + 1)]);
        continue;
      }
      const next = args[i + 1];
      if (next !== undefined && (!next.startsWith('-') || isNumber(next))) {
        entries.push([key, next]);
        i++;
      } else {
        entries.push([key, 'true']);
      }
    }
    return new ParameterTool(entries);
  }

  /** The value of `key`, else `defaultValue` (else `undefined`). */
  get(key: string): string | undefined;
  get(key: string, defaultValue: string): string;
  get(key: string, defaultValue?: string): string | undefined {
    return this.values.get(key) ?? defaultValue;
  }

  /** The value of `key`; throws naming the key when it is missing. */
  getRequired(key: string): string {
    const value = this.values.get(key);
    if (value === undefined) throw new Error(`No value for the required parameter '${key}'`);
    return value;
  }

  /** The value of `key` as a number, else `defaultValue`; throws when the value is not a number or when both are missing. */
  getNumber(key: string, defaultValue?: number): number {
    const raw = this.values.get(key);
    if (raw === undefined) {
      if (defaultValue === undefined) throw new Error(`No value for the required parameter '${key}'`);
      return defaultValue;
    }
    if (!isNumber(raw)) throw new Error(`Parameter '${key}' must be a number, got '${raw}'`);
    return Number(raw);
  }

  /** The value of `key` as a boolean (`true`/`false`, any case), else `defaultValue`; throws for other values. */
  getBoolean(key: string, defaultValue?: boolean): boolean {
    const raw = this.values.get(key);
    if (raw === undefined) {
      if (defaultValue === undefined) throw new Error(`No value for the required parameter '${key}'`);
      return defaultValue;
    }
    const lower = raw.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    throw new Error(`Parameter '${key}' must be true or false, got '${raw}'`);
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  getNumberOfParameters(): number {
    return this.values.size;
  }

  /** A new tool with the parameters of both; `other` wins on conflicts. */
  mergeWith(other: ParameterTool): ParameterTool {
    return new ParameterTool([...this.values, ...other.values]);
  }

  /** The parameters as a plain object (a copy). */
  toMap(): Record<string, string> {
    return Object.fromEntries(this.values);
  }
}

function isNumber(s: string): boolean {
  return s.trim() !== '' && Number.isFinite(Number(s));
}
