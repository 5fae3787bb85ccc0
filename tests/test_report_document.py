"""The advisory document model: HTML is self-contained, PDF carries the Chinese text, Excel every table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hinterland.errors import ConfigError
from hinterland.report._document import (
    AdvisoryDocument,
    Bullets,
    Equation,
    Figure,
    Paragraph,
    Section,
    Table,
    Text,
    latex_to_svg,
)


def _doc(tmp_path: Path, rows: int = 3) -> AdvisoryDocument:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1], [0, 1])
    png = tmp_path / "f.png"
    fig.savefig(png)
    plt.close(fig)
    df = pd.DataFrame(
        {"score": [0.5 + i / 100 for i in range(rows)]}, index=pd.Index(range(rows), name="region")
    )
    return AdvisoryDocument(
        Text("国家战略腹地评估", "Hinterland assessment"),
        Text("副标题", "subtitle"),
        (
            Section(
                Text("背景", "Background"),
                (
                    Paragraph(Text("段落<b>", "paragraph <b>")),
                    Bullets((Text("甲", "a"), Text("乙", "b"))),
                    Figure(png, Text("图", "figure")),
                    Table(df, Text("表", "table"), "scores", max_rows=2),
                ),
            ),
            Section(
                Text("方法", "Methods"),
                (Equation(r"x = (I - A)^{-1} y", Text("列昂惕夫", "Leontief")),),
                appendix=True,
            ),
        ),
    )


def test_text_falls_back_to_the_other_language() -> None:
    assert Text("中", "").get("en") == "中"
    assert Text("", "en").get("zh") == "en"


def test_html_is_self_contained_escaped_and_bilingual(tmp_path: Path) -> None:
    doc = _doc(tmp_path, rows=5)
    zh, en = doc.render_html("zh"), doc.render_html("en")
    assert "国家战略腹地评估" in zh and "Hinterland assessment" in en
    assert "data:image/png;base64," in zh and "<svg" in zh  # figure and equation embedded
    assert "段落&lt;b&gt;" in zh  # user text is escaped
    assert "http://" not in zh.replace("http://www.w3.org", "")  # nothing fetched from the network
    assert "显示前 2 行，共 5 行" in zh and "first 2 of 5 rows" in en
    with pytest.raises(ConfigError, match="language"):
        doc.render_html("fr")  # type: ignore[arg-type]


def test_write_html_pdf_and_excel(tmp_path: Path) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    files = _doc(tmp_path).write(tmp_path / "out", langs=("zh",))
    assert set(files) == {"html_zh", "pdf_zh", "excel"}
    pdf = pdfium.PdfDocument(str(files["pdf_zh"]))
    text = pdf[0].get_textpage().get_text_range()
    assert "国家战略腹地评估" in text  # the CJK font is embedded, not tofu
    xl = pd.read_excel(files["excel"], sheet_name=None, index_col=0)
    assert list(xl) == ["scores"] and len(xl["scores"]) == 3  # all rows, not only the shown ones


def test_bad_equation_and_missing_figure_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="mathtext"):
        latex_to_svg(r"\begin{aligned} x \end{aligned}")
    doc = AdvisoryDocument(
        Text("t"), Text("s"), (Section(Text("a"), (Figure(tmp_path / "nope.png", Text("f")),)),)
    )
    with pytest.raises(ConfigError, match="does not exist"):
        doc.render_html("zh")


def test_duplicate_sheet_names_are_refused(tmp_path: Path) -> None:
    df = pd.DataFrame({"a": [1]})
    t = Table(df, Text("t"), "same")
    doc = AdvisoryDocument(Text("t"), Text("s"), (Section(Text("a"), (t, t)),))
    with pytest.raises(ConfigError, match="sheet names"):
        doc.write_excel(tmp_path / "x.xlsx")
