"""LaTeX left in copied abstracts and titles, printed as the text it stands for.

arXiv abstracts are LaTeX source, and Hugging Face's pages show them half-rendered: escapes and
accents kept (``12.4\\%``, ``T\\"ulu``, ``{\\em glassiness}``), math with its backslashes dropped
(``1.8times``, ``D^{2}MoE``), and the arXiv listing's own titles and abstracts carry styles inside
math (``\\mathbf{D}ual``), BibTeX's case braces (``{D}ebate``), links and citations. Only forms
that cannot be ordinary prose are rewritten, so a plain-text abstract passes through unchanged.
Inline math whose LaTeX prints in full (a number, symbols, a superscript, a fraction of short
terms, words set in math mode for emphasis) loses its dollars (``$\\alpha = 3$``: α = 3); money
keeps them; math beyond that (``eta/lambdacdot``,
``$\\sum_{i=1}^{N_E}$``) is left as written, since guessing at it would print something the
authors did not write.
"""

from __future__ import annotations

import re
import unicodedata

# LaTeX's tie, a non-breaking space, glued to a word ("Models~(LLMs)", "Table~3"); after a
# digit or a space a tilde is the writer's ("~3x faster", "5.5~221.3")
_TIE = re.compile(r"(?<=[^\W\d_]|[)\].])~(?=\S)")
_ESCAPED = re.compile(r"\\([%&#_$])")
# an escaped dollar is a price's, even inside math ("$<\\$0.01$"): it stands aside as a
# private-use character until the math is printed, so it closes no math
_PRICE = "\ue000"
# accent commands over one letter: \'e \'{e} \"u \c{c} \v{s} ... (BibTeX's braces around one,
# "Pok{\'e}mon", go once it is a letter); an accent that makes no single letter ("don\'t") is
# not one
_COMBINING = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304", ".": "\u0307",
              "c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b", "r": "\u030a", "k": "\u0328"}
_ACCENT = re.compile(r"\\(?:(['`^\"~=.])(?:\{([A-Za-z])\}|([A-Za-z]))|([cvuHrk])\{([A-Za-z])\})")
# one character in braces: a letter an accent made ("Pok{é}mon"), or TeX's way of spacing a
# sign as punctuation ("12{,}553", "N{=}1", "{\\sim}0.3"); after "^" or "_" braces are an
# exponent's or an index's and stay
_BRACED = re.compile(r"\{([^\x00-\x7f])\}|(?<![\^_])\{([^\w\s{}\\])\}")
# font switches and text styles: {\em x}, \emph{x}, \textbf{x}
_SWITCH = re.compile(r"\{\\(?:em|bf|it|sl|sc|tt|rm)\s+([^{}]*)\}")
_STYLE = re.compile(r"\\(?:emph|textbf|textit|texttt|textsc|textrm|textsf|textnormal|textmd|textup|text|underline|mbox|"
                    r"math(?:rm|bf|it|tt|sf|normal|cal|scr|frak)|operatorname|boldsymbol|bm|bf|it|rm|tt|sf|em|textcolor\{[^{}]*\})\{([^{}]*)\}")
