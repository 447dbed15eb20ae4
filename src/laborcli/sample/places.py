"""The county's plan: townships and villages, their names and how many persons each lists."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from laborcli.errors import UsageError
from laborcli.i18n import pick

_PLACE_FIRST = (
    "青白黑红黄金银石铁龙凤马鹿云雾雨花桃梨柳松竹茶盐新大小上下东西南中高长双三五安宁平和兴隆富永太乐"
)
_PLACE_SECOND = "坪坝溪河山岭沟湾塘桥营寨屯场田林源泉冲洞岩水庄堡口"

_CN_NUM = "零一二三四五六七八九十"


def cn_number(n: int) -> str:
    """A small number in Chinese numerals (村民小组 and repeated place names: 十二)."""
    if n <= 10:
        return _CN_NUM[n]
    if n < 20:
        return "十" + _CN_NUM[n - 10]
    return _CN_NUM[n // 10] + "十" + (_CN_NUM[n % 10] if n % 10 else "")


@dataclass(frozen=True, slots=True)
class VillagePlan:
    """One village of the county and how many persons its sheet lists."""

    township: str
    village: str
    code: str  # township and village numbers: the prefix of the village's household numbers
    persons: int
    township_index: int


@dataclass(frozen=True, slots=True)
class CountyPlan:
    """The county's villages, grouped by township in order."""

    county: str
    area: str  # the county's administrative code, first six digits of most IDs
    villages: tuple[VillagePlan, ...]

    @property
    def townships(self) -> list[str]:
        """Township names in order."""
        return list(dict.fromkeys(v.township for v in self.villages))


def _split(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` shared in proportion to ``weights`` (largest remainder), each part at least 1."""
    n = len(weights)
    base = [1] * n
    rest = total - n
    s = sum(weights)
    raw = [rest * w / s for w in weights]
    parts = [math.floor(x) for x in raw]
    left = rest - sum(parts)
    order = sorted(range(n), key=lambda i: (-(raw[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return [b + p for b, p in zip(base, parts, strict=True)]


def plan_county(
    persons: int,
    seed: int = 0,
    *,
    townships: int | None = None,
    villages: int | None = None,
    county: str = "云岭县",
    area: str = "532999",
) -> CountyPlan:
    """Townships and villages for ``persons`` people.

    Villages grow with the county (about 0.27·√N of them: a dozen villages of ~170 for
    2,000 persons, ~240 of ~3,300 for 800,000, like Zhenxiong's ~260), and townships hold
    about √villages each; sizes vary by a log-normal factor, as real villages do.
    """
    if persons < 1:
        raise UsageError(pick("人数至少为 1", "persons must be at least 1"))
    rng = random.Random(f"{seed}/plan")
    n_v = villages or max(1, round(0.27 * math.sqrt(persons)))
    n_v = max(1, min(n_v, persons))
    n_t = townships or max(1, round(0.9 * math.sqrt(n_v)))
    n_t = max(1, min(n_t, n_v))
    per_t = _split(n_v, [rng.lognormvariate(0, 0.3) for _ in range(n_t)])
    sizes = _split(persons, [min(3.0, max(0.3, rng.lognormvariate(0, 0.45))) for _ in range(n_v)])
    stems = [a + b for a in _PLACE_FIRST for b in _PLACE_SECOND]
    rng.shuffle(stems)
    t_names: list[str] = []
    for i in range(n_t):
        stem = stems[i % len(stems)] + ("" if i < len(stems) else cn_number(i // len(stems) % 10))
        suffix = "街道" if (i == 0 and n_t >= 5) else ("乡" if rng.random() < 0.35 else "镇")
        t_names.append(stem + suffix)
    out: list[VillagePlan] = []
    k = 0
    for ti, (tname, nv) in enumerate(zip(t_names, per_t, strict=True)):
        pool = stems[n_t:]
        picks = rng.sample(range(len(pool)), min(nv, len(pool)))
        for vi in range(nv):
            stem = pool[picks[vi % len(picks)]] + ("" if vi < len(picks) else cn_number(vi // len(picks)))
            community = tname.endswith("街道") or rng.random() < 0.05
            out.append(
                VillagePlan(
                    township=tname,
                    village=stem + ("社区" if community else "村"),
                    code=f"{ti + 1:02d}{vi + 1:03d}",
                    persons=sizes[k],
                    township_index=ti,
                )
            )
            k += 1
    return CountyPlan(county=county, area=area, villages=tuple(out))
