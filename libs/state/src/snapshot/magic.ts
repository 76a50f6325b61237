import type { DataInputView, DataOutputView } from '@riffle/core';

/** Writes a 4-character ASCII magic, byte by byte (readable in a hex dump). */
export function writeMagic(out: DataOutputView, magic: string): void {
  for (let i = 0; i < 4; i++) out.writeUint8(magic.charCodeAt(i));
}

/** Reads and checks a 4-character ASCII magic; throws naming `what` if it differs. */
export function checkMagic(input: DataInputView, magic: string, what: string): void {
  if (input.remaining() < 4) throw new Error(`${what}: truncated header`);
  let found = '';
  for (let i = 0; i < 4; i++) found += String.fromCharCode(input.readUint8());
  if (found !== magic) throw new Error(`${what}: bad magic ${JSON.stringify(found)}, expected ${JSON.stringify(magic)}`);
}
