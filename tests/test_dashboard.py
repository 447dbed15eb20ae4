"""The dashboard (`export html DIR`, issue 24): static pages that open from disk with no
network, opened here in headless Chromium (Debian's chromium and chromium-driver, driven
by selenium): no console errors, the rows expected, charts with data, a screenshot; the
figures are the commands' own, identifiers masked, the folder written whole."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from laborcli.cli.app import main
from laborcli.exports import dashboard
from tests import small_county as sc
from tests.conftest import Cli

AS_OF = "2026-11-30"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, Path]:
    """The small county on SQLite, made once: most tests here only read it."""
    return sc.made(tmp_path_factory)


def _export(cli: Cli, pol: Path, out: Path, *extra: str) -> Any:
    r = cli("--policy", str(pol), "export", "html", str(out), "--as-of", AS_OF, *extra)
    assert r.exit_code == 0, r.output
    return r


@pytest.fixture(scope="module")
def pages(county: tuple[Cli, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The county's dashboard split by township."""
    cli, pol = county
    out = tmp_path_factory.mktemp("dash") / "看板"
    _export(cli, pol, out, "--split-by", "township")
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium through chromedriver, with the console kept."""
    if CHROMIUM is None or DRIVER is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs chromium and chromium-driver (.ci/run installs them)")
        pytest.skip("no chromium/chromedriver: apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
    ):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    try:
        yield driver
    finally:
        driver.quit()


def _open(browser: Any, page: Path) -> list[dict[str, Any]]:
    """Open a page from disk; the console's errors while it loaded."""
    browser.get_log("browser")  # what an earlier page said
    browser.get(page.as_uri())
    ready = browser.execute_script("return document.body.getAttribute('data-ready')")
    assert ready == "1", "dashboard.js did not finish"
    return [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]


def _rows(browser: Any, table: str, visible: bool = False) -> list[Any]:
    rows = browser.find_elements("css selector", f"#{table} tbody tr")
    return [r for r in rows if r.is_displayed()] if visible else rows


def _chart_data(browser: Any, name: str) -> list[list[Any]]:
    return browser.execute_script(  # type: ignore[no-any-return]
        "var c = Chart.getChart(document.querySelector('canvas[data-chart=\"' + arguments[0] + '\"]'));"
        "return c ? c.data.datasets.map(function (d) { return d.data; }) : null;",
        name,
    )


def _painted(browser: Any, name: str) -> int:
    """Pixels the chart painted on its canvas (not transparent)."""
    return browser.execute_script(  # type: ignore[no-any-return]
        "var cv = document.querySelector('canvas[data-chart=\"' + arguments[0] + '\"]');"
        "var d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data, n = 0;"
        "for (var i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;",
        name,
    )


# --- in the browser -------------------------------------------------------------------------


def test_the_dashboard_opens_from_disk_without_console_errors_with_its_rows_and_charts(
    pages: Path, browser: Any, tmp_path: Path
) -> None:
    assert _open(browser, pages / "index.html") == []
    assert len(_rows(browser, "village-table")) == len(sc.VILLAGES) == 5
    assert len(_rows(browser, "township-table")) == 2
    assert len(_rows(browser, "zero-table")) == 5  # one household of two farmers in each village
    assert len(_rows(browser, "red-table")) == len(_rows(browser, "black-table")) == 2
    trend = _chart_data(browser, "trend")
    assert [len(d) for d in trend] == [2, 2, 2]  # the county and its two townships, two months
    assert all(v is not None and 0 < v <= 100 for d in trend for v in d)
    assert _chart_data(browser, "ranking")[0] == [120.0, 100.0, 60.0, 60.0, 40.0]
    for name in ("trend", "townships", "ranking", "zero"):
        assert _painted(browser, name) > 1000, name
    shot = tmp_path / "dashboard.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 20_000


def test_tables_sort_on_a_click_on_their_head_and_filter_as_one_types(pages: Path, browser: Any) -> None:
    assert _open(browser, pages / "index.html") == []
    heads = browser.find_elements("css selector", "#village-table thead th")
    col = next(i for i, h in enumerate(heads) if h.text.strip() == "转移就业率")

    def column() -> list[float]:
        return [
            float(r.find_elements("css selector", "td")[col].get_attribute("data-v"))
            for r in _rows(browser, "village-table")
        ]

    heads[col].click()
    assert column() == sorted(column())
    heads[col].click()
    assert column() == sorted(column(), reverse=True)
    box = browser.find_element("css selector", 'input[data-filter="village-table"]')
    box.send_keys("乙乡")
    assert len(_rows(browser, "village-table", visible=True)) == 3
    assert browser.find_element("css selector", '[data-count="village-table"]').text == "3 / 5 行"


