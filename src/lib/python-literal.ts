/**
 * Read a Python literal as `repr()` prints it (dicts, lists, tuples, strings in either quote,
 * numbers, True/False/None) into the equivalent JSON value. A parser, never eval: anything else
 * (names, calls, operators) is an error naming the offset.
 *
 * @example
 * parsePythonLiteral("{'a': True, 'b': [1, None], 'c': \"it's\"}") // { a: true, b: [1, null], c: "it's" }
 */
export class PythonLiteralError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset}`);
    this.name = 'PythonLiteralError';
  }
}

/** Nesting deeper than this is not a payload we expect: fail rather than overflow the stack. */
const MAX_DEPTH = 100;

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
  '\n': '',
};

export function parsePythonLiteral(src: string): unknown {
  let i = 0;
  const fail = (msg: string): never => {
    throw new PythonLiteralError(msg, i);
  };
  const ws = () => {
    while (i < src.length && /\s/.test(src[i])) i++;
  };

  const str = (): string => {
    const q = src[i];
    i++;
    let out = '';
    while (i < src.length && src[i] !== q) {
      const c = src[i];
      if (c === '\n') fail('newline in string');
      if (c !== '\\') {
        out += c;
        i++;
        continue;
      }
      const e = src[i + 1];
      if (e === undefined) fail('unterminated escape');
      if (e in SIMPLE_ESCAPES) {
        out += SIMPLE_ESCAPES[e];
        i += 2;
        continue;
      }
      const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      if (hexLen === 0) fail(`unknown escape \\${e}`);
      const hex = src.slice(i + 2, i + 2 + hexLen);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(hex)) fail(`bad \\${e} escape`);
      out += String.fromCodePoint(parseInt(hex, 16));
      i += 2 + hexLen;
    }
    if (i >= src.length) fail('unterminated string');
    i++;
    return out;
  };

  const seq = (close: string, depth: number): unknown[] => {
    i++;
    const items: unknown[] = [];
    ws();
    while (src[i] !== close) {
      items.push(value(depth + 1));
      ws();
      if (src[i] === ',') {
        i++;
        ws();
      } else if (src[i] !== close) fail(`expected "," or "${close}"`);
    }
    i++;
    return items;
  };

  const dict = (depth: number): Record<string, unknown> => {
    i++;
    const obj: Record<string, unknown> = {};
    ws();
    while (src[i] !== '}') {
      const key = value(depth + 1);
      if (typeof key !== 'string' && typeof key !== 'number') fail('dict key must be a string or number');
      ws();
      if (src[i] !== ':') fail('expected ":"');
      i++;
      Object.defineProperty(obj, String(key), {
        value: value(depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      ws();
      if (src[i] === ',') {
        i++;
        ws();
      } else if (src[i] !== '}') fail('expected "," or "}"');
    }
    i++;
    return obj;
  };

  const value = (depth: number): unknown => {
    if (depth > MAX_DEPTH) fail('nested too deeply');
    ws();
    const c = src[i];
    if (c === undefined) fail('unexpected end');
    if (c === '{') return dict(depth);
    if (c === '[') return seq(']', depth);
    if (c === '(') return seq(')', depth);
    if (c === "'" || c === '"') return str();
    const word = /^(True|False|None)\b/.exec(src.slice(i, i + 6));
    if (word) {
      i += word[1].length;
      return word[1] === 'True' ? true : word[1] === 'False' ? false : null;
    }
    const num = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i, i + 40));
    if (num) {
      i += num[0].length;
      return Number(num[0]);
    }
    return fail(`unexpected ${JSON.stringify(c)}`);
  };

  const v = value(0);
  ws();
  if (i < src.length) fail('trailing characters');
  return v;
}
