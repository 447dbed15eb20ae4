"""The sample county's training roster (培训花名册), for `laborcli training import` and the
training steps of the README.

The trainees are persons of the sample county as its sheets list them: the sheets just
written are imported into a scratch registry and read back, so the roster names real
persons (their ID, birth date, village) and what the records lead to follows from the
sheets: trainees who were not working and are transferred within three months after
their course (employed after training), trainees who stay home, order training placed
with the order employer (the 就业单位 a later sheet gives) and one placed elsewhere, a
person trained twice, records without an ID (linked by name, birth date and village),
courses by alias type (技能培训, 实用技术, 订单培训, 岗前军训式培训), courses in the trades of
the demand sheet, courses still inside their window on 30 November, and one row whose
结束日期 is before its 开始日期 (rejected). Deterministic: the same sheets give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from laborcli.registry.engine import open_registry
from laborcli.registry.tables import rows
from laborcli.roster.importing import import_files
from laborcli.sample.writers import SheetCell, xlsx_bytes
from laborcli.sheets.checking import Settings
from laborcli.sheets.safe import write_whole
from laborcli.sheets.schema import load_schema

NAME = "培训花名册_2026年.xlsx"
HEADERS = [
    "姓名", "身份证号码", "乡镇(街道)", "村(社区)", "培训类别", "培训工种", "培训机构", "开始日期", "结束日期",
    "是否取得证书", "订单企业", "出生日期", "联系电话",
]  # fmt: skip
SCHOOL = "云岭县职业技术学校"
CENTRE = "云岭县就业训练中心"
FARM = "云岭县农业技术推广站"


@dataclass(slots=True)
class _Person:
    name: str
    id_number: str
    birth: dt.date | None
    township: str
    village: str
    phone: str | None
    status: dict[dt.date, tuple[bool, str | None]] = field(default_factory=dict)

    def transferred(self, d: dt.date) -> bool:
        return self.status.get(d, (False, None))[0]


def _people(sample: Path) -> tuple[list[_Person], list[dt.date]]:
    """Every person with a valid ID listed in every month, as the sheets say (imported into
    a scratch registry, the way an office would read them)."""
    files = sorted(p for p in sample.glob("20*-*/*.xlsx"))
    with tempfile.TemporaryDirectory() as tmp:
        reg = open_registry(str(Path(tmp) / "scratch.db"))
        try:
            import_files(reg, files, Settings(schema=load_schema(), today=dt.date(2026, 12, 1)), as_of=None)
            with reg.reading() as conn:
                found = conn.execute(
                    sa.select(
                        rows.c.person_key,
                        rows.c.as_of,
                        rows.c.transferred,
                        rows.c.employer,
                        rows.c.name,
                        rows.c.id_number,
                        rows.c.birth_eff,
                        rows.c.township,
                        rows.c.village,
                        rows.c.phone,
                    )
                    .where(rows.c.id_valid == sa.true())
                    .order_by(rows.c.person_key, rows.c.as_of)
                ).all()
        finally:
            reg.close()
    months = sorted({r.as_of for r in found})
    by: dict[str, _Person] = {}
    for r in found:
        p = by.setdefault(
            r.person_key, _Person(r.name, r.id_number, r.birth_eff, r.township, r.village, r.phone)
        )
        p.status[r.as_of] = (bool(r.transferred), r.employer)
    whole = [p for _, p in sorted(by.items()) if len(p.status) == len(months) and p.birth is not None]
    return whole, months


def _row(
    p: _Person,
    kind: str,
    trade: str,
    school: str,
    start: str,
    end: str,
    *,
    certificate: str = "否",
    order: str = "",
    with_id: bool = True,
) -> list[SheetCell]:
    return [
        p.name,
        p.id_number if with_id else None,
        p.township,
        p.village,
        kind,
        trade,
        school,
        start,
        end,
        certificate,
        order or None,
        None if with_id or p.birth is None else p.birth.isoformat(),
        None if with_id else p.phone,
    ]


def training_rows(sample: Path, seed: int) -> list[list[SheetCell]]:
    """The roster's rows (see the module's docstring for what each group shows)."""
    people, months = _people(sample)
    jun, jul, aug, sep, _, nov = months[-6:]
    rng = random.Random(f"{seed}/training")
    rng.shuffle(people)
    adults = [p for p in people if p.birth is not None and 18 <= (nov.year - p.birth.year) <= 50]
    home = [p for p in adults if not any(p.transferred(d) for d in months)]
    # Not working in June and July, transferred on 31 August or 30 September: inside the
    # window of a course ending in July.
    later = [
        p
        for p in adults
        if not p.transferred(jun) and not p.transferred(jul) and (p.transferred(aug) or p.transferred(sep))
    ]
    # Of those, the ones whose September 就业单位 is a company (an order employer's name).
    employed_sep = [
        p
        for p in later
        if p.transferred(sep)
        and len(p.status[sep][1] or "") >= 6
        and (p.status[sep][1] or "").endswith(("公司", "厂"))
    ]
    taken: set[str] = set()

    def pick(pool: list[_Person], n: int) -> list[_Person]:
        out = [p for p in pool if p.id_number not in taken][:n]
        taken.update(p.id_number for p in out)
        return out

    out: list[list[SheetCell]] = []
    # Order training: placed with the order employer (its 就业单位 in September), and one
    # whose order employer is another company (placed elsewhere).
    for p in pick(employed_sep, 3):
        out.append(
            _row(
                p,
                "订单培训",
                "电子设备装接工",
                CENTRE,
                "2026-07-06",
                "2026-07-24",
                certificate="是",
                order=p.status[sep][1] or "",
            )
        )
    for p in pick(employed_sep, 1):
        out.append(
            _row(
                p,
                "岗前培训",
                "电子设备装接工",
                CENTRE,
                "2026-07-06",
                "2026-07-24",
                order="浙江宁海汇丰电子有限公司",
            )
        )
    # Skills training, then work within three months (two without an ID, by alias type).
    for i, p in enumerate(pick(later, 6)):
        kind = "技能培训" if i % 3 == 0 else "职业技能培训"
        out.append(
            _row(
                p,
                kind,
                "焊工",
                SCHOOL,
                "2026-06-15",
                "2026-07-15",
                certificate="是" if i % 2 else "否",
                with_id=i >= 2,
            )
        )
    # Trained and still at home; some in the trades of the demand sheet (砌筑工, 钢筋工).
    stay = pick(home, 10)
    for i, p in enumerate(stay[:4]):
        out.append(
            _row(
                p,
                "特色工种培训",
                "砌筑工" if i % 2 else "钢筋工",
                SCHOOL,
                "2026-08-03",
                "2026-08-21",
                certificate="是",
            )
        )
    for i, p in enumerate(stay[4:8]):
        kind = "实用技术" if i == 0 else "农村实用技术培训"
        out.append(_row(p, kind, "种植", FARM, "2026-06-01", "2026-06-05", with_id=i != 1))
    # Trained twice: a second course, still inside its window on 30 November.
    twice = stay[0]
    out.append(_row(twice, "职业技能培训", "电工", SCHOOL, "2026-10-12", "2026-10-30"))
    # Courses ending in the autumn, inside their window on 30 November.
    for p in stay[8:10]:
        out.append(_row(p, "岗前军训式培训", "普工", CENTRE, "2026-11-02", "2026-11-13"))
    # A row with 结束日期 before 开始日期: rejected and listed.
    bad = pick(home, 1)
    if bad:
        out.append(_row(bad[0], "职业技能培训", "焊工", SCHOOL, "2026-09-20", "2026-09-02"))
    return out


def write_training_roster(out_dir: Path, seed: int) -> str:
    """Write the roster into ``out_dir`` (which holds the sample's monthly sheets); its name."""
    title: list[SheetCell] = ["云岭县2026年培训花名册"]
    data = xlsx_bytes(
        [title, list(HEADERS), *training_rows(out_dir, seed)],
        sheet="培训花名册",
        merges=["A1:M1"],
        widths=[8, 21, 10, 10, 14, 14, 20, 12, 12, 8, 26, 12, 13],
        when=dt.date(2026, 11, 25),
    )
    write_whole(out_dir / NAME, data, sync=False)  # a sample is made again at will
    return NAME
