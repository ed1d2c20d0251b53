/**
 * The deploy guard: a site that holds fewer papers than the one online is
 * never deployed by accident. Every build writes a small manifest
 * (`paperboy-archive.json`, at the root of the site) with its paper count; the
 * next deploy compares its own count with the manifest of the site online and
 * refuses to go on when the count dropped, unless told to (after
 * `npm run reset-archive`, say).
 */
import { z } from 'zod';
import { isDay } from './dates.ts';

export const MANIFEST_FILE = 'paperboy-archive.json';

const count = z.number().int().nonnegative();

export const ManifestSchema = z.object({
  generator: z.literal('paperboy'),
  /** Distinct papers with a page on the site. */
  papers: count,
  /** List days with a day record (empty days included). */
  days: count,
  latestDay: z.string().refine(isDay).nullable(),
  builtAt: z.string(),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export interface GuardDecision {
  deploy: boolean;
  message: string;
}

/** Decide whether a build with `current` may replace the site described by `previous` (undefined: no site online yet). */
export function decideDeploy(current: Manifest, previous: Manifest | undefined, allowFewer: boolean): GuardDecision {
  if (!previous) {
    return { deploy: true, message: `No Paperboy site online to compare with: deploying ${current.papers} papers.` };
  }
  const change = current.papers - previous.papers;
  if (change >= 0) {
    return {
      deploy: true,
      message: `Deploying ${current.papers} papers (${change} more than the ${previous.papers} online).`,
    };
  }
  const drop = `This build holds ${current.papers} papers, ${-change} fewer than the ${previous.papers} online`;
  if (allowFewer) {
    return { deploy: true, message: `${drop}; deploying anyway because fewer papers were explicitly allowed.` };
  }
  return {
    deploy: false,
    message:
      `${drop}: not deploying, the site online stays as it is. If papers were removed on purpose ` +
      '(npm run reset-archive), run the workflow by hand with "allow_fewer_papers" checked.',
  };
}

/** Parse a manifest fetched from the site online; undefined when it is not one (an unrelated file, broken JSON). */
export function parseManifest(text: string): Manifest | undefined {
  try {
    const parsed = ManifestSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
