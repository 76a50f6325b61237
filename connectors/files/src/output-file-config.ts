/**
 * Names of finished part files (Flink's `OutputFileConfig`): a finished file is named
 * `<partPrefix>-<writerId>-<subtask>-<counter><partSuffix>`; its in-progress and pending form is
 * the same name with a leading `.` and an `.inprogress.<random>` tail, so tools that skip hidden
 * files never see an unfinished file.
 */
export class OutputFileConfig {
  private constructor(
    /** Prefix of every part file name; default `part`. */
    readonly partPrefix: string,
    /** Suffix of every finished part file name (e.g. `.jsonl`); default empty. */
    readonly partSuffix: string,
  ) {}

  /** Prefix `part`, no suffix. */
  static defaults(): OutputFileConfig {
    return new OutputFileConfig('part', '');
  }

  static builder(): OutputFileConfigBuilder {
    return new OutputFileConfigBuilder();
  }

  /** @internal used by the builder, which validates first. */
  static create(partPrefix: string, partSuffix: string): OutputFileConfig {
    return new OutputFileConfig(partPrefix, partSuffix);
  }
}

/** Builds an {@link OutputFileConfig}; `build()` validates and throws naming the bad option. */
export class OutputFileConfigBuilder {
  private prefix = 'part';
  private suffix = '';

  withPartPrefix(prefix: string): this {
    this.prefix = prefix;
    return this;
  }

  withPartSuffix(suffix: string): this {
    this.suffix = suffix;
    return this;
  }

  build(): OutputFileConfig {
    if (typeof this.prefix !== 'string' || this.prefix.length === 0) throw new Error("OutputFileConfig: 'partPrefix' must be a non-empty string");
    if (this.prefix.startsWith('.')) throw new Error(`OutputFileConfig: 'partPrefix' must not start with '.' (hidden names are reserved for in-progress files), got '${this.prefix}'`);
    if (typeof this.suffix !== 'string') throw new Error("OutputFileConfig: 'partSuffix' must be a string");
    for (const [name, v] of [['partPrefix', this.prefix], ['partSuffix', this.suffix]] as const) {
      if (/[/\\\0]/.test(v)) throw new Error(`OutputFileConfig: '${name}' must not contain a path separator or NUL, got '${v}'`);
    }
    return OutputFileConfig.create(this.prefix, this.suffix);
  }
}
