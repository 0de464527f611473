import { describe, expect, it } from 'vitest';
import { parseFile } from './helpers/parse-file';
import { chunkDocument } from '../../src/main/core/ingest/chunking/chunker';

const PAPER = String.raw`\documentclass[11pt]{article}
\usepackage{amsmath} % maths
\newcommand{\R}{\mathbb{R}}
\title{Drainage of \emph{clay} soils}
\author{Ann Lee \and Bo Chen}
\begin{document}
\maketitle
\begin{abstract}
We measure how fast water leaves clay.
\end{abstract}
\section{Introduction}\label{sec:intro}
Clay holds water~\cite{smith2020}; see Section~\ref{sec:method}.
It drains at 5\% a day, \textbf{slowly} \footnote{In spring.} % not shown
\subsection*{Field sites}
\begin{itemize}
  \item[North] three plots
  \item south, per \href{https://example.org/map}{the map}
\end{itemize}
\begin{verbatim}
rate = 5% per day
\end{verbatim}
\begin{tabular}{ll}
Site & Rate \\
North & 4\% \\
\end{tabular}
$E = mc^2$ holds.
\end{document}
`;

const parse = (text: string) => parseFile(text, 'paper.tex', 'text/x-tex');

describe('LaTeX sources', () => {
  it('are titled by \\title and written as Markdown: sections, lists, code, emphasis; no preamble or references', async () => {
    const parsed = await parse(PAPER);
    expect(parsed.title).toBe('Drainage of clay soils');
    expect(parsed.format).toBe('markdown');
    expect(parsed.text).toBe(
      [
        'Author: Ann Lee, Bo Chen',
        '',
        '**Abstract.**',
        'We measure how fast water leaves clay.',
        '',
        '# Introduction',
        '',
        // References have no number to show before LaTeX runs: they show as nothing.
        'Clay holds water; see Section.',
        'It drains at 5% a day, **slowly** (In spring.)',
        '',
        '## Field sites',
        '',
        '- North: three plots',
        '- south, per [the map](https://example.org/map)',
        '',
        '```',
        'rate = 5% per day',
        '```',
        '',
        'Site · Rate',
        'North · 4%',
        '',
        '$E = mc^2$ holds.',
      ].join('\n'),
    );
  });

  it('have sections a search result can name', async () => {
    const chunks = chunkDocument(await parse(PAPER), { contentType: 'documentation' });
    expect(chunks.find((c) => c.text.includes('three plots'))?.headingPath).toEqual(['Introduction', 'Field sites']);
  });

  it('read a fragment without \\begin{document} whole, titled by its first heading, and an unclosed brace to the end', async () => {
    const parsed = await parse('\\section{Notes}\nThe \\textit{unclosed note');
    // No \title: the first heading names it.
    expect(parsed.title).toBe('Notes');
    expect(parsed.text).toBe('# Notes\n\nThe *unclosed note*');
    // Grouping braces, and an argument that runs onto the next line, leave no brace behind; \verb keeps its own.
    const grouped = await parse('A {\\bf bold} word, \\verb|a{b}|, a note\\footnote{that runs\nover two lines}.');
    expect(grouped.text).toBe('A bold word, `a{b}`, a note (that runs)\nover two lines.');
  });
});
