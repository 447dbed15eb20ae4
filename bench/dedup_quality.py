"""Duplicate finding: precision, recall and time on a generated set with known duplicates,
laborcli's matcher side by side with splink (Fellegi-Sunter on DuckDB) on the same rows.

    python bench/dedup_quality.py                    # 200,000 persons, ~10,000 true pairs
    python bench/dedup_quality.py --persons 50000    # quicker
    python bench/dedup_quality.py --no-splink        # laborcli only

splink is a benchmark-only dependency (``pip install '.[bench]'``); without it the splink
column says so. The set is synthetic Chinese person rows: households in villages, valid
IDs, phones shared within a household, and namesakes (same name and birth date, different
valid IDs) that must NOT match. Duplicates are second registrations in another village of
the same township: ID left out, a homophone name without ID, one ID digit mistyped, two
adjacent ID digits swapped, an ID that Excel turned into a number (last digits lost).
A pair counts as found when the matcher scores it at or above its "probable" threshold.
The figures go to ``docs/benchmarks.md`` by hand from this script's output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import random
import time
from dataclasses import dataclass

from laborcli.identity.keys import UNVERIFIED_PREFIX, is_verified, verified_key
from laborcli.identity.matching import Rec, candidate_pairs, score
from laborcli.identity.names import name_pinyin, surname_keys
from laborcli.policy import DedupPolicy
from laborcli.sheets.idcard import check_digit

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛"
)
GIVEN = (
    "国建明华文军平志伟勇强刚林海斌涛杰波辉鹏超磊浩宇俊峰鑫龙成德富贵忠荣福祥云飞洪兵"
    "江松立昌学光永发才金兴秀英芳丽莉兰梅红玲燕霞琴敏静娟艳萍凤琳婷雪慧玉珍桂芬丹倩欣"
    "怡颖洁"
)
HOMOPHONES = {"丽": "莉", "莉": "丽", "华": "花", "芳": "方", "红": "洪", "英": "瑛", "明": "鸣", "平": "萍"}
HOMOPHONES |= {"萍": "平", "兰": "岚", "燕": "艳", "艳": "燕", "静": "靖", "敏": "民", "军": "君", "伟": "玮"}
KINDS = (("no_id", 0.3), ("homophone", 0.15), ("typo", 0.25), ("swap", 0.15), ("float", 0.15))


@dataclass(frozen=True, slots=True)
class Truth:
    """The generated rows and the true duplicate pairs (by row index, lower first)."""

    recs: list[Rec]
    pairs: set[tuple[int, int]]


def _id(rng: random.Random, area: str, birth: dt.date, male: bool) -> str:
    seq = rng.randrange(0, 100) * 10 + rng.choice((1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    return body + check_digit(body)


def _name(rng: random.Random, surname: str) -> str:
    return surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 2))))


def generate(persons: int, dup_share: float, seed: int) -> Truth:
    """Persons in households and villages, then second registrations with known origin."""
    rng = random.Random(seed)
    villages = [
        (f"镇{t:02d}", f"村{t:02d}{v:02d}") for t in range(max(1, persons // 10000)) for v in range(12)
    ]
    recs: list[Rec] = []
    used: set[str] = set()

    def add(
        key: str,
        place: tuple[str, str],
        name: str,
        idn: str | None,
        birth: dt.date | None,
        gender: str | None,
        phone: str | None,
        hh: str,
    ) -> None:
        """One row: row ids follow the order added; valid means a real ID key."""
        n = len(recs)
        recs.append(
            Rec(
                n,
                n,
                key,
                "gen",
                "s",
                n + 2,
                *place,
                name,
                idn,
                is_verified(key),
                birth,
                gender,
                phone,
                hh,
                key,
            )
        )

    while len(recs) < persons:
        township, village = rng.choice(villages)
        hh = f"H{len(recs):07d}"
        surname = rng.choice(SURNAMES)
        phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}" if rng.random() < 0.7 else None
        for _ in range(rng.choice((1, 2, 3, 3, 4, 4, 5, 6))):
            male = rng.random() < 0.5
            birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(50 * 365))
            idn = _id(rng, rng.choice(("530627", "530628", "530621")), birth, male)
            if idn in used:
                continue
            used.add(idn)
            name = _name(rng, surname)
            gender = "男" if male else "女"
            add(
                verified_key(idn),
                (township, village),
                name,
                idn,
                birth,
                gender,
                phone if rng.random() < 0.8 else None,
                hh,
            )
            if rng.random() < 0.01:  # a namesake born the same day: another person, another valid ID
                other = _id(rng, "530627", birth, male)
                if other not in used:
                    used.add(other)
                    place = rng.choice(villages)
                    add(verified_key(other), place, name, other, birth, gender, None, f"H{len(recs):07d}")
    originals = list(recs)
    pairs: set[tuple[int, int]] = set()
    kinds, weights = zip(*KINDS, strict=True)
    for orig in rng.sample(originals, int(len(originals) * dup_share)):
        kind = rng.choices(kinds, weights)[0]
        same_town = [v for v in villages if v[0] == orig.township and v != (orig.township, orig.village)]
        township, village = rng.choice(same_town or villages)
        name, idn = orig.name, orig.id_number or ""
        if kind == "homophone":
            j = next((i for i in range(1, len(name)) if name[i] in HOMOPHONES), None)
            if j is None:
                continue
            name, idn = name[:j] + HOMOPHONES[name[j]] + name[j + 1 :], ""
        elif kind == "no_id":
            idn = ""
        elif kind == "typo":
            i = rng.randrange(17)
            idn = idn[:i] + str((int(idn[i]) + rng.randrange(1, 10)) % 10) + idn[i + 1 :]
        elif kind == "swap":
            i = rng.randrange(16)
            if idn[i] == idn[i + 1]:
                continue
            idn = idn[:i] + idn[i + 1] + idn[i] + idn[i + 2 :]
        elif kind == "float":
            idn = idn[:15] + "000"
        valid = len(idn) == 18 and idn[:17].isdigit() and check_digit(idn[:17]) == idn[17]
        if valid:
            continue  # the change happened to give another valid ID: not a duplicate we can see
        phone = orig.phone if rng.random() < 0.5 else None
        hh = f"H{len(recs):07d}"
        add(
            UNVERIFIED_PREFIX + str(len(recs)),
            (township, village),
            name,
            idn or None,
            orig.birth,
            orig.gender,
            phone,
            hh,
        )
        pairs.add((orig.idx, len(recs) - 1))
    return Truth(recs, pairs)


def laborcli_pairs(recs: list[Rec], w: DedupPolicy) -> set[tuple[int, int]]:
    """Pairs laborcli would list for review (score at or above the probable threshold)."""
    out = set()
    for i, j in candidate_pairs(recs):
        a, b = recs[i], recs[j]
        if a.id_valid and b.id_valid:
            continue
        if score(a, b, w).score >= w.probable:
            out.add((i, j))
    return out


def splink_pairs(recs: list[Rec], threshold: float) -> set[tuple[int, int]]:
    """splink 5 on DuckDB with the same evidence and blocking keys laborcli uses."""
    import pandas as pd
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    df = pd.DataFrame(
        {
            "unique_id": [r.idx for r in recs],
            "name": [r.name for r in recs],
            "name_py": [name_pinyin(r.name) for r in recs],
            "surname_py": [(surname_keys(r.name) or ("",))[0] for r in recs],
            "birth": [r.birth.isoformat() if r.birth else None for r in recs],
            "gender": [r.gender for r in recs],
            "phone": [r.phone for r in recs],
            "household": [f"{r.village}/{r.household_id}" for r in recs],
            "village": [r.village for r in recs],
            "id_number": [r.id_number for r in recs],
            "id_mask": [r.id_number[:6] + r.id_number[14:] if r.id_number else None for r in recs],
        }
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("birth", "surname_py"),
            block_on("phone"),
            block_on("household", "name_py"),
            block_on("village", "name_py"),
            block_on("id_mask"),
        ],
        comparisons=[
            cl.ExactMatch("name_py"),
            cl.JaroWinklerAtThresholds("name", [0.9, 0.7]),
            cl.ExactMatch("birth"),
            cl.ExactMatch("gender"),
            cl.ExactMatch("phone"),
            cl.LevenshteinAtThresholds("id_number", [1, 2]),
            cl.ExactMatch("village"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(DuckDBAPI().register(df), settings, log_level=logging.ERROR)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth", "surname_py"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name_py"))
    pred = linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()
    out = set()
    valid = {r.idx for r in recs if r.id_valid}
    for a, b in zip(pred["unique_id_l"], pred["unique_id_r"], strict=True):
        a, b = int(a), int(b)
        if a in valid and b in valid:
            continue  # two different valid IDs are two people: the same rule laborcli applies
        out.add((min(a, b), max(a, b)))
    return out


def quality(found: set[tuple[int, int]], truth: set[tuple[int, int]]) -> tuple[float, float, int]:
    """Precision, recall and the number of false pairs."""
    tp = len(found & truth)
    return (tp / len(found) if found else 1.0), (tp / len(truth) if truth else 1.0), len(found - truth)


def main() -> None:
    """Generate, match with both tools, print one line each."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persons", type=int, default=200_000)
    ap.add_argument("--dup-share", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-splink", action="store_true")
    ap.add_argument("--splink-threshold", type=float, default=0.9)
    args = ap.parse_args()
    t = time.perf_counter()
    truth = generate(args.persons, args.dup_share, args.seed)
    print(
        f"{len(truth.recs):,} rows, {len(truth.pairs):,} true duplicate pairs ({time.perf_counter() - t:.1f} s)"
    )
    t = time.perf_counter()
    ours = laborcli_pairs(truth.recs, DedupPolicy())
    secs = time.perf_counter() - t
    p, r, fp = quality(ours, truth.pairs)
    print(f"laborcli: precision {p:.4f} recall {r:.4f} ({fp} false pairs) in {secs:.1f} s")
    if args.no_splink:
        return
    try:
        import splink  # noqa: F401
    except ImportError:
        print("splink: not installed (pip install '.[bench]')")
        return
    t = time.perf_counter()
    theirs = splink_pairs(truth.recs, args.splink_threshold)
    secs = time.perf_counter() - t
    p, r, fp = quality(theirs, truth.pairs)
    print(
        f"splink (p >= {args.splink_threshold}): precision {p:.4f} recall {r:.4f} ({fp} false pairs) in {secs:.1f} s"
    )


if __name__ == "__main__":
    main()
