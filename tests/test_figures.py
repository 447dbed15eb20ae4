"""The figures of docs/rules.md (#the-labour-force, #transfers, #the-current-state), computed on paper.

Every test builds a tiny county whose figures are worked out by hand in the comments, imports
it on both back ends and checks ``rates`` at each level and the zero-employment list.
Reference date D = 2026-11-30 unless said otherwise.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from laborcli.sheets.idcard import check_digit
from tests.conftest import Cli
from tests.sheets import make_id, person, write_xlsx

D = "2026-11-30"
FIGS = (
    "labour_force",
    "transferred",
    "transfer_rate",
    "outside_county",
    "organised_outside",
    "organised_rate",
    "poor_labour_force",
    "poor_transferred",
    "households",
    "zero_employment_households",
)


def _import(cli: Cli, path: Path, *extra: str) -> dict[str, Any]:
    """Import one sheet; it must go in whole."""
    r = cli("import", str(path), *extra, "--format", "json")
    assert r.exit_code == 0, r.output
    rep: dict[str, Any] = json.loads(r.stdout)
    f = rep["files"][0]
    assert f["status"] == "imported" and f["rows_rejected"] == 0, f
    return rep


def _sheet(cli: Cli, tmp_path: Path, name: str, rows: list[dict[str, object]], *extra: str) -> None:
    _import(cli, write_xlsx(tmp_path / name, rows), *extra)


def _rates(cli: Cli, by: str, as_of: str = D, *extra: str) -> dict[str, Any]:
    return cli.json(*extra, "rates", "--as-of", as_of, "--by", by)  # type: ignore[no-any-return]


def _by_place(res: dict[str, Any], keys: tuple[str, ...] = FIGS) -> dict[tuple[str, ...], tuple[Any, ...]]:
    """{place: figures} of a rates answer; the place is (township, village, group) cut to the level."""
    by = res["by"]
    n = {"county": 0, "township": 1, "village": 2, "group": 3}[by]
    out = {}
    for r in res["rows"]:
        place = tuple(str(r[k]) for k in ("township", "village", "group")[:n])
        out[place] = tuple(r[k] for k in keys)
    return out


def _total(res: dict[str, Any], keys: tuple[str, ...] = FIGS) -> tuple[Any, ...]:
    return tuple(res["total"][k] for k in keys)


def _lf(cli: Cli, as_of: str = D, *extra: str) -> int:
    n: int = _rates(cli, "county", as_of, *extra)["total"]["labour_force"]
    return n


# --------------------------------------------------------------------------- age bounds


def _age_edge_people() -> list[dict[str, object]]:
    """Men around the 16 and 60 bounds at D = 2026-11-30, each in his own household."""
    births = {
        "满十六": dt.date(2010, 11, 30),  # 16th birthday is D: age 16, in
        "差一天": dt.date(2010, 12, 1),  # 16th birthday is D+1: age 15, out
        "满六十": dt.date(1966, 11, 30),  # 60th birthday is D: age 60, in
        "六十昨": dt.date(1966, 11, 29),  # 60th birthday was D-1: age 60, in
        "六十一": dt.date(1965, 11, 30),  # 61st birthday is D: age 61, out
        "六一明": dt.date(1965, 12, 1),  # 61st birthday is D+1: still 60, in
    }
    return [
        person(n, b, seq=i + 1, household=f"H{i:03d}", status="务农")
        for i, (n, b) in enumerate(births.items())
    ]


def test_labour_force_is_16_to_60_inclusive_in_full_years_at_d(cli: Cli, tmp_path: Path) -> None:
    _sheet(cli, tmp_path, "甲镇_一村_2026-11.xlsx", _age_edge_people())
    # In: 满十六, 满六十, 六十昨, 六一明 = 4; out: 差一天 (15), 六十一 (61).
    assert _lf(cli) == 4
    # A day later 差一天 turns 16 (in) and 六一明 turns 61 (out): still 4, but other people.
    assert _lf(cli, "2026-12-01") == 4
    hs = cli.json("households", "--as-of", D)["rows"]
    assert sorted(m["name"] for h in hs for m in h["members"]) == ["六一明", "六十昨", "满六十", "满十六"]


def _women_policy(tmp_path: Path) -> Path:
    p = tmp_path / "policy.toml"
    p.write_text(
        "[labour_force]\nmin_age_male = 16\nmax_age_male = 60\n"
        "min_age_female = 16\nmax_age_female = 55\nmin_age = 16\nmax_age = 60\n",
        encoding="utf-8",
    )
    return p


def test_upper_age_bound_is_per_gender_from_the_policy_file(cli: Cli, tmp_path: Path) -> None:
    rows = [
        person("女满五五", dt.date(1971, 11, 30), male=False, seq=1, household="H1"),  # 55 at D
        person("女五六", dt.date(1970, 11, 30), male=False, seq=2, household="H2"),  # 56th birthday is D
        person("女五五末", dt.date(1970, 12, 1), male=False, seq=3, household="H3"),  # 55 until D+1
        person("男五六", dt.date(1970, 11, 30), male=True, seq=4, household="H4"),  # 56, a man
        person("男六十", dt.date(1966, 11, 30), male=True, seq=5, household="H5"),  # 60, a man
        person("女六十", dt.date(1966, 11, 30), male=False, seq=6, household="H6"),  # 60, a woman
    ]
    _sheet(cli, tmp_path, "甲镇_一村_2026-11.xlsx", rows)
    # Default policy (16-60 for all): all six are in.
    assert _lf(cli) == 6
    # Women 16-55: 女五六 (56) and 女六十 (60) drop out; the men and the two 55-year-olds stay: 4.
    pol = str(_women_policy(tmp_path))
    assert _lf(cli, D, "--policy", pol) == 4
    # Gender comes from the ID (17th digit), the 性别 cell saying 男 does not save 女五六.
    rows2 = [{**r, "性别": "男"} for r in rows]
    _sheet(cli, tmp_path, "甲镇_一村_2026-12.xlsx", rows2)
    # 2026-12-31: 女满五五 is 55 (in), 女五五末 turned 56 on 12-01 (out), 女五六 56 (out),
    # 女六十 60 (out), men 56 and 60 (in): 3.
    assert _lf(cli, "2026-12-31", "--policy", pol) == 3
    hs = cli.json("--policy", pol, "households", "--as-of", "2026-12-31")["rows"]
    names = sorted(m["name"] for h in hs for m in h["members"] if m["in_labour_force"])
    assert names == ["女满五五", "男五六", "男六十"]


# --------------------------------------------------------------------------- exclusions


def test_students_conscripts_and_the_incapable_are_not_labour_force(cli: Cli, tmp_path: Path) -> None:
    b = dt.date(2000, 1, 1)  # 26 at D: age is no obstacle for anyone here
    rows = [
        person("学生", b, seq=1, household="H1", status="在校学生"),
        person("当兵", b, seq=2, household="H1", status="服兵役"),
        person("丧失", b, seq=3, household="H2", status="未就业", capacity="丧失劳动力"),
        person("无能力", b, seq=4, household="H2", status="县外务工", capacity="无劳动能力"),
        person("弱劳", b, seq=5, household="H3", status="县内务工", capacity="弱劳动力"),
        person("半劳", b, seq=6, household="H3", status="务农", capacity="半劳动力"),
        person("技能", b, seq=7, household="H4", status="务农", capacity="技能劳动力"),
    ]
    _sheet(cli, tmp_path, "甲镇_一村_2026-11.xlsx", rows)
    # LF: 弱劳, 半劳, 技能 = 3; transferred: 弱劳 = 1 (无能力's 县外务工 does not count).
    # Households with labour: H3, H4 = 2 (H1, H2 have nobody in the LF); zero: H4 = 1.
    assert _total(_rates(cli, "county")) == (3, 1, 1 / 3, 0, 0, None, 0, 0, 2, 1)
    zero = cli.json("households", "--as-of", D, "--zero-employment")["rows"]
    assert [h["household_id"] for h in zero] == ["H4"]


# --------------------------------------------------------------------------- every figure, every level


def _county_sheets(tmp_path: Path) -> list[Path]:
    """Two townships, three villages, four groups; figures worked out in the test."""

    def p(name: str, y: int, seq: int, **kw: Any) -> dict[str, object]:
        return person(name, dt.date(y, 3, 1), seq=seq, **kw)

    yi = dict(township="甲镇", village="一村")
    er = dict(township="甲镇", village="二村", group="1组")
    san = dict(township="乙乡", village="三村", group="3组")
    one = [
        p("张一", 1980, 1, group="1组", household="H101", status="县外务工", organised="是", poor="是", **yi),
        p("张二", 1982, 2, group="1组", household="H101", status="务农", poor="是", male=False, **yi),
        p("李一", 1975, 3, group="1组", household="H102", status="未就业", **yi),
        p("李二", 2012, 4, group="1组", household="H102", status="在校学生", **yi),
        # organised but not outside the county: not in organised outside
        p(
            "王一",
            1990,
            5,
            group="2组",
            household="H103",
            status="县内务工",
            relocated="是",
            organised="是",
            **yi,
        ),
        p("王二", 1992, 6, group="2组", household="H103", status="外出务工", organised="否", **yi),
        p("赵一", 1970, 7, group="2组", household="H104", status="公益性岗位", **yi),
    ]
    two = [
        p("陈一", 1985, 8, household="H201", status="扶贫车间", poor="是", **er),
        p("陈二", 1988, 9, household="H202", status="务农", **er),
        p("陈三", 1950, 10, household="H202", status="县外务工", poor="是", **er),  # 76: not LF, not poor LF
        p("周一", 1995, 11, household="H203", status="其他", **er),
    ]
    three = [
        p("孙一", 1986, 12, household="H301", status="自主创业", **san),
        p("孙二", 1987, 13, household="H301", status="灵活就业", **san),
        p("吴一", 1979, 14, household="H302", status="县外务工", organised="是", poor="是", **san),
    ]
    return [
        write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", one),
        write_xlsx(tmp_path / "甲镇_二村_2026-11.xlsx", two),
        write_xlsx(tmp_path / "乙乡_三村_2026-11.xlsx", three),
    ]


# Hand computation (LF = labour force; tr = transferred; out = 县外务工; org = organised outside):
#   一村 1组: 张一 LF tr out org poor; 张二 LF poor; 李一 LF; 李二 student.
#             LF 3, tr 1, out 1, org 1, poor 2, poor tr 1; households H101, H102; zero H102.
#   一村 2组: 王一 LF tr poor(relocated), organised but 县内; 王二 LF tr out (外出务工 = 县外务工), not organised,
#             poor as a member of 王一's relocated household H103; 赵一 LF tr.
#             LF 3, tr 3, out 1, org 0 (rate 0.0), poor 2, poor tr 2; households H103, H104; zero 0.
#   二村 1组: 陈一 LF tr poor; 陈二 LF, poor (H202 is poor through 陈三); 陈三 76, not LF (his job does
#             not save H202); 周一 LF (其他).
#             LF 3, tr 1, out 0 (organised rate null), poor 2, poor tr 1; households 3; zero H202, H203.
#   三村 3组: 孙一 LF tr; 孙二 LF tr; 吴一 LF tr out org poor.
#             LF 3, tr 3, out 1, org 1, poor 1, poor tr 1; households 2; zero 0.
G1 = (3, 1, 1 / 3, 1, 1, 1.0, 2, 1, 2, 1)
G2 = (3, 3, 1.0, 1, 0, 0.0, 2, 2, 2, 0)
V1 = (6, 4, 4 / 6, 2, 1, 0.5, 4, 3, 4, 1)
V2 = (3, 1, 1 / 3, 0, 0, None, 2, 1, 3, 2)
V3 = (3, 3, 1.0, 1, 1, 1.0, 1, 1, 2, 0)
T_JIA = (9, 5, 5 / 9, 2, 1, 0.5, 6, 4, 7, 3)
COUNTY = (12, 8, 8 / 12, 3, 2, 2 / 3, 7, 5, 9, 3)


def test_every_figure_at_county_township_village_and_group(cli: Cli, tmp_path: Path) -> None:
    for f in _county_sheets(tmp_path):
        _import(cli, f)
    county = _rates(cli, "county")
    assert _total(county) == COUNTY
    assert [_by_place(county)[()]] == [COUNTY]
    township = _rates(cli, "township")
    assert _by_place(township) == {("甲镇",): T_JIA, ("乙乡",): V3}
    assert _total(township) == COUNTY
    village = _rates(cli, "village")
    assert _by_place(village) == {("甲镇", "一村"): V1, ("甲镇", "二村"): V2, ("乙乡", "三村"): V3}
    assert _total(village) == COUNTY
    group = _rates(cli, "group")
    assert _by_place(group) == {
        ("甲镇", "一村", "1组"): G1,
        ("甲镇", "一村", "2组"): G2,
        ("甲镇", "二村", "1组"): V2,
        ("乙乡", "三村", "3组"): V3,
    }
    assert _total(group) == COUNTY
    # Coverage (户有一人就业) = 1 - zero / households: county 1 - 3/9.
    assert county["total"]["coverage"] == 1 - 3 / 9
    cov = {r["village"]: r["coverage"] for r in village["rows"]}
    assert cov == {"一村": 1 - 1 / 4, "二村": 1 - 2 / 3, "三村": 1.0}
    # Rows come in code-point order of township then village: 乙 (U+4E59) before 甲 (U+7532).
    assert [r["village"] for r in village["rows"]] == ["三村", "一村", "二村"]


def test_zero_employment_households_list_members_with_masked_ids(cli: Cli, tmp_path: Path) -> None:
    for f in _county_sheets(tmp_path):
        _import(cli, f)
    res = cli.json("households", "--as-of", D, "--zero-employment")
    assert res["as_of"] == D
    # H102 (李一 未就业, 李二 a student), H202 (陈二 务农; 陈三 76 works but is not LF), H203 (周一 其他);
    # each with 1 labour-force member; every current member is listed.
    got = [
        (h["township"], h["village"], h["household_id"], h["labour_force"], [m["name"] for m in h["members"]])
        for h in res["rows"]
    ]
    assert sorted(got) == [
        ("甲镇", "一村", "H102", 1, ["李一", "李二"]),
        ("甲镇", "二村", "H202", 1, ["陈二", "陈三"]),
        ("甲镇", "二村", "H203", 1, ["周一"]),
    ]
    li = make_id(dt.date(1975, 3, 1), 3, True)
    members = {m["name"]: m for h in res["rows"] for m in h["members"]}
    assert members["李一"]["id_number"] == li[:6] + "********" + li[-4:]
    assert members["李一"]["employment_status"] == "未就业"
    assert members["李二"]["employment_status"] == "在校学生"
    whole = cli.json("households", "--as-of", D, "--zero-employment", "--show-pii")
    ids = {m["name"]: m["id_number"] for h in whole["rows"] for m in h["members"]}
    assert ids["李一"] == li
    assert ids["陈三"] == make_id(dt.date(1950, 3, 1), 10, True)
    # Without --zero-employment: the 9 households with labour.
    assert len(cli.json("households", "--as-of", D)["rows"]) == 9


def test_csv_rates_carry_the_same_numbers_as_json(cli: Cli, tmp_path: Path) -> None:
    import csv
    import io

    for f in _county_sheets(tmp_path):
        _import(cli, f)
    r = cli("rates", "--as-of", D, "--by", "village", "--format", "csv")
    assert r.exit_code == 0, r.output
    lines = list(csv.DictReader(io.StringIO(r.stdout)))
    js = _rates(cli, "village")
    assert len(lines) == len(js["rows"]) + 1  # the villages and a total line
    for row, want in zip(lines, [*js["rows"], js["total"]], strict=True):
        for k in FIGS:
            v = want[k]
            if v is None:
                assert row[k] == "", (k, row)
            elif isinstance(v, float):
                assert float(row[k]) == v, (k, row)
            else:
                assert int(row[k]) == v, (k, row)
    assert [r["village"] for r in lines[:3]] == ["三村", "一村", "二村"]  # 乙 (U+4E59) < 甲 (U+7532)
    assert lines[3]["labour_force"] == "12" and float(lines[3]["transfer_rate"]) == 8 / 12


# --------------------------------------------------------------------------- new transfers


def test_new_transfers_in_the_year_from_job_start_or_first_transferred_sheet(
    cli: Cli, tmp_path: Path
) -> None:
    b = dt.date(1990, 1, 1)

    def month(st: dict[str, str]) -> list[dict[str, object]]:
        people = [
            ("甲", 1, "县外务工", dt.date(2026, 3, 1)),  # job began 2026-03-01
            ("乙", 2, "县外务工", dt.date(2025, 12, 31)),  # job began last year
            ("丙", 3, st["丙"], ""),  # 务农, 务农, then 县内务工 in 2026-11
            ("丁", 4, "县外务工", ""),  # transferred in every sheet: beginning unknown
            ("戊", 5, st["戊"], ""),  # 务农 in 2025-12, 县外务工 from 2026-10
            ("己", 6, "务农", dt.date(2026, 5, 1)),  # a start date but not transferred
        ]
        rows = [person(n, b, seq=s, household=f"H{s}", status=x, job_start=j) for n, s, x, j in people]
        # 庚 is 70: his 2026 job is not a new transfer of the labour force.
        rows.append(person("庚", dt.date(1956, 1, 1), seq=7, household="H7", job_start=dt.date(2026, 4, 1)))
        return rows

    _sheet(cli, tmp_path, "甲镇_一村_2025-12.xlsx", month({"丙": "务农", "戊": "务农"}))
    _sheet(cli, tmp_path, "甲镇_一村_2026-10.xlsx", month({"丙": "务农", "戊": "县外务工"}))
    _sheet(cli, tmp_path, "甲镇_一村_2026-11.xlsx", month({"丙": "县内务工", "戊": "县外务工"}))

    def new(as_of: str, by: str = "county") -> int:
        n: int = _rates(cli, by, as_of)["total"]["new_transfers"]
        return n

    # D = 2026-11-30, year 2026: 甲 (2026-03-01), 丙 (first transferred sheet 2026-11-30 after 务农),
    # 戊 (2026-10-31 after 务农 in 2025-12) = 3. Not: 乙 (2025), 丁 (unknown), 己 (务农), 庚 (70).
    assert new(D) == 3
    assert _by_place(_rates(cli, "group"), ("new_transfers",)) == {("甲镇", "一村", "1组"): (3,)}
    # D = 2026-10-31: 甲 and 戊 (2026-10-31 is in [2026-01-01, D]); 丙 still 务农 = 2.
    assert new("2026-10-31") == 2
    # D = 2025-12-31, year 2025: 乙 (2025-12-31) = 1; 甲's job starts after D.
    assert new("2025-12-31") == 1


# --------------------------------------------------------------------------- age and identity


def test_age_from_id_digits_else_birth_date_and_unknown_or_unverified_are_counted(
    cli: Cli, tmp_path: Path
) -> None:
    adult, child = dt.date(1990, 1, 1), dt.date(2012, 1, 1)
    bad_date_body = "530627" + "19901340" + "011"  # month 13: the ID's date digits are not a date
    bad_date_id = bad_date_body + check_digit(bad_date_body)
    good_1990 = make_id(adult, 3)
    bad_check = good_1990[:17] + ("0" if good_1990[17] != "0" else "1")  # digits 1990-01-01, wrong check
    rows = [
        # Valid ID says 2012 (14 years old), 出生日期 says 1990: the ID wins, not labour force.
        person("证为童", child, seq=1, household="H1", birth_cell=adult),
        # ID date digits are no date: age from 出生日期 1990 (36), in; identity unverified.
        person("坏日甲", adult, household="H2", id_number=bad_date_id),
        # Same ID trouble, 出生日期 2012: 14, out.
        person("坏日乙", child, household="H3", id_number=bad_date_id.replace("011", "021")),
        # Wrong check digit but the date digits read 1990-01-01: docs/rules.md takes the age from them
        # ("when they form a valid date"), so 36 although 出生日期 says 2012; unverified.
        person("校验错", child, household="H4", id_number=bad_check),
        # No ID, 出生日期 1985: in, unverified.
        person("无证", dt.date(1985, 6, 1), household="H5", id_number=""),
        # No ID, no 出生日期: age unknown, counted and flagged; unverified.
        person("不详", adult, household="H6", id_number="", birth_cell=""),
    ]
    rep = _import(cli, write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", rows))
    assert rep["files"][0]["rows_imported"] == 6
    # LF: 坏日甲, 校验错, 无证, 不详 = 4, all 县外务工; unverified 4; unknown age 1 (不详).
    keys = ("labour_force", "transferred", "households", "unknown_age", "unverified")
    assert _total(_rates(cli, "county"), keys) == (4, 4, 4, 1, 4)
    assert _by_place(_rates(cli, "village"), keys) == {("甲镇", "一村"): (4, 4, 4, 1, 4)}
    assert _by_place(_rates(cli, "group"), keys) == {("甲镇", "一村", "1组"): (4, 4, 4, 1, 4)}
    # CSV carries both counts too (the last two columns).
    csv_out = cli("rates", "--as-of", D, "--by", "county", "--format", "csv").stdout.splitlines()
    assert csv_out[0].endswith(",unknown_age,unverified") and csv_out[-1].endswith(",1,4")
    lf = {
        m["name"]
        for h in cli.json("households", "--as-of", D)["rows"]
        for m in h["members"]
        if m["in_labour_force"]
    }
    assert lf == {"坏日甲", "校验错", "无证", "不详"}


# --------------------------------------------------------------------------- snapshots and identity


def test_person_who_moved_is_counted_once_in_the_village_with_the_latest_sheet(
    cli: Cli, tmp_path: Path
) -> None:
    b = dt.date(1990, 1, 1)
    _sheet(
        cli,
        tmp_path,
        "甲镇_一村_2026-10.xlsx",
        [
            person("迁者", b, household="A1", status="县外务工", seq=1),
            person("留者", b, seq=2, household="A2", status="务农"),
        ],
    )
    two = [
        person("迁者", b, village="二村", household="B1", status="县内务工", seq=1),
        person("本地", b, seq=3, village="二村", household="B2", status="务农"),
    ]
    _sheet(cli, tmp_path, "甲镇_二村_2026-11.xlsx", two)
    keys = ("labour_force", "transferred", "outside_county", "households", "zero_employment_households")
    # 2026-10-31: only 一村's sheet: 迁者 (县外) and 留者 (务农): LF 2, tr 1, out 1, hh 2, zero 1.
    assert _by_place(_rates(cli, "village", "2026-10-31"), keys) == {("甲镇", "一村"): (2, 1, 1, 2, 1)}
    # 2026-11-30: 一村's current sheet still lists him, but 二村's (2026-11) is newer:
    # 一村 = 留者 only (LF 1, tr 0, hh 1, zero 1); 二村 = 迁者 县内 + 本地 (LF 2, tr 1, out 0, hh 2, zero 1).
    res = _rates(cli, "village")
    assert _by_place(res, keys) == {("甲镇", "一村"): (1, 0, 0, 1, 1), ("甲镇", "二村"): (2, 1, 0, 2, 1)}
    assert _total(res, keys) == (3, 1, 0, 3, 2)  # counted once
    # 一村's December sheet lists him again (务农): now that is the most recent, he counts there.
    again = [
        person("迁者", b, household="A1", status="务农", seq=1),
        person("留者", b, seq=2, household="A2", status="务农"),
    ]
    _sheet(cli, tmp_path, "甲镇_一村_2026-12.xlsx", again)
    res = _rates(cli, "village", "2026-12-31")
    assert _by_place(res, keys) == {("甲镇", "一村"): (2, 0, 0, 2, 2), ("甲镇", "二村"): (1, 0, 0, 1, 1)}
    assert _total(res, keys) == (3, 0, 0, 3, 3)


def test_person_in_two_villages_same_as_of_counts_in_the_first_by_township_then_village(
    cli: Cli, tmp_path: Path
) -> None:
    b = dt.date(1990, 1, 1)
    # 二村 imported first; 双一 is in 甲镇/二村 (务农) and 甲镇/一村 (县外务工): 一 < 二, so 一村.
    # 双二 is in 甲镇/一村 (县外务工) and 乙乡/三村 (务农): township first, 乙 < 甲, so 三村,
    # although 一村 < 三村 by village name.
    sheets = {
        "甲镇_二村_2026-11.xlsx": [
            person("双一", b, seq=1, village="二村", household="E1", status="务农"),
            person("二村人", b, seq=2, village="二村", household="E2", status="务农"),
        ],
        "甲镇_一村_2026-11.xlsx": [
            person("双一", b, seq=1, household="Y1", status="县外务工"),
            person("双二", b, seq=3, household="Y2", status="县外务工"),
        ],
        "乙乡_三村_2026-11.xlsx": [
            person("双二", b, seq=3, township="乙乡", village="三村", household="S1", status="务农"),
        ],
    }
    for name, rows in sheets.items():
        _sheet(cli, tmp_path, name, rows)
    keys = ("labour_force", "transferred", "households", "zero_employment_households")
    # 一村: 双一 (县外) = LF 1, tr 1, hh Y1, zero 0 (Y2's only member counts elsewhere).
    # 二村: 二村人 = LF 1, tr 0, hh 1, zero 1.  三村: 双二 (务农) = LF 1, tr 0, hh 1, zero 1.
    res = _rates(cli, "village")
    assert _by_place(res, keys) == {
        ("甲镇", "一村"): (1, 1, 1, 0),
        ("甲镇", "二村"): (1, 0, 1, 1),
        ("乙乡", "三村"): (1, 0, 1, 1),
    }
    assert _total(res, keys) == (3, 1, 3, 2)
    # Both cases are listed for review.
    clusters = cli.json("dedup", "--as-of", D)["clusters"]
    names = sorted({r["name"] for c in clusters for r in c["records"]})
    assert (len(clusters), names) == (2, ["双一", "双二"])


def test_update_after_a_snapshot_changes_one_status_until_the_next_snapshot(cli: Cli, tmp_path: Path) -> None:
    b = dt.date(1990, 1, 1)
    base = [
        person("张", b, seq=1, household="H1", status="务农"),
        person("李", b, seq=2, household="H2", status="务农"),
        person("王", b, seq=3, household="H3", status="县外务工", organised="是"),
    ]
    _sheet(cli, tmp_path, "甲镇_一村_2026-10.xlsx", base)
    upd = [person("张", b, seq=1, household="H1", status="县外务工")]
    _sheet(cli, tmp_path, "甲镇_一村_周报.xlsx", upd, "--as-of", "2026-11-15", "--mode", "update")
    keys = (
        "labour_force",
        "transferred",
        "outside_county",
        "organised_outside",
        "organised_rate",
        "zero_employment_households",
        "new_transfers",
    )
    # Before the update (11-10): LF 3, tr 1 (王), out 1, org 1 (rate 1.0), zero H1 H2 = 2, new 0.
    assert _total(_rates(cli, "county", "2026-11-10"), keys) == (3, 1, 1, 1, 1.0, 2, 0)
    # After (11-30): 张 县外 too (李 and 王 untouched): tr 2, out 2, org 1 (rate 0.5), zero H2 = 1;
    # new 1: 张 began 2026-11-15 (first transferred row after 务农); 王's beginning is unknown.
    after = (3, 2, 2, 1, 0.5, 1, 1)
    assert _total(_rates(cli, "county"), keys) == after
    assert _by_place(_rates(cli, "group"), keys) == {("甲镇", "一村", "1组"): after}
    # The December snapshot (张 务农 again) replaces the village, update included.
    _sheet(cli, tmp_path, "甲镇_一村_2026-12.xlsx", base)
    assert _total(_rates(cli, "county", "2026-12-31"), keys) == (3, 1, 1, 1, 1.0, 2, 0)


# --------------------------------------------------------------------------- households


def test_household_totals_agree_with_the_household_lists_when_villages_reuse_a_number(
    cli: Cli, tmp_path: Path
) -> None:
    b = dt.date(1990, 1, 1)
    _sheet(cli, tmp_path, "甲镇_一村_2026-11.xlsx", [person("甲", b, seq=1, household="H001", status="务农")])
    two = [person("丁", b, seq=4, village="二村", household="H001", status="县外务工")]
    _sheet(cli, tmp_path, "甲镇_二村_2026-11.xlsx", two)
    # Whatever H001 means (one household per village, or one county-wide), the county total of
    # households with labour and of zero-employment households must be the lists' lengths.
    listed = len(cli.json("households", "--as-of", D)["rows"])
    zero = len(cli.json("households", "--as-of", D, "--zero-employment")["rows"])
    total = _rates(cli, "county")["total"]
    assert (total["households"], total["zero_employment_households"]) == (listed, zero)
    township = _rates(cli, "township")["rows"][0]
    assert (township["households"], township["zero_employment_households"]) == (listed, zero)


def test_poor_labour_is_every_labour_force_member_of_a_poor_household(cli: Cli, tmp_path: Path) -> None:
    b = dt.date(1990, 1, 1)
    rows = [
        person("户主", b, seq=1, household="H1", status="县外务工", poor="是"),
        person("配偶", b, seq=2, household="H1", status="务农", poor="", relation="配偶"),  # cell left empty
        person("儿子", b, seq=3, household="H2", status="县外务工", relocated="是"),
        person("儿媳", b, seq=4, household="H2", status="县内务工", relocated="", relation="儿媳"),
    ]
    _sheet(cli, tmp_path, "甲镇_一村_2026-11.xlsx", rows)
    # H1 is a poor household, H2 a relocated one: all four are poor labour; transferred 3.
    keys = ("poor_labour_force", "poor_transferred")
    assert _total(_rates(cli, "county"), keys) == (4, 3)


def test_a_household_split_between_a_snapshot_and_an_update_is_one_household(
    cli: Cli, tmp_path: Path
) -> None:
    old, young = dt.date(1950, 3, 1), dt.date(1990, 1, 1)
    base = [
        # H1: an elderly 户主 marked 脱贫户 (not labour force) and a farming son.
        person("老户主", old, seq=1, household="H1", status="务农", poor="是"),
        person("儿子", young, seq=2, household="H1", status="务农", poor="", relation="子"),
        person("邻居", young, seq=3, household="H2", status="务农"),
    ]
    _sheet(cli, tmp_path, "甲镇_一村_2026-10.xlsx", base)
    # The weekly update lists only the daughter-in-law of H1, newly gone to work outside.
    upd = [person("儿媳", young, seq=4, household="H1", status="县外务工", poor="", relation="儿媳")]
    _sheet(cli, tmp_path, "甲镇_一村_周报.xlsx", upd, "--as-of", "2026-11-15", "--mode", "update")
    keys = (
        "labour_force",
        "transferred",
        "households",
        "zero_employment_households",
        "poor_labour_force",
        "poor_transferred",
    )
    # LF: 儿子, 邻居, 儿媳 = 3; transferred 1 (儿媳). Households with labour: H1 (on both sheets,
    # one household) and H2 = 2; zero-employment: H2 only = 1. H1 is poor through its 户主,
    # who is not labour force: 儿子 and 儿媳 are poor labour (2), 儿媳 transferred (1).
    expected = (3, 1, 2, 1, 2, 1)
    assert _total(_rates(cli, "county"), keys) == expected
    assert _by_place(_rates(cli, "village"), keys) == {("甲镇", "一村"): expected}
    zero = cli.json("households", "--as-of", D, "--zero-employment")["rows"]
    assert [h["household_id"] for h in zero] == ["H2"]
    listed = cli.json("households", "--as-of", D)["rows"]
    h1 = next(h for h in listed if h["household_id"] == "H1")
    assert sorted(m["name"] for m in h1["members"]) == ["儿媳", "儿子", "老户主"]
