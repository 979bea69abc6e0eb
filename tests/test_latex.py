"""LaTeX in copied abstracts (site_src/readers/latex.py): the forms the seed dumps hold."""

import json

import pytest

from site_src.readers.latex import plain


@pytest.mark.parametrize("raw, text", [
    (r"We further introduce T\"ulu, then M\'elange and Pok\'{e}mon VGC", "We further introduce Tülu, then Mélange and Pokémon VGC"),
    (r"{\'e}cole, Fran\c{c}ais, Ko\v{s}ice, Erd\H{o}s", "école, Français, Košice, Erdős"),
    (r"by up to 65.8\% in NDCG, R\&D, \$5", "by up to 65.8% in NDCG, R&D, $5"),
    (r"the phenomenon of {\em replica symmetry breaking} and \emph{glassiness}", "the phenomenon of replica symmetry breaking and glassiness"),
    (r"benchmarks \footnote{Our code is available}.", "benchmarks (Our code is available)."),
    ("ETS can achieve 1.8times reduction, 1.19times-3.01times on 4timesRTX 3090", "ETS can achieve 1.8× reduction, 1.19×-3.01× on 4×RTX 3090"),
    ("D^2MoE and M^{3}ViT, S^{2}FT, 10^{139} states, O(T^2), 2^n, LightHGNN^+, d^{-1}", "D²MoE and M³ViT, S²FT, 10¹³⁹ states, O(T²), 2ⁿ, LightHGNN⁺, d⁻¹"),
    ("Large Language Models~(LLMs), Table~3", "Large Language Models (LLMs), Table 3"),
    # arXiv's own abstracts: inline math without spaces loses its dollars, common symbols print
    (r"has $3.6\times$ lower cost than the $O(n^3)$ one, by $15.7\%$, with $\texttt{ORAL}$", "has 3.6× lower cost than the O(n³) one, by 15.7%, with ORAL"),
    (r"a ratio \alpha is kept $\sigma_T \leq 1/2$", "a ratio α is kept σ_T ≤ 1/2"),
    # math with spaces: its dollars go when it holds a relation, an operator, a Greek letter or a
    # function's bracket; money's stay, and math still holding LaTeX is shown as written
    (r"with $\alpha = 3$ ($p < 0.001$), $\mathcal{O}(n^2)$ to $O(n \log n)$, $\operatorname{softmax}(x)$",
     "with α = 3 (p < 0.001), O(n²) to O(n log n), softmax(x)"),
    (r"costs $5 and $10, $5 < $10, from $5 to $10 = cheap, $20 (about $18)", "costs $5 and $10, $5 < $10, from $5 to $10 = cheap, $20 (about $18)"),
    (r"a $\sum_{i=1}^{N_E} x_i$ term, of $5 million$", r"a $\sum_{i=1}^{N_E} x_i$ term, of $5 million$"),
    (r"a half, $\frac{1}{2}$, and $\tfrac{n}{k+1}$ of it, in \mathcal{K}(t)", "a half, 1/2, and n/(k+1) of it, in K(t)"),
    # math mode used for emphasis; a span still holding LaTeX keeps its dollars without taking
    # the next span's opening one
    (r"we propose $Sink-Aware Pruning$ and $Test-Time Speculation (TTS)$ at $5 or $10", "we propose Sink-Aware Pruning and Test-Time Speculation (TTS) at $5 or $10"),
    (r"the sign ($\beta_{\mathrm{len}}: +0.86 \to -0.37$). The same holds in Mistral-7B ($R^2 = 0.23$ EN-FR)",
     "the sign ($β_{len}: +0.86 → -0.37$). The same holds in Mistral-7B (R² = 0.23 EN-FR)"),
    # numbers in math mode, and a price escaped inside math: the price's dollar stays
    (r"up to $63$% on $34$ tasks, Pass@$1$ of $7B$ models, a $2$-SAT bound from $0.91$ to $0.97$.", "up to 63% on 34 tasks, Pass@1 of 7B models, a 2-SAT bound from 0.91 to 0.97."),
    (r"average costs of $<\$0.01$ per proof, \$5 each", "average costs of <$0.01 per proof, $5 each"),
    # math that is all one text style, a number first: no dollar is left to read as a price
    (r"on $\textbf{900 manually curated, high-quality examples}$ and $\textbf{92 sub-tasks}$", "on 900 manually curated, high-quality examples and 92 sub-tasks"),
    (r"a 360$^\circ$ view, AI-45^{\circ}, $\sim$21M samples, 512$\times$512", "a 360° view, AI-45°, ~21M samples, 512×512"),
    # one sign in braces is TeX spacing it as punctuation; an exponent's braces stay its own
    (r"of $12{,}553$ problems, 6{,}181 lines at N{=}4 (r{=}{-}0.13), ${\sim}0.32$, x^{+}", "of 12,553 problems, 6,181 lines at N=4 (r=-0.13), ~0.32, x⁺"),
    # braces: BibTeX's around an accent, a style's around one, styles nested
    (r"Pok{\'e}mon, \emph{\'{E}}cole, \textbf{\emph{nested}} styles", "Pokémon, École, nested styles"),
    # titles of the corpora: styles inside math, superscripts, spacing, BibTeX's case braces
    (r"A\textsuperscript{2}FM and DiM\textsuperscript{3}, \bf{D³}QE, via \mathbf{D}ual-\mathbf{H}ead", "A²FM and DiM³, D³QE, via Dual-Head"),
    (r"Subgroups of \mathrm{O}(2), Di\mathtt{[M]}O, Size \mathit{2¹²⁸}, \text{R}^2\text{ec}", "Subgroups of O(2), Di[M]O, Size 2¹²⁸, R²ec"),
    (r"Call\,Recording, Network\ for, 3\!\times, {C}^{3}-GS, {D}^{3}{ETOR}: {D}ebate", "Call Recording, Network for, 3×, C³-GS, D³ETOR: Debate"),
    # braces left from a dropped emphasis go; a prompt template's slots in a quotation stay
    ('decides {when} to refresh, prompts (e.g. "a {snowy} photo of a {class}") and “Write a {demonym} story”',
     'decides when to refresh, prompts (e.g. "a {snowy} photo of a {class}") and “Write a {demonym} story”'),
    (r"in 360^\circ Panorama, {sim}11% faster, \mathbb{R}^c, \eg, \ell_2", "in 360° Panorama, ~11% faster, ℝ^c, e.g., ℓ_2"),
    # links, citations, colour, \( \) math: the address, the keys as a mark, the text
    (r"Code: \href{https://github.com/a/b}{https://github.com/a/b}, \href{https://x.io}{\text{this https URL}}", "Code: https://github.com/a/b, https://x.io"),
    (r"see \href{https://x.io}{our demo} or \url{https://y.io/}", "see our demo (https://x.io) or https://y.io/"),
    (r"as in \cite{dpo} and \citep{a, b}; \textcolor{red}{Warning: harmful}", "as in [dpo] and [a, b]; Warning: harmful"),
    (r"the \( O(n³) \) time and \(W_1\) distance", "the O(n³) time and W_1 distance"),
    # TeX's quotation marks, closed as TeX does or with a plain double quote
    ("(``Generative Recommenders''), ``Self-'' such as ``tie\" or `slow-thinking' and `in-the-wild'.",
     "(“Generative Recommenders”), “Self-” such as “tie” or ‘slow-thinking’ and ‘in-the-wild’."),
])
def test_latex_reads_as_the_text_it_stands_for(raw, text):
    assert plain(raw) == text