# a fraction of two short terms prints as a slash: \frac{1}{2} "1/2", \frac{n}{k+1} "n/(k+1)"
_FRAC = re.compile(r"\\[dt]?frac\{([^{}]{1,20})\}\{([^{}]{1,20})\}")
_SUPERSCRIPT = re.compile(r"\\textsuperscript\{([^{}]*)\}")
# \mathbb's letters that have a character of their own (others stay as written)
_BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "𝔼", "P": "ℙ"}
_MATHBB = re.compile(r"\\mathbb\{([RNZQCEP])\}")
# \href's text when it only says "a link" (arXiv's "this https URL"): the address is printed
_LINK_WORDS = re.compile(r"(?i)(this |the )?(https? )?(url|link|here|website|page)")
_HREF = re.compile(r"\\href\{([^{}\s]+)\}\{([^{}]*)\}")
_URL = re.compile(r"\\url\{([^{}\s]+)\}")
# a citation prints its keys as a reference mark: "[dpo]"
_CITE = re.compile(r"\\cite[tp]?\*?\{([^{}]*)\}")
# spacing commands: thin, medium, thick, an explicit space; \! and \- (negative space, a
# hyphenation point) print nothing
_SPACE = re.compile(r"\\[,;: ]")
_NOTHING = re.compile(r"\\[!-]")
_PARENS = re.compile(r"\\\(\s*([^$]{1,80}?)\s*\\\)")
_DEGREES = re.compile(r"(?<=\d)\s?(\$?)\^\{?\\circ\}?\1")  # "360^\circ", "360$^\circ$"
# BibTeX's braces keeping a word's case ("{D}ebate", "{ChartIR}"), or a style's left from an
# emphasis the page dropped ("decides {when} to refresh"): never prose; after a command, "^" or
# "_" they are an argument (\mathcal{K}, x_{ij}) and stay
_CASE_BRACES = re.compile(r"(?<![\^_\\\w])\{([A-Za-z][A-Za-z0-9-]*)\}")
# ... but a lower-case word braced inside a quotation is a template's slot and keeps them: the
# prompt "a {snowy} photo of a {class}"
_QUOTED = re.compile(r'"[^"\n]{1,300}"|“[^”\n]{1,300}”')
_FOOTNOTE = re.compile(r"(?<!\s)\s*\\footnote\{([^{}]*)\}")  # from a run's first space: linear
# "1.8times", "4timesRTX": a number then "times" is \times with its backslash dropped; "6.5 times"
# and "times" alone are English
_TIMES = re.compile(r"(?<=\d)\\?times(?![a-z])")
# inline math with no space inside ("$O(n^3)$", "$3.6\\times$", "$\\texttt{ORAL}$", "$63$%",
# "Pass@$1$"): its dollars go; money keeps them ("costs $5 and $10", "$10-$20", "$1M/$2M",
# "$5~$10", "($5)-($10)"): a number, at most three marks, then a dollar a digit follows
_MATH = re.compile(r"\$(?![\d.,]+[^\s$]{0,3}\$\d)([^\s$]{1,40})\$")
# math that is all one text style ("$\textbf{92 sub-tasks}$"): its text, which may hold spaces
# and begin with a number, so no dollar is left to read as a price
_STYLED_MATH = re.compile(r"\$\\(?:text\w*|mathrm|mbox|emph)\{([^{}$\\]*)\}\$")
# ... and inline math with spaces ("$\alpha = 3$", "$O(n \log n)$") when it holds a relation, an
# operator, a Greek letter or a function's bracket and its ends are math's: no space just inside
# either dollar and no digit after the closing one, which money's never are together ("$5 and
# $10", "$5 < $10"). Math still holding LaTeX ("$\sum_{i=1}^{N} x_i$") keeps its dollars: it is
# shown as written
_SPACED_MATH = re.compile(r"\$(?=[^\s$])([^$\\{}]{1,80}?[^\s$\\{}])\$(?![\d$])")
_MATH_SIGN = re.compile(r"[=<>≤≥≠≈×±∈→←·∝^_\u0370-\u03ff]|[A-Za-z]\(")
# ... or words alone, no digit among them, from a letter to a letter or a bracket: math mode
# used for emphasis ("$model steering$", "$Test-Time Speculation (TTS)$")
_MATH_WORDS = re.compile(r"[^\W\d_](?:[^\d]*(?:[^\W\d_]|\)))?")
# TeX's quotation marks, ``double'' (some close them with ") and `single': a backquote that
# opens none ("`code`", "Student`s", "``thinking``") stays as written
_DOUBLE_QUOTE = re.compile(r"``([^`]{1,200}?)(?:''|\")")
_SINGLE_QUOTE = re.compile(r"(?<![`\w\\])`([^`'\s][^`']{0,60}?)'(?![\w'])")
_SYMBOLS = {
    "times": "×", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "approx": "≈", "sim": "~", "pm": "±",
    "cdot": "·", "infty": "∞", "rightarrow": "→", "to": "→", "leftarrow": "←", "ll": "≪", "gg": "≫", "in": "∈",
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "eta": "η",
    "theta": "θ", "lambda": "λ", "mu": "μ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ",
    "chi": "χ", "psi": "ψ", "omega": "ω", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Sigma": "Σ", "Phi": "Φ",
    "Omega": "Ω", "kappa": "κ", "ell": "ℓ", "propto": "∝", "dots": "…", "ldots": "…", "cdots": "⋯", "langle": "⟨",
    "rangle": "⟩", "mid": "|", "log": "log", "max": "max", "min": "min", "eg": "e.g.", "ie": "i.e.",
}
_SYMBOL = re.compile(r"\\(" + "|".join(sorted(_SYMBOLS, key=len, reverse=True)) + r")(?![A-Za-z])")
_SUPERSCRIPTS = dict(zip("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ"))
# "D^{2}MoE", "10^{139}", "O(T^2)", "2^n", "LightHGNN^+": every character has a superscript form
_POWER = re.compile(r"(?<=[\w)])\^(?:\{([0-9+\-=()ni]{1,8})\}|([0-9]{1,3}(?![\d.])|[+ni](?![A-Za-z\d])))")


