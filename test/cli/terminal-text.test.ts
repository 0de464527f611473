import { describe, expect, it } from 'vitest';
import { terminalSafe, terminalSafeJson, terminalSafeLines } from '../../src/main/cli/terminal-text';

describe('terminalSafe', () => {
  it('makes C0, DEL, C1 and bidi controls visible and keeps every other character', () => {
    expect(terminalSafe('a\u001b[2Jb\u0007c\u0000d\u007fe\u009b31mf')).toBe('a\\x1b[2Jb\\x07c\\x00d\\x7fe\\x9b31mf');
    expect(terminalSafe('line\nforged\r\tx')).toBe('line\\x0aforged\\x0d\\x09x');
    expect(terminalSafe('invoice\u202efdp.exe\u2066\u2069\u200f\u061c\u2028')).toBe(
      'invoice\\u202efdp.exe\\u2066\\u2069\\u200f\\u061c\\u2028',
    );
    const plain = 'Größe — 東京 📄 C:\\Users\\me\\notes.md ~/a b/c.md';
    expect(terminalSafe(plain)).toBe(plain);
  });

  it('keeps the line breaks of a multi-line message', () => {
    expect(terminalSafeLines('error: \u001b]0;x\u0007\n  at y')).toBe('error: \\x1b]0;x\\x07\n  at y');
  });

  it('writes JSON that parses back to the exact value with no raw control character', () => {
    const value = { title: 'r\u001b]0;t\u0007 \u009b \u202e \u2028 \u007f ok' };
    const json = terminalSafeJson(value, 2);
    // eslint-disable-next-line no-control-regex
    expect(json).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e\u2028]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});
