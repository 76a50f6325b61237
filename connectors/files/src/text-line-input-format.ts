import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { StreamFormat } from './file-source-format.js';

/**
 * Reads a text file line by line (Flink's `TextLineInputFormat`): one record per line, without
 * the line terminator (`\n` or `\r\n`); a final line without terminator is a record too.
 */
export class TextLineInputFormat implements StreamFormat<string> {
  constructor(readonly encoding: BufferEncoding = 'utf8') {}

  read(path: string): AsyncIterable<string> {
    return createInterface({ input: createReadStream(path, { encoding: this.encoding }), crlfDelay: Infinity });
  }
}