def untie(text: str) -> str:
    return _TIE.sub(" ", text)


def _accent(m: re.Match) -> str:
    mark = m.group(1) or m.group(4)
    letter = m.group(2) or m.group(3) or m.group(5)
    out = unicodedata.normalize("NFC", letter + _COMBINING[mark])
    return out if len(out) == 1 and (mark != '"' or letter in "aeiouyAEIOUY") else m.group(0)


def _raised(m: re.Match) -> str:
    """\\textsuperscript{2} as ², or its text where a character has no superscript form."""
    inner = m.group(1)
    return "".join(_SUPERSCRIPTS[c] for c in inner) if inner and all(c in _SUPERSCRIPTS for c in inner) else inner


# braced words that are a symbol whose backslash the page dropped ("{sim}11%")
_BRACED_SYMBOLS = {"sim", "approx", "leq", "geq", "pm", "infty", "times", "cdot"}


def _unbraced(text: str) -> str:
    """``text`` with its braced words unbraced; "{sim}" and the like are a symbol whose
    backslash the page dropped. A quotation's lower-case slots stay."""
    slots = [m.span() for m in _QUOTED.finditer(text)] if '"' in text or "“" in text else []

    def word(m: re.Match) -> str:
        w = m.group(1)
        if w.islower() and any(a < m.start() < b for a, b in slots):
            return m.group(0)
        return _SYMBOLS[w] if w in _BRACED_SYMBOLS else w
    return _CASE_BRACES.sub(word, text)


def _link(m: re.Match) -> str:
    url, text = m.group(1), m.group(2).strip()
    return url if not text or text == url or _LINK_WORDS.fullmatch(text) else f"{text} ({url})"


def _fraction(m: re.Match) -> str:
    """\\frac{a}{b} as a/b, a compound term in brackets."""
    return "/".join(f"({t})" if re.search(r"[\s+\-−·]", t.strip()) else t.strip() for t in m.groups())


def _spaced_math(text: str) -> str:
    """``text`` with its spaced math printed. A candidate that is not math (the prose between
    two spans of math that stays: "$\\beta_{x}$). The same ... ($R^2 = 0.23$") gives up only
    its opening dollar, so the closing one can still open the next span."""
    out, pos = [], 0
    while m := _SPACED_MATH.search(text, pos):
        inner = m.group(1)
        if _MATH_SIGN.search(inner) or _MATH_WORDS.fullmatch(inner):
            out.append(text[pos:m.start()] + inner)
            pos = m.end()
        else:
            out.append(text[pos:m.start() + 1])
            pos = m.start() + 1
    return "".join(out) + text[pos:]


def _power(m: re.Match) -> str:
    return "".join(_SUPERSCRIPTS[c] for c in (m.group(1) or m.group(2)))


def plain(text: str) -> str:
    """``text`` with the LaTeX above printed as text."""
    if "~" in text:
        text = untie(text)
    if "\\" in text:
        text = _ESCAPED.sub(lambda m: _PRICE if m.group(1) == "$" else m.group(1), text)
        text = _SYMBOL.sub(lambda m: _SYMBOLS[m.group(1)], text)
        text = _ACCENT.sub(_accent, text)
        text = _STYLED_MATH.sub(r"\1", text)
        for _ in range(4):  # nested styles, innermost first: \textbf{\emph{x}}
            styled = _STYLE.sub(r"\1", _SWITCH.sub(r"\1", text))
            if styled == text:
                break
            text = styled
        text = _FRAC.sub(_fraction, text)
        text = _FOOTNOTE.sub(r" (\1)", text)
        text = _SUPERSCRIPT.sub(_raised, text)
        text = _MATHBB.sub(lambda m: _BLACKBOARD[m.group(1)], text)
        text = _URL.sub(r"\1", _HREF.sub(_link, text))
        text = _CITE.sub(lambda m: "[" + ", ".join(k.strip() for k in m.group(1).split(",")) + "]", text)
        text = _NOTHING.sub("", _SPACE.sub(" ", text))
        text = _DEGREES.sub("°", _PARENS.sub(r"\1", text))
    if "{" in text:
        text = _unbraced(_BRACED.sub(lambda m: m.group(1) or m.group(2), text))
    if "$" in text:
        text = _MATH.sub(r"\1", text)
        text = _spaced_math(text)
    if "times" in text:
        text = _TIMES.sub("×", text)
    if "^" in text:
        text = _POWER.sub(_power, text)
    if "`" in text:
        text = _SINGLE_QUOTE.sub("‘\\1’", _DOUBLE_QUOTE.sub("“\\1”", text))
    return text.replace(_PRICE, "$") if _PRICE in text else text
