"""CLI tests: commands run on the bundled data, user mistakes give clean errors without tracebacks."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hinterland.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_version(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "--version")
    assert code == 0 and "hinterland 0.1.0" in out


def test_show_catalogue_and_indicator(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "data", "show")
    assert code == 0 and "gdp" in out and "rd_expenditure" in out
    code, out, _ = run(capsys, "data", "show", "--indicator", "gdp", "--year", "2022", "--lang", "zh")
    assert code == 0 and "广东" in out and "2022" in out


def test_show_unknown_indicator_is_a_clean_error(capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "data", "show", "--indicator", "gpd")
    assert code == 2
    assert "unknown indicator 'gpd'" in err and "Traceback" not in err


def test_export_csv_xlsx_parquet(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for fmt in ("csv", "xlsx", "parquet"):
        code, _, err = run(capsys, "data", "export", "--out", str(tmp_path / fmt), "--format", fmt)
        assert code == 0, err
    assert len(pd.read_csv(tmp_path / "csv" / "regions.csv")) == 31
    assert "indicators" in pd.ExcelFile(tmp_path / "xlsx" / "hinterland_china_dataset.xlsx").sheet_names
    assert len(pd.read_parquet(tmp_path / "parquet" / "indicators.parquet")) > 1000
    code, _, err = run(capsys, "data", "export", "--out", str(tmp_path / "x"), "--format", "docx")
    assert code == 2 and "unknown export format 'docx'" in err


def test_export_never_overwrites_user_input(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    user = tmp_path / "regions.csv"
    user.write_text("region,year,x_count [个]\nHubei,2020,3\n", encoding="utf-8")
    before = user.read_bytes()
    code, _, err = run(capsys, "data", "export", "--out", str(tmp_path), "--data", str(user))
    assert code == 2 and "refusing to overwrite your input file" in err
    assert user.read_bytes() == before


def test_check_bundled_passes(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "data", "check")
    assert code == 0, out
    assert "passes every check" in out


def test_check_user_file_lists_every_problem(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.csv"
    path.write_text(
        "region,year,indicator,value\nAtlantis,2020,gdp,1\nHubei,2020,gdp,abc\nHubei,3000,gdp,5\n"
    )
    code, out, _ = run(capsys, "data", "check", str(path))
    assert code == 1
    for text in ("Atlantis", "'abc'", "3000", "row 2", "row 3", "row 4"):
        assert text in out
    good = tmp_path / "good.csv"
    good.write_text("region,year,x_count [个]\nHubei,2020,3\n")
    code, out, _ = run(capsys, "data", "check", str(good))
    assert code == 0 and "ok" in out


def test_missing_file_is_a_clean_error(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "data", "report", "--out", str(tmp_path), "--data", str(tmp_path / "nope.csv"))
    assert code == 2 and "file not found" in err and "Traceback" not in err


def test_bad_user_data_in_report_lists_problems(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "u.csv"
    path.write_text("region,year,indicator,value,unit\nSichuan,2022,gdp,56700000,万元\n")
    code, _, err = run(capsys, "data", "report", "--out", str(tmp_path / "r"), "--data", str(path))
    assert code == 2
    assert "multiply the values by 0.0001" in err


def test_report_writes_map_tables_and_html(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(
        capsys, "data", "report", "--out", str(tmp_path), "--indicator", "gdp", "--year", "2022"
    )
    assert code == 0, err
    assert (tmp_path / "map_gdp_2022.png").stat().st_size > 50_000
    assert "Sichuan" in (tmp_path / "data_overview.html").read_text(encoding="utf-8")
    assert len(pd.read_csv(tmp_path / "summary.csv")) == 31
