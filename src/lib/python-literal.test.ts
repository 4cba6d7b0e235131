import { describe, expect, it } from 'vitest';
import { PythonLiteralError, parsePythonLiteral } from './python-literal.js';

describe('parsePythonLiteral', () => {
  it.each([
    ["{'a': 1, 'b': -2.5e3, 'c': None}", { a: 1, b: -2500, c: null }],
    ['[True, False, None, (1, 2)]', [true, false, null, [1, 2]]],
    ['"it\'s"', "it's"],
    ['\'say "hi"\'', 'say "hi"'],
    ["'line\\nbreak \\\\ \\' \\x41\\u00e9\\U0001F600'", "line\nbreak \\ ' Aé😀"],
    ["{ 'nested': {'list': [ {'k': 'v'} ] } }", { nested: { list: [{ k: 'v' }] } }],
    ['[]', []],
    ['{}', {}],
    ["'ünïcödé'", 'ünïcödé'],
  ])('reads %s', (src, want) => {
    expect(parsePythonLiteral(src)).toEqual(want);
  });

  it.each([
    ["__import__('os')", /unexpected "_"/],
    ["{'a': 1", /expected "," or "}"|unexpected end/],
    ["'open", /unterminated string/],
    ["{'a': 1} x", /trailing characters/],
    ["'\\q'", /unknown escape/],
    ['['.repeat(200), /nested too deeply/],
    ["{'a' 1}", /expected ":"/],
  ])('rejects %s with the place', (src, msg) => {
    expect(() => parsePythonLiteral(src)).toThrow(PythonLiteralError);
    expect(() => parsePythonLiteral(src)).toThrow(msg);
  });

  it('does not let a key named __proto__ change the prototype', () => {
    const v = parsePythonLiteral("{'__proto__': {'polluted': True}}") as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(v)).toEqual(['__proto__']);
  });
});
