/**
 * The claim that makes the scheduled workflow mail a digest at most once
 * (README "Email digest"): before sending, the job writes `digestSentAt` into
 * the day's record, commits and pushes it, and only then sends. This file
 * carries which day was claimed and when from the claiming step to the
 * sending step; the sending step sends only if the record still holds exactly
 * that claim.
 */
import { z } from 'zod';
import { isDay } from '../archive/dates.ts';

export const ClaimSchema = z.object({
  day: z.string().refine(isDay, 'not a YYYY-MM-DD day'),
  claimedAt: z.iso.datetime(),
});
export type Claim = z.infer<typeof ClaimSchema>;

export function serializeClaim(claim: Claim): string {
  return `${JSON.stringify(ClaimSchema.parse(claim), null, 2)}\n`;
}

/** The claim in a claim file's text; throws one line when it is not one. */
export function parseClaim(text: string, file: string): Claim {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not a digest claim (not JSON)`);
  }
  const result = ClaimSchema.safeParse(parsed);
  if (!result.success) throw new Error(`${file} is not a digest claim (${result.error.issues[0]?.message ?? 'invalid'})`);
  return result.data;
}
