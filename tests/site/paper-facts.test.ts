import { describe, expect, it } from 'vitest';
import { paperFacts } from '../../src/site/paper-facts.ts';
import { makePaper } from '../helpers/make-paper.ts';

describe('paperFacts (the facts list of a paper page)', () => {
  it('links the list day under the base path and gives the counts', () => {
    const facts = paperFacts({ paper: makePaper('2401.00001', '2024-01-03', 42), orgSlug: undefined }, '/paperboy/');
    expect(facts.map((f) => f.label)).toEqual(['On the list of', 'On arXiv since', 'Upvotes', 'Comments', 'Archived']);
    expect(facts[0]!.href).toBe('/paperboy/2024/01/03/');
    expect(facts[2]!.text).toBe('42');
    expect(facts[4]!.text).toBe('2024-01-01');
  });

  it('names the organization (linked only when it has a page) and the submitter, encoded into the profile path', () => {
    const paper = {
      ...makePaper('2401.00002', '2024-01-03'),
      organization: { name: 'acme', fullname: 'Acme Labs', avatar: null },
      submittedBy: { name: '../evil?x=1', fullname: 'Eve' },
      updatedAt: '2024-01-05T10:00:00.000Z',
    } as Parameters<typeof paperFacts>[0]['paper'];
    const withPage = paperFacts({ paper, orgSlug: 'acme' }, '/');
    expect(withPage.find((f) => f.label === 'Organization')).toEqual({ label: 'Organization', text: 'Acme Labs', href: '/orgs/acme/' });
    expect(withPage.find((f) => f.label === 'Submitted by')).toEqual({
      label: 'Submitted by',
      text: 'Eve (../evil?x=1)',
      href: 'https://huggingface.co/..%2Fevil%3Fx%3D1',
    });
    expect(withPage.at(-1)!.text).toBe('2024-01-01, updated 2024-01-05');
    expect(paperFacts({ paper, orgSlug: undefined }, '/').find((f) => f.label === 'Organization')!.href).toBeUndefined();
  });
});
