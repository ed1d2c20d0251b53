/**
 * Validation of raw API elements: each element is checked against the schema
 * on its own. The schema is lenient on everything but the id and the title,
 * so only an element without those is rejected (reported with its id and
 * reason) while the rest of the day goes through.
 */
import { isoToDay } from '../archive/dates.ts';
import { normalizeElement, type NormalizedPaper } from './normalize.ts';
import { ApiElementSchema } from '../archive/schema.ts';

export interface Rejected {
  /** The element's paper.id as far as it can be shown (JSON-quoted, shortened). */
  id: string;
  reason: string;
}

export interface Validated {
  papers: NormalizedPaper[];
  rejected: Rejected[];
}

function describeId(element: unknown): string {
  const id = (element as { paper?: { id?: unknown } } | null)?.paper?.id;
  if (id === undefined) return '(no id)';
  const shown = JSON.stringify(id) ?? String(id);
  return shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
}

/**
 * Validate and normalise elements. With `expectDay` (the day that was asked
 * for), an element that names another list day is rejected (the API answered
 * for another day) and one that names none is taken as listed that day;
 * without it (an import), an element must name its list day.
 */
export function validateElements(elements: readonly unknown[], now: string, expectDay?: string): Validated {
  const result: Validated = { papers: [], rejected: [] };
  const seen = new Set<string>();
  for (const element of elements) {
    const parsed = ApiElementSchema.safeParse(element);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.length ? issue.path.join('.') : 'element';
      result.rejected.push({ id: describeId(element), reason: `${where}: ${issue.message}` });
      continue;
    }
    const ownDay = parsed.data.paper.submittedOnDailyAt && isoToDay(parsed.data.paper.submittedOnDailyAt);
    if (!ownDay && !expectDay) {
      result.rejected.push({ id: describeId(element), reason: 'paper.submittedOnDailyAt: missing or not a date-time, so its list day is unknown' });
      continue;
    }
    if (ownDay && expectDay && ownDay !== expectDay) {
      result.rejected.push({ id: describeId(element), reason: `listed on ${ownDay}, not on ${expectDay}` });
      continue;
    }
    if (seen.has(parsed.data.paper.id)) continue;
    seen.add(parsed.data.paper.id);
    result.papers.push(normalizeElement(parsed.data, now, ownDay || expectDay));
  }
  return result;
}
