/**
 * Where a paper can be read elsewhere: Hugging Face, arXiv, the PDF, and the
 * code and project page from the data (only when they are http(s) URLs).
 * The site, the feeds and the email digest all list these.
 */
import { arxivAbsUrl, arxivPdfUrl, huggingFaceUrl } from '../archive/arxiv.ts';
import type { Paper } from '../archive/schema.ts';
import { safeHttpUrl } from './text.ts';

export type PaperLinkKind = 'huggingface' | 'arxiv' | 'pdf' | 'github' | 'project';

export interface PaperLink {
  kind: PaperLinkKind;
  label: string;
  url: string;
}

/** The paper's code repository (HF `githubRepo`) when it is an http(s) URL: what its GitHub link and /code/ show. */
export function githubRepoUrl(paper: Paper): string | undefined {
  return safeHttpUrl(paper.githubRepo);
}

export function paperLinks(paper: Paper): PaperLink[] {
  const links: PaperLink[] = [
    { kind: 'huggingface', label: 'Hugging Face', url: huggingFaceUrl(paper.id) },
    { kind: 'arxiv', label: 'arXiv', url: arxivAbsUrl(paper.id) },
    { kind: 'pdf', label: 'PDF', url: arxivPdfUrl(paper.id) },
  ];
  const github = githubRepoUrl(paper);
  if (github) links.push({ kind: 'github', label: 'GitHub', url: github });
  const project = safeHttpUrl(paper.projectPage);
  if (project) links.push({ kind: 'project', label: 'Project page', url: project });
  return links;
}
