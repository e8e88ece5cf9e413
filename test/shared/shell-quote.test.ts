import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../../src/shared/spawn.js';
import { quoteArg, shellLine } from '../../src/shared/shell-quote.js';

describe('quoteArg: one argument as a POSIX shell reads it', () => {
  it.each([
    ['-v', '-v'],
    ['file:/tmp/a.mp4', 'file:/tmp/a.mp4'],
    ['scale=854:480,setsar=1', 'scale=854:480,setsar=1'],
    ['', "''"],
    ['a b.mp4', "'a b.mp4'"],
    ["it's.mp4", "'it'\\''s.mp4'"],
    ['$HOME', "'$HOME'"],
    ['; rm -rf /', "'; rm -rf /'"],
    ['%+#200', "'%+#200'"],
    ['line\nbreak', "$'line\\nbreak'"],
    ["tab\there 'q' \\", "$'tab\\there \\'q\\' \\\\'"],
    ['bell\u0007', "$'bell\\x07'"],
    ['vidéo ü.mp4', "'vidéo ü.mp4'"],
  ])('%j → %s', (arg, quoted) => {
    expect(quoteArg(arg)).toBe(quoted);
  });

  it('joins a command and its arguments by spaces', () => {
    expect(shellLine('/opt/ff mpeg/ffmpeg', ['-i', 'file:/a b.mp4', '-y'])).toBe("'/opt/ff mpeg/ffmpeg' -i 'file:/a b.mp4' -y");
  });
});

describe('shellLine: bash runs the line with the arguments it was made from (property)', () => {
  // printf '%s\0' prints each argument as bash parsed it; NUL cannot be in an argument at all
  const argument = fc.string({ unit: fc.oneof(fc.constantFrom(' ', "'", '"', '\\', '$', '`', '\n', '\t', '!', '*', '#', '~', ';', '&', '|', '(', '{', '\u0001', '\u007f', 'é'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 12 }).filter((s) => !s.includes('\0'));
  it('round-trips through bash -c, many lines to a script', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(argument, { maxLength: 5 }), { minLength: 1, maxLength: 12 }), async (cases) => {
        // 'first': printf with no argument would still print once; a line each: no quoted argument holds a raw newline
        const script = cases.map((args) => shellLine('printf', ['%s\\0', 'first', ...args])).join('\n');
        const { stdout } = await runProcess('bash', ['-c', script]);
        expect(stdout).toBe(cases.flatMap((args) => ['first', ...args]).map((a) => `${a}\0`).join(''));
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});