def test_each_township_has_its_page_linked_from_the_countys_and_opening_cleanly(
    pages: Path, browser: Any
) -> None:
    names = sorted(p.name for p in pages.glob("*.html"))
    assert names == sorted(["index.html", "甲镇.html", "乙乡.html"])
    assert _open(browser, pages / "乙乡.html") == []
    assert len(_rows(browser, "village-table")) == 3
    assert len(_rows(browser, "zero-table")) == 3
    assert [len(d) for d in _chart_data(browser, "trend")] == [2]
    links = {a.text: a.get_attribute("href") for a in browser.find_elements("css selector", "nav.pages a")}
    assert set(links) == {"测试县", "甲镇", "乙乡"} and links["测试县"].endswith("/index.html")


# --- the pages themselves -------------------------------------------------------------------


class _Tables(HTMLParser):
    """Each table's body rows: (text, data-v) per cell."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[tuple[str, str | None]]]] = {}
        self._table: str | None = None
        self._body = False
        self._cell: list[str] | None = None
        self._v: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self._table = a.get("id") or ""
            self.tables[self._table] = []
        elif tag == "tbody":
            self._body = True
        elif tag == "tr" and self._body and self._table is not None:
            self.tables[self._table].append([])
        elif tag == "td" and self._body:
            self._cell, self._v = [], a.get("data-v")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None and self._table is not None:
            self.tables[self._table][-1].append(("".join(self._cell).strip(), self._v))
            self._cell = None
        elif tag == "tbody":
            self._body = False
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _tables(page: Path) -> dict[str, list[list[tuple[str, str | None]]]]:
    p = _Tables()
    p.feed(page.read_text(encoding="utf-8"))
    return p.tables


def test_the_dashboards_figures_are_the_commands_figures(cli: Cli, tmp_path: Path) -> None:
    """On both back ends: the village rates, the lists, the zero-employment households and
    the retention total of the page are what rates, rank, households and retention say."""
    sc.load(cli, tmp_path)
    pol = sc.policy(tmp_path)
    _export(cli, pol, tmp_path / "d")
    t = _tables(tmp_path / "d" / "index.html")
    rates = cli.json("--policy", str(pol), "rates", "--as-of", AS_OF, "--by", "village")
    page = {(r[0][0], r[1][0]): float(r[4][1] or "nan") for r in t["village-table"]}
    assert page == pytest.approx({(r["township"], r["village"]): r["transfer_rate"] for r in rates["rows"]})
    rank = cli.json("--policy", str(pol), "rank", "--week", sc.WEEK)
    for name in ("red", "black"):
        assert [r[2][0].split(" (")[0] for r in t[f"{name}-table"]] == [
            r["village"] for r in rank["rows"] if r["list"] == name
        ]
    zero = cli.json("households", "--as-of", AS_OF, "--zero-employment")
    assert sorted(r[2][0] for r in t["zero-table"]) == sorted(h["household_id"] for h in zero["rows"])
    retention = cli.json("--policy", str(pol), "retention", "--as-of", AS_OF, "--by", "township")
    shown = [float(r[3][1] or "nan") for r in t["retention-table"]]
    assert shown == pytest.approx([r["retention_rate"] for r in retention["rows"]])


def test_identifiers_are_masked_unless_show_pii(
    county: tuple[Cli, Path], pages: Path, tmp_path: Path
) -> None:
    cli, pol = county
    zero = cli.json("households", "--as-of", AS_OF, "--zero-employment", "--show-pii")
    ids = [m["id_number"] for h in zero["rows"] for m in h["members"]]
    assert ids
    text = "".join(p.read_text(encoding="utf-8") for p in pages.glob("*.html"))
    assert not any(i in text for i in ids)
    assert all(f"{i[:6]}{'*' * 8}{i[-4:]}" in text for i in ids)
    assert not re.search(r"\b1[3-9]\d{9}\b", text)  # no whole mobile number either
    whole = tmp_path / "whole"
    _export(cli, pol, whole, "--show-pii")
    text = (whole / "index.html").read_text(encoding="utf-8")
    assert all(i in text for i in ids) and "请勿外传" in text


def test_the_pages_fetch_nothing_from_a_network(pages: Path) -> None:
    for page in pages.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        refs = re.findall(r'(?:src|href)="([^"]+)"', text)
        assert refs and all(not re.match(r"^(?:[a-z]+:)?//", r) for r in refs), page.name
        for r in refs:
            if not r.startswith("#"):
                assert (pages / r).is_file(), r
    assert not list((pages / "static").glob("*.map"))  # no source map for the browser to look for


def test_chart_js_is_the_vendored_file_with_its_licence() -> None:
    static = Path(dashboard.__file__).parent / "static"
    notes = (static / "VENDORED.md").read_text(encoding="utf-8")
    digest = hashlib.sha256((static / "chart.umd.min.js").read_bytes()).hexdigest()
    assert digest in notes and "4.6.1" in notes
    assert (static / "chart.umd.min.js").read_text(encoding="utf-8").startswith("/*!\n * Chart.js v4.6.1")
    assert "MIT License" in (static / "LICENSE-chart.js.md").read_text(encoding="utf-8")
    assert {p.name for p in static.iterdir()} >= set(dashboard.STATIC)


# --- written whole --------------------------------------------------------------------------


def _main(cli: Cli, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--db", cli.db, *args])
    return code, capsys.readouterr().err


def test_a_folder_laborcli_did_not_write_is_never_replaced(
    county: tuple[Cli, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli, _ = county
    theirs = tmp_path / "报表"
    theirs.mkdir()
    (theirs / "自己的文件.xlsx").write_bytes(b"mine")
    code, err = _main(cli, capsys, "export", "html", str(theirs), "--as-of", AS_OF)
    assert code == 2 and "报表" in err and len(err.strip().splitlines()) == 1
    assert [p.name for p in theirs.iterdir()] == ["自己的文件.xlsx"]


def test_a_dashboard_is_replaced_whole_and_a_failed_write_leaves_the_old_one(
    county: tuple[Cli, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli, pol = county
    out = tmp_path / "看板"
    _export(cli, pol, out, "--split-by", "township")
    assert (out / "甲镇.html").is_file()
    _export(cli, pol, out)  # again, not split: the townships' pages go with the old folder
    assert sorted(p.name for p in out.glob("*.html")) == ["index.html"]
    before = (out / "index.html").read_bytes()

    def broken(*args: Any, **kw: Any) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(dashboard, "render_page", broken)
    with pytest.raises(OSError):  # cli.app.main says a full disk in one line
        cli("--policy", str(pol), "export", "html", str(out), "--as-of", AS_OF)
    assert (out / "index.html").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["看板"]  # no temporary folder left


def test_an_empty_folder_is_written_into(county: tuple[Cli, Path], tmp_path: Path) -> None:
    cli, pol = county
    out = tmp_path / "empty"
    out.mkdir()
    _export(cli, pol, out)
    assert (out / "index.html").is_file() and (out / dashboard.MARKER).is_file()
    assert json.dumps(sorted(p.name for p in (out / "static").iterdir())) == json.dumps(
        sorted(dashboard.STATIC)
    )


def test_subsidy_lines_computed_in_a_second_process_are_those_computed_in_turn(
    county: tuple[Cli, Path],
) -> None:
    import datetime as dt

    from laborcli.identity.privacy import Mask
    from laborcli.policy import load_policy
    from laborcli.registry.engine import open_registry
    from laborcli.roster.dashboard_data import dashboards

    cli, pol = county
    policy = load_policy(pol)
    reg = open_registry(cli.db, create=False)
    try:
        d = dt.date.fromisoformat(AS_OF)
        apart = dashboards(reg, d, policy, split=False, min_rows=0)[0].subsidies
        in_turn = dashboards(reg, d, policy, split=False, min_rows=10**9)[0].subsidies
    finally:
        reg.close()
    assert apart is not None and in_turn is not None
    mask = Mask(False).id
    assert apart.as_json(mask) == in_turn.as_json(mask)


def test_no_subsidies_leaves_the_subsidy_section_out(
    county: tuple[Cli, Path], pages: Path, tmp_path: Path
) -> None:
    cli, pol = county
    assert 'id="subsidies"' in (pages / "index.html").read_text(encoding="utf-8")
    _export(cli, pol, tmp_path / "d", "--no-subsidies")
    text = (tmp_path / "d" / "index.html").read_text(encoding="utf-8")
    assert 'id="subsidies"' not in text and 'href="#subsidies"' not in text and 'id="retention"' in text
