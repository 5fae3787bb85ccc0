"""Advisory documents: a small document model rendered to self-contained HTML, PDF and Excel.

Planners read results in the advisory format (资政报告): background, current situation, problems,
recommendations, then an appendix with methods, equations, parameters and sources. A document is
built from bilingual blocks (paragraphs, bullet lists, figures, tables, equations) and rendered once
per language. HTML is self-contained (figures embedded as base64, equations as inline SVG drawn with
matplotlib's mathtext, no network access); the PDF is rendered from the same HTML by WeasyPrint with
the CJK font shipped by ``mplfonts`` embedded; every table also goes to one Excel workbook.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from hinterland.errors import ConfigError, HinterlandError

__all__ = [
    "AdvisoryDocument",
    "Bullets",
    "Equation",
    "Figure",
    "Paragraph",
    "Section",
    "Table",
    "Text",
    "latex_to_svg",
    "write_pdf",
]

Lang = Literal["zh", "en"]


@dataclass(frozen=True)
class Text:
    """A bilingual string; ``en`` falls back to ``zh`` and vice versa when one is empty."""

    zh: str
    en: str = ""

    def get(self, lang: Lang) -> str:
        first, second = (self.zh, self.en) if lang == "zh" else (self.en, self.zh)
        return first or second


@dataclass(frozen=True)
class Paragraph:
    text: Text


@dataclass(frozen=True)
class Bullets:
    items: tuple[Text, ...]


@dataclass(frozen=True)
class Figure:
    path: Path
    caption: Text


@dataclass(frozen=True)
class Table:
    """A table; ``max_rows`` rows are shown in HTML/PDF, all rows go to Excel under ``sheet`` — the
    rows of ``excel`` when given (e.g. every column at full precision behind a compact display)."""

    frame: pd.DataFrame
    caption: Text
    sheet: str
    max_rows: int = 15
    digits: int = 2
    excel: pd.DataFrame | None = None


@dataclass(frozen=True)
class Equation:
    latex: str
    caption: Text = field(default_factory=lambda: Text(""))


Block = Paragraph | Bullets | Figure | Table | Equation


@dataclass(frozen=True)
class Section:
    title: Text
    blocks: tuple[Block, ...]
    appendix: bool = False


_CSS = """
@page { size: A4; margin: 18mm 16mm 18mm 16mm;
        @bottom-center { content: counter(page); font-size: 9pt; color: #666; } }
body { font-family: "HinterlandCJK", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #1d1d1d;
       max-width: 980px; margin: 1.5em auto; line-height: 1.55; font-size: 11pt; }
header { border-bottom: 3px solid #a4161a; margin-bottom: 1.2em; }
header .kicker { color: #a4161a; font-weight: bold; letter-spacing: .08em; font-size: 10pt; }
h1 { font-size: 20pt; margin: .2em 0; }
header .meta { color: #555; font-size: 9.5pt; margin-bottom: .6em; }
h2 { font-size: 14pt; color: #a4161a; border-bottom: 1px solid #ddd; padding-bottom: 3px; margin-top: 1.6em; }
h2.appendix { color: #444; }
nav ol { columns: 2; font-size: 10pt; list-style: none; padding-left: 1em; }
figure { margin: 1em 0; text-align: center; page-break-inside: avoid; }
figure img { max-width: 100%; max-height: 11.5cm; }
figcaption, caption { font-size: 9.5pt; color: #444; margin-top: .3em; caption-side: top; text-align: left; }
table { border-collapse: collapse; font-size: 9pt; margin: .8em 0; }
tr { page-break-inside: avoid; }
th, td { padding: 2px 6px; border-bottom: 1px solid #e2e2e2; text-align: right; }
th { background: #f3efe9; }
td.l, th.l { text-align: left; }
.more { font-size: 8.5pt; color: #777; }
.eq { margin: .6em 0 .2em 1em; }
.eq svg { max-width: 100%; height: auto; }
.eqcap { font-size: 9pt; color: #555; margin-left: 1em; }
ul { margin-top: .2em; }
"""

_LABELS = {
    "zh": {"contents": "目录", "generated": "生成时间", "rows": "显示前 {n} 行，共 {m} 行（全部见 Excel）"},
    "en": {"contents": "Contents", "generated": "Generated", "rows": "first {n} of {m} rows (all in Excel)"},
}


def latex_to_svg(latex: str, fontsize: float = 13.0) -> str:
    r"""Render one LaTeX formula (matplotlib mathtext subset) to an inline SVG string.

    Raises ``ConfigError`` naming the formula when mathtext cannot parse it (e.g. an unsupported
    command such as ``\begin{aligned}``), so a broken equation never reaches a report silently.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure as MplFigure

    fig = MplFigure(figsize=(0.01, 0.01))
    fig.text(0, 0, f"${latex}$", fontsize=fontsize)
    buf = io.StringIO()
    try:
        fig.savefig(buf, format="svg", bbox_inches="tight", pad_inches=0.02, transparent=True)
    except ValueError as exc:
        raise ConfigError(
            f"equation {latex!r} cannot be drawn by matplotlib mathtext: {exc}. "
            "Fix: use the mathtext subset of LaTeX (no environments such as aligned/cases)."
        ) from exc
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    return re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)


def _format_table(tab: Table, lang: Lang) -> str:
    df = tab.frame
    shown = df.head(tab.max_rows)
    index_names = [n for n in shown.index.names if n is not None]
    if index_names:
        shown = shown.reset_index()
    head = "".join(
        f'<th class="{"l" if not pd.api.types.is_numeric_dtype(shown[c]) else ""}">{html.escape(str(c))}</th>'
        for c in shown.columns
    )
    rows = []
    for _, row in shown.iterrows():
        cells = []
        for c in shown.columns:
            v = row[c]
            if isinstance(v, float):
                txt = "" if pd.isna(v) else f"{v:,.{tab.digits}f}"
                cells.append(f"<td>{txt}</td>")
            elif isinstance(v, int | bool):
                cells.append(f"<td>{v:,}</td>" if not isinstance(v, bool) else f"<td>{v}</td>")
            else:
                cells.append(f'<td class="l">{html.escape(str(v))}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = ""
    if len(df) > tab.max_rows:
        more = f'<div class="more">{_LABELS[lang]["rows"].format(n=tab.max_rows, m=len(df))}</div>'
    return (
        f"<table><caption>{html.escape(tab.caption.get(lang))}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{more}"
    )


def _figure(fig: Figure, lang: Lang) -> str:
    if not fig.path.exists():
        raise ConfigError(f"figure {fig.path} does not exist. Fix: write the figure before the report.")
    mime = "image/svg+xml" if fig.path.suffix == ".svg" else "image/png"
    data = base64.b64encode(fig.path.read_bytes()).decode("ascii")
    return (
        f'<figure><img src="data:{mime};base64,{data}" alt="{html.escape(fig.caption.get(lang))}">'
        f"<figcaption>{html.escape(fig.caption.get(lang))}</figcaption></figure>"
    )


def _block(block: Block, lang: Lang) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{html.escape(block.text.get(lang))}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{html.escape(t.get(lang))}</li>" for t in block.items) + "</ul>"
    if isinstance(block, Figure):
        return _figure(block, lang)
    if isinstance(block, Table):
        return _format_table(block, lang)
    cap = block.caption.get(lang)
    caption = f'<div class="eqcap">{html.escape(cap)}</div>' if cap else ""
    return f'<div class="eq">{latex_to_svg(block.latex)}</div>{caption}'


@dataclass(frozen=True)
class AdvisoryDocument:
    """A bilingual advisory report: title, sections (main text, then appendix sections)."""

    title: Text
    subtitle: Text
    sections: tuple[Section, ...]
    kicker: Text = field(default_factory=lambda: Text("资政报告", "Policy advisory report"))
    created: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC).replace(microsecond=0))

    def tables(self) -> list[Table]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    def render_html(self, lang: Lang = "zh", *, font_file: Path | None = None) -> str:
        """Self-contained HTML in one language (``font_file`` embeds a CJK font for PDF rendering)."""
        if lang not in _LABELS:
            raise ConfigError(f"report language {lang!r} is not supported; expected 'zh' or 'en'.")
        font_css = ""
        if font_file is not None:
            font_css = f'@font-face {{ font-family: "HinterlandCJK"; src: url("{font_file.as_uri()}"); }}\n'
        toc = "".join(
            f'<li><a href="#s{i}">{html.escape(s.title.get(lang))}</a></li>'
            for i, s in enumerate(self.sections, 1)
        )
        body = []
        for i, s in enumerate(self.sections, 1):
            cls = ' class="appendix"' if s.appendix else ""
            blocks = "\n".join(_block(b, lang) for b in s.blocks)
            body.append(
                f'<section><h2 id="s{i}"{cls}>{html.escape(s.title.get(lang))}</h2>{blocks}</section>'
            )
        labels = _LABELS[lang]
        html_lang = "zh-CN" if lang == "zh" else "en"
        return (
            f'<!doctype html><html lang="{html_lang}"><head><meta charset="utf-8">'
            f"<title>{html.escape(self.title.get(lang))}</title><style>{font_css}{_CSS}</style></head><body>"
            f'<header><div class="kicker">{html.escape(self.kicker.get(lang))}</div>'
            f"<h1>{html.escape(self.title.get(lang))}</h1>"
            f'<div class="meta">{html.escape(self.subtitle.get(lang))} · {labels["generated"]} '
            f"{self.created.isoformat()}</div></header>"
            f"<nav><b>{labels['contents']}</b><ol>{toc}</ol></nav>" + "\n".join(body) + "</body></html>"
        )

    def write_excel(self, path: Path) -> Path:
        """Every table of the document, one sheet each (sheet names must be unique)."""
        names = [t.sheet for t in self.tables()]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ConfigError(
                f"report tables share Excel sheet names {dupes}. Fix: give each table its own sheet."
            )
        with pd.ExcelWriter(path) as xl:
            for t in self.tables():
                (t.frame if t.excel is None else t.excel).to_excel(xl, sheet_name=t.sheet[:31])
        return path

    def write(
        self,
        folder: Path,
        stem: str = "report",
        *,
        langs: Sequence[Lang] = ("zh", "en"),
        pdf: bool = True,
    ) -> dict[str, Path]:
        """Write ``{stem}_{lang}.html`` (and ``.pdf``) per language plus ``{stem}_tables.xlsx``."""
        folder.mkdir(parents=True, exist_ok=True)
        out: dict[str, Path] = {}
        jobs: list[tuple[str, Path]] = []
        for lang in langs:
            p = folder / f"{stem}_{lang}.html"
            p.write_text(self.render_html(lang), encoding="utf-8")
            out[f"html_{lang}"] = p
            if pdf:
                jobs.append((self.render_html(lang, font_file=_cjk_font()), folder / f"{stem}_{lang}.pdf"))
                out[f"pdf_{lang}"] = jobs[-1][1]
        out["excel"] = self.write_excel(folder / f"{stem}_tables.xlsx")
        if len(jobs) > 1 and (os.cpu_count() or 1) > 1:
            # WeasyPrint spends most of its time subsetting the CJK font in Python: one process per PDF
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(min(len(jobs), 2), mp_context=mp.get_context("spawn")) as pool:
                for fut in [pool.submit(write_pdf, html_text, path) for html_text, path in jobs]:
                    fut.result()
        else:
            for html_text, path in jobs:
                write_pdf(html_text, path)
        return out


def _cjk_font() -> Path | None:
    try:
        import mplfonts
    except ImportError:  # pragma: no cover - a dependency
        return None
    path = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    return path if path.exists() else None


def write_pdf(html_text: str, path: Path) -> Path:
    """Render HTML to PDF with WeasyPrint (needs the system Pango library)."""
    try:
        import logging

        import weasyprint

        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        logging.getLogger("fontTools").setLevel(logging.ERROR)
    except (ImportError, OSError) as exc:  # OSError: Pango missing
        raise HinterlandError(
            f"PDF output needs WeasyPrint and the Pango library ({exc}). "
            "Fix: install the project's dependencies (make setup) and Debian's libpango-1.0-0, "
            "or pass --no-pdf."
        ) from exc
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # "HarfBuzz-Subset will be required"
        weasyprint.HTML(string=html_text).write_pdf(path)
    return path
