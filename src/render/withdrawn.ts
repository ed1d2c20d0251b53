/**
 * Withdrawn papers (HF `paper.withdrawnAt`, stored as `withdrawnAt`): the
 * archive keeps them and every place that shows one says so, and when. The
 * wording lives here so the paper page, the day lists and the feeds agree.
 */
import { formatDay } from '../site/calendar.ts';
import { isoToDay } from '../archive/dates.ts';
import type { Paper } from '../archive/schema.ts';

/** The UTC day the paper was withdrawn, or undefined while it is not withdrawn. */
export function withdrawnDay(paper: Pick<Paper, 'withdrawnAt'>): string | undefined {
  return paper.withdrawnAt === undefined ? undefined : isoToDay(paper.withdrawnAt);
}

/** `withdrawn on 5 March 2024`, to go inside a sentence; undefined while the paper is not withdrawn. */
export function withdrawnPhrase(paper: Pick<Paper, 'withdrawnAt'>): string | undefined {
  const day = withdrawnDay(paper);
  return day === undefined ? undefined : `withdrawn on ${formatDay(day, false)}`;
}

/** `Withdrawn on 5 March 2024`, or undefined while the paper is not withdrawn. */
export function withdrawnLabel(paper: Pick<Paper, 'withdrawnAt'>): string | undefined {
  const phrase = withdrawnPhrase(paper);
  return phrase === undefined ? undefined : `W${phrase.slice(1)}`;
}

/** The sentence for a paper's own page and its feed item, or undefined while it is not withdrawn. */
export function withdrawnNotice(paper: Pick<Paper, 'withdrawnAt'>): string | undefined {
  const label = withdrawnLabel(paper);
  return label === undefined ? undefined : `${label} (as Hugging Face reports it). The archive keeps the paper as it was listed.`;
}
