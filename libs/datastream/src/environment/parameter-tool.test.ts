import { describe, expect, it } from 'vitest';
import { ParameterTool } from './parameter-tool.js';

describe('ParameterTool', () => {
  it('parses --key value, -key value, --key=value and flags', () => {
    const p = ParameterTool.fromArgs(['--input', 'a.txt', '-n', '5', '--verbose', '--mode=fast', '--offset', '-3', '--last']);
    expect(p.toMap()).toEqual({ input: 'a.txt', n: '5', verbose: 'true', mode: 'fast', offset: '-3', last: 'true' });
    expect(p.getNumberOfParameters()).toBe(6);
  });

  it('rejects a value without a key', () => {
    expect(() => ParameterTool.fromArgs(['--a', '1', 'stray'])).toThrow(/on 'stray': please prefix keys with -- or -/);
  });

  it('reads strings, numbers and booleans with defaults', () => {
    const p = ParameterTool.fromMap({ s: 'x', n: '2.5', b: 'TRUE', bad: 'abc' });
    expect(p.get('s')).toBe('x');
    expect(p.get('missing')).toBeUndefined();
    expect(p.get('missing', 'dflt')).toBe('dflt');
    expect(p.getNumber('n')).toBe(2.5);
    expect(p.getNumber('missing', 7)).toBe(7);
    expect(p.getBoolean('b')).toBe(true);
    expect(p.getBoolean('missing', false)).toBe(false);
    expect(p.has('s')).toBe(true);
    expect(p.has('missing')).toBe(false);
  });

  it('names the parameter in errors', () => {
    const p = ParameterTool.fromMap({ bad: 'abc', empty: '' });
    expect(() => p.getRequired('input')).toThrow("No value for the required parameter 'input'");
    expect(() => p.getNumber('bad')).toThrow("Parameter 'bad' must be a number, got 'abc'");
    expect(() => p.getNumber('empty')).toThrow("Parameter 'empty' must be a number");
    expect(() => p.getNumber('missing')).toThrow("required parameter 'missing'");
    expect(() => p.getBoolean('bad')).toThrow("Parameter 'bad' must be true or false");
  });

  it('merges with the other tool winning, and hands out copies', () => {
    const merged = ParameterTool.fromMap({ a: '1', b: '2' }).mergeWith(ParameterTool.fromArgs(['--b', '3']));
    expect(merged.toMap()).toEqual({ a: '1', b: '3' });
    merged.toMap().a = 'changed';
    expect(merged.get('a')).toBe('1');
  });
});
