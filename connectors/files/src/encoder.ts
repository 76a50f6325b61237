/**
 * Row formats: how one record becomes bytes in a part file (Flink's `Encoder`).
 *
 * An encoder is called synchronously per record on the task thread and writes into a
 * {@link RecordOutputStream} owned by the in-progress part file; it must not keep a reference
 * to the stream after returning. It should not allocate more than the encoded form needs.
 */
export interface RecordOutputStream {
  /** Appends `s` as UTF-8. */
  writeString(s: string): void;
  /** Appends raw bytes (copied before the call returns). */
  write(bytes: Uint8Array): void;
}

/** Encodes one record of a row-format file sink (Flink's `Encoder<IN>`). */
export interface Encoder<T> {
  /** Writes `element` (including any delimiter) to `out`. Throwing fails the task. */
  encode(element: T, out: RecordOutputStream): void;
}

/**
 * One line per record: strings verbatim, anything else as JSON (`JSON.stringify`), each line
 * ended by `\n`. Flink's `SimpleStringEncoder` writes `toString()`; JSON is the useful
 * equivalent for JavaScript objects. A string containing `\n` spans several lines.
 */
export class SimpleStringEncoder<T = unknown> implements Encoder<T> {
  encode(element: T, out: RecordOutputStream): void {
    // One write of the joined line is cheaper than two (a rope concatenation, one UTF-8 encode).
    out.writeString((typeof element === 'string' ? element : JSON.stringify(element)) + '\n');
  }
}

/**
 * JSON Lines (https://jsonlines.org): every record, strings included, as one JSON value per
 * line. Values JSON cannot represent (`undefined`, functions, `bigint`) throw.
 */
export class JsonLinesEncoder<T = unknown> implements Encoder<T> {
  encode(element: T, out: RecordOutputStream): void {
    const json = JSON.stringify(element) as string | undefined;
    if (json === undefined) throw new TypeError(`JsonLinesEncoder: cannot encode a value of type ${typeof element} as JSON`);
    out.writeString(json + '\n');
  }
}
