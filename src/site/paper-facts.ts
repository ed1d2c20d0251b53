/**
 * The facts list of a paper page (/papers/<slug>/): what is known about the paper besides its text, each
 * with a link where one exists. Pure: the page hands it its model and the base path.
 */
import { formatDay } from './calendar.ts';
import type { PaperPageModel } from './page-models.ts';
import { routes, withBase } from './urls.ts';

export interface PaperFact {
  label: string;
  text: string;
  href?: string | undefined;
}

export function paperFacts(model: Pick<PaperPageModel, 'paper' | 'orgSlug'>, base: string): PaperFact[] {
  const { paper } = model;
  const facts: PaperFact[] = [
    { label: 'On the list of', text: formatDay(paper.listDay), href: withBase(base, routes.day(paper.listDay)) },
    { label: 'On arXiv since', text: formatDay(paper.published.slice(0, 10)) },
    { label: 'Upvotes', text: String(paper.upvotes) },
    { label: 'Comments', text: String(paper.comments) },
  ];
  if (paper.organization) {
    facts.push({
      label: 'Organization',
      text: paper.organization.fullname || paper.organization.name,
      href: model.orgSlug ? withBase(base, routes.org(model.orgSlug)) : undefined,
    });
  }
  const submitter = paper.submittedBy;
  if (submitter) {
    facts.push({
      label: 'Submitted by',
      text: submitter.fullname ? `${submitter.fullname} (${submitter.name})` : submitter.name,
      // The user name goes into a path segment of huggingface.co: encoded, so it cannot leave the profile path.
      href: `https://huggingface.co/${encodeURIComponent(submitter.name)}`,
    });
  }
  const updated = paper.updatedAt !== paper.fetchedAt ? `, updated ${paper.updatedAt.slice(0, 10)}` : '';
  facts.push({ label: 'Archived', text: paper.fetchedAt.slice(0, 10) + updated });
  return facts;
}
