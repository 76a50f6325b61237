/**
 * Typed configuration: options are declared once with a key, a default and a description, and
 * read through the option, never by a bare string.
 */
export interface ConfigOption<T> {
  readonly key: string;
  readonly defaultValue: T;
  readonly description: string;
}

/** Declares an option. */
export function configOption<T>(key: string, defaultValue: T, description: string): ConfigOption<T> {
  return { key, defaultValue, description };
}

/** A set of option values; plain data, so it crosses threads and processes as it is. */
export class Configuration {
  private readonly values = new Map<string, unknown>();

  constructor(entries?: Record<string, unknown>) {
    if (entries) for (const [k, v] of Object.entries(entries)) this.values.set(k, v);
  }

  get<T>(option: ConfigOption<T>): T {
    return this.values.has(option.key) ? (this.values.get(option.key) as T) : option.defaultValue;
  }

  set<T>(option: ConfigOption<T>, value: T): this {
    this.values.set(option.key, value);
    return this;
  }

  has(option: ConfigOption<unknown>): boolean {
    return this.values.has(option.key);
  }

  toObject(): Record<string, unknown> {
    return Object.fromEntries(this.values);
  }
}
