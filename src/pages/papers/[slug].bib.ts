/**
 * /papers/<slug>.bib: a paper's BibTeX entry as a file for reference managers
 * (the same entry its page shows). Next to the page route /papers/<slug>/,
 * never the same path: this one ends in `.bib` and has no trailing slash.
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { idToSlug } from '../../lib/arxiv.ts';
import { toBibtex } from '../../lib/bibtex.ts';
import { getSiteContent } from '../../lib/content.ts';

export const getStaticPaths = (async () => {
  const { archive } = await getSiteContent();
  return [...archive.byId.keys()].map((id) => ({ params: { slug: idToSlug(id) }, props: { id } }));
}) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ props }) => {
  const { archive } = await getSiteContent();
  const paper = archive.byId.get((props as { id: string }).id)!;
  return new Response(`${toBibtex(paper)}\n`, { headers: { 'Content-Type': 'application/x-bibtex; charset=utf-8' } });
};
