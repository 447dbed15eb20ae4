"""laborcli on the county PCs: a GBK console (Chinese Windows writing to a file or pipe),
paths with Chinese characters and spaces, and no call that exists only on Linux.

No Windows machine runs these: they simulate what differs (the README says so).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from laborcli.cli.app import tolerant_streams
from laborcli.cli.views.runs import file_name
from tests.sheets import person, write_xlsx

RARE = "王𠮷"  # 𠮷 is in GB18030 but not in GBK


def _laborcli(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    env.pop("LABORCLI_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "laborcli", *args], cwd=cwd, env=env, capture_output=True, timeout=300
    )


def _clean(p: subprocess.CompletedProcess[bytes]) -> tuple[str, str]:
    """stdout and stderr as a GBK console shows them, with no traceback."""
    out, err = p.stdout.decode("gbk"), p.stderr.decode("gbk")
    assert "Traceback" not in err and "UnicodeEncodeError" not in err, err
    return out, err


def test_a_gbk_console_shows_chinese_and_paths_with_spaces_work(tmp_path: Path) -> None:
    inbox = tmp_path / "收表 2026年11月"
    inbox.mkdir()
    people = [
        person("张三", dt.date(1990, 5, 1), seq=1),
        person(RARE, dt.date(1991, 6, 1), seq=2, household="H002", status="务农"),
    ]
    write_xlsx(inbox / "甲镇_一村 老寨_2026-11.xlsx", [{**p, "村(社区)": "一村 老寨"} for p in people])
    db = tmp_path / "县 数据库" / "劳动力.db"
    db.parent.mkdir()

    out, _ = _clean(_laborcli("--db", str(db), "import", str(inbox), cwd=tmp_path))
    assert "甲镇_一村 老寨_2026-11.xlsx" in out and "已导入" in out

    p = _laborcli("--db", str(db), "rates", "--as-of", "2026-11-30", cwd=tmp_path)
    out, _ = _clean(p)
    assert p.returncode == 0 and "合计" in out and "一村 老寨" in out

    p = _laborcli("--db", str(db), "households", "--as-of", "2026-11-30", "--format", "json", cwd=tmp_path)
    _clean(p)
    names = {m["name"] for h in json.loads(p.stdout)["rows"] for m in h["members"]}
    assert RARE in names  # exact, though GBK has no 𠮷

    p = _laborcli("--db", str(db), "households", "--as-of", "2026-11-30", cwd=tmp_path)
    out, _ = _clean(p)
    assert p.returncode == 0 and "王?" in out  # the table falls back, it does not fail

    handout = tmp_path / "报表 文件夹" / "红黑榜 {week}.xlsx"
    p = _laborcli("--db", str(db), "rank", "--week", "2026-W48", "--export", str(handout), cwd=tmp_path)
    _clean(p)
    assert p.returncode == 0
    assert load_workbook(tmp_path / "报表 文件夹" / "红黑榜 2026-W48.xlsx").worksheets[0]["A1"].value

    report = tmp_path / "报表 文件夹" / "2026年11月 报表.xlsx"
    p = _laborcli(
        "--db", str(db), "export", "report", "--as-of", "2026-11-30", "-o", str(report), cwd=tmp_path
    )
    _clean(p)
    assert p.returncode == 0 and report.exists()

    p = _laborcli(
        "--db", str(db), "validate", str(inbox), "--annotate", str(tmp_path / "批注 副本"), cwd=tmp_path
    )
    _clean(p)
    assert list((tmp_path / "批注 副本").iterdir())

    out, _ = _clean(_laborcli("rates", "--help", cwd=tmp_path))
    assert out.startswith("用法: laborcli rates")
    p = _laborcli("rates", "--by", "town", cwd=tmp_path)
    _, err = _clean(p)
    assert p.returncode == 2 and "错误: '--by' 的值无效" in err


def test_tolerant_streams_write_a_missing_character_as_a_question_mark(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="gbk")
    monkeypatch.setattr(sys, "stdout", stream)
    tolerant_streams()
    print(f"{RARE} 合计")
    stream.flush()
    assert raw.getvalue().decode("gbk") == "王? 合计\n"


def test_file_names_are_found_after_a_windows_backslash_too() -> None:
    assert file_name(r"C:\Users\科员\收表 11月\甲镇_一村_2026-11.xlsx") == "甲镇_一村_2026-11.xlsx"
    assert file_name("/srv/收表/甲镇_一村_2026-11.xlsx") == "甲镇_一村_2026-11.xlsx"


def test_workers_start_where_os_has_no_nice(monkeypatch: pytest.MonkeyPatch) -> None:
    from laborcli.sheets import workers

    monkeypatch.delattr(os, "nice", raising=False)
    workers._worker_start()  # Windows has no os.nice: no AttributeError


def test_workers_spawn_where_the_system_cannot_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    from laborcli.sheets import workers

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert workers.start_context().get_start_method() == "spawn"