@pytest.mark.parametrize("text", [
    "13 times faster, in recent times, timestep-distilled models, 3timesteps",  # English "times"
    "a^123456, d^{0.75}, sum_{i=1}^{N_E} f_i p_i, x ^ 2",  # math it cannot print faithfully
    "50% fewer, costs $5 and $10, ~3x faster, 5.5~221.3, C++ and a \\jedi macro, \\int and \\left",
    "Ωmega: naïve café résumé",
    "at $10-$20 per hour, $5/$10 or $1M/$2M, $5$10, $5~$10, $1,000~$2,000, $5.00—$10.00, ($5)-($10), $5+$10",  # money, not math
    "don\\'t say \\\"hello\\\"",  # escaped quotes make no letter
    "x_{ij} and \\mathbb{X}(t), 2^{k}, a_{-}",  # a brace after _, ^ or a command is an argument
    "a `cat.n.01` label, a Student`s-t noise, each layer`s weights, ``system 2 thinking``",  # backquotes opening no quotation
    "`don't' and `x''",  # an apostrophe inside, a quote closed twice
])
def test_prose_and_unprintable_math_pass_unchanged(text):
    assert plain(text) == text


def test_printing_twice_changes_nothing_more():
    for raw in [r"\textbf{\emph{\'{E}}}cole at 1.8times", r"{D}^{3}{ETOR} \href{https://x.io}{a \text{b}} \cite{k}", "D^{2}MoE, $O(n^3)$, Models~(LLMs)", r"{\em T\"ulu} 12\%"]:
        assert plain(plain(raw)) == plain(raw)


def test_every_reader_prints_latex_as_text(tmp_path):
    from site_src.readers import read_dump

    (tmp_path / "papers").mkdir()
    dump = tmp_path / "papers" / "a.jsonl"
    dump.write_text(json.dumps({"title": "D^{2}MoE: Serving on T\\\"ulu", "abstract": "It is 2.4times faster by 12\\%."}) + "\n")
    [paper] = read_dump(dump, tmp_path, year=None, warnings=[])
    assert (paper.title, paper.abstract) == ("D²MoE: Serving on Tülu", "It is 2.4× faster by 12%.")
