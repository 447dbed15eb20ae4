"""County policy: settings that differ between counties (age bounds, subsidy amounts)."""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from laborcli import shipped_file
from laborcli.errors import PolicyError
from laborcli.i18n import pick

# A key the models do not declare is refused, not ignored: a misspelt
# ``organised_placment_yuan`` would otherwise leave the default in force unnoticed.
# Strict: "10" or 10.0 for a count is a mistake, not a number to convert (an integer
# where a weight is expected is still a number).
_STRICT = ConfigDict(frozen=True, extra="forbid", strict=True)


class LabourForceAges(BaseModel):
    """Inclusive age bounds in full years, per gender, and for unknown gender."""

    model_config = _STRICT
    min_age_male: int = 16
    max_age_male: int = 60
    min_age_female: int = 16
    max_age_female: int = 60
    min_age: int = 16
    max_age: int = 60


class RankingPolicy(BaseModel):
    """How many villages each list holds at most."""

    model_config = _STRICT
    top: int = 10


class TenurePolicy(BaseModel):
    """Months of history (docs/programmes.md): how long a spell lasts to count as stable
    employment (稳定就业), and the retention horizon k of 稳岗率."""

    model_config = _STRICT
    stable_months: int = Field(default=3, ge=1, le=120)
    retention_months: int = Field(default=3, ge=1, le=120)


class OrganisedPlacement(BaseModel):
    """组织跟踪服务补贴: per poor or relocated person whose outside spell, organised by
    someone, reached ``min_months`` in the year (once per person and calendar year)."""

    model_config = _STRICT
    enabled: bool = True
    yuan: int = Field(default=200, ge=0)
    min_months: int = Field(default=3, ge=1, le=120)


class HouseholdIncomeAward(BaseModel):
    """劳务收入奖励: once ever, to a poor or relocated household whose per-capita labour
    income in the year reaches ``per_capita_yuan``."""

    model_config = _STRICT
    enabled: bool = True
    yuan: int = Field(default=1000, ge=0)
    per_capita_yuan: int = Field(default=5000, ge=0)


class LeaderTier(BaseModel):
    """One tier of the leader award: at least ``people`` organised in the year."""

    model_config = _STRICT
    people: int = Field(ge=1)
    yuan: int = Field(ge=0)


class LeaderAward(BaseModel):
    """带头人奖励: per leader and year, the highest tier reached (tiers in any order)."""

    model_config = _STRICT
    enabled: bool = True
    tiers: list[LeaderTier] = Field(
        default_factory=lambda: [LeaderTier(people=30, yuan=10000), LeaderTier(people=100, yuan=20000)]
    )


class Subsidies(BaseModel):
    """The subsidy rules (docs/programmes.md, "Subsidies and awards"): which are on, the
    amounts, thresholds, tiers and months; one table per rule. A 4th rule (the training
    payment) adds its own table here."""

    model_config = _STRICT
    organised_placement: OrganisedPlacement = OrganisedPlacement()
    household_income_award: HouseholdIncomeAward = HouseholdIncomeAward()
    leader_award: LeaderAward = LeaderAward()


class HonoursPolicy(BaseModel):
    """两比两看 honour list: how many households per township."""

    model_config = _STRICT
    top: int = Field(default=10, ge=1)


class DedupPolicy(BaseModel):
    """Evidence weights and thresholds of probable-duplicate matching."""

    model_config = _STRICT
    probable: float = 6.0
    name_same: float = 3.0
    name_homophone: float = 2.5
    name_similar: float = 1.0
    birth_same: float = 3.0
    birth_differs: float = -6.0
    gender_same: float = 0.5
    gender_differs: float = -4.0
    phone_same: float = 2.0
    household_same: float = 1.0
    id_one_edit: float = 3.0
    same_village: float = 0.5
    max_score: float = 12.0
    implausible_share: float = 0.5
    implausible_min: int = 10


class CountyInfo(BaseModel):
    """Who the county is, for the heads of the handout and the report; blank when not set."""

    model_config = _STRICT
    name: str = ""  # 县名, e.g. 三都水族自治县
    office: str = ""  # the office that ranks and reports, e.g. 县人力资源和社会保障局
    unit: str = ""  # 填报单位
    preparer: str = ""  # 制表人
    reviewer: str = ""  # 审核人


class IncomePolicy(BaseModel):
    """Which monthly incomes are believed: one above the maximum (a phone number typed into
    月收入, an amount in fen) is a warning at import and counts as unknown."""

    model_config = _STRICT
    max_monthly_yuan: int = 100_000


class MatchingPolicy(BaseModel):
    """Matching people to jobs (docs/programmes.md, "Matching people to jobs"): the hard
    filters, the points of each piece of evidence, the caps, and the county's own trades
    file (extra aliases of occupation codes)."""

    model_config = _STRICT
    # Hard filters, each of which can be turned off; the gender requirement is never one.
    filter_age: bool = True
    filter_education: bool = True
    filter_region: bool = True
    # Points.
    trade_same_code: float = 3.0
    trade_same_minor: float = 2.0  # the same 小类
    trade_same_middle: float = 1.0  # the same 中类
    trained_in_trade: float = 2.0
    stated_intention: float = 1.0
    zero_employment_household: float = 2.0
    poor_household: float = 1.0
    # Caps.
    candidates_per_opening: int = Field(default=3, ge=1, le=100)
    jobs_per_person: int = Field(default=3, ge=1, le=100)
    trades_file: str = ""


class Policy(BaseModel):
    """The county policy file."""

    model_config = _STRICT
    county: CountyInfo = CountyInfo()
    labour_force: LabourForceAges = LabourForceAges()
    ranking: RankingPolicy = RankingPolicy()
    tenure: TenurePolicy = TenurePolicy()
    subsidies: Subsidies = Subsidies()
    dedup: DedupPolicy = DedupPolicy()
    income: IncomePolicy = IncomePolicy()
    honours: HonoursPolicy = HonoursPolicy()
    matching: MatchingPolicy = MatchingPolicy()


def default_policy_path() -> Path:
    """The shipped policy."""
    return shipped_file("policy.toml")


def load_policy(path: Path | None = None) -> Policy:
    """Read a policy file; the default is the shipped one (the defaults of the docs).

    Unknown keys and values of the wrong type are refused with the key and the file named.
    """
    p = path or default_policy_path()
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise PolicyError(pick(f"找不到政策文件: {p}", f"policy file not found: {p}")) from e
    except tomllib.TOMLDecodeError as e:
        raise PolicyError(
            pick(f"{p}: 不是有效的 TOML 文件: {e}", f"{p}: not a valid TOML file: {e}").splitlines()[0]
        ) from e
    try:
        return Policy.model_validate(data)
    except ValidationError as e:
        raise PolicyError(_why(p, e)) from e


_EXPECTED = {
    "int_type": ("整数", "a whole number"),
    "float_type": ("数值", "a number"),
    "string_type": ("文字 (加引号)", "text (in quotes)"),
    "model_type": ("一个小节 (TOML 表)", "a section (a TOML table)"),
    "bool_type": ("true 或 false", "true or false"),
    "list_type": ("一个列表", "a list"),
}
# Bounds of a setting (a horizon of 0 months): the bound itself named.
_BOUNDED = {
    "greater_than_equal": ("不小于 {ge} 的数", "a number of at least {ge}"),
    "less_than_equal": ("不大于 {le} 的数", "a number of at most {le}"),
}


def _why(path: Path, e: ValidationError) -> str:
    """The first thing wrong with the file, on one line, naming the key."""
    errors = e.errors()
    first = errors[0]
    key = ".".join(str(x) for x in first["loc"])
    more = len(errors) - 1
    if first["type"] == "extra_forbidden":
        known = _known(first["loc"][:-1])
        close = difflib.get_close_matches(str(first["loc"][-1]), known, n=1)
        hint = pick(f" (是否应为 {close[0]}?)", f" (did you mean {close[0]}?)") if close else ""
        msg = pick(f"{path}: 未知的设置项 {key}{hint}", f"{path}: unknown key {key}{hint}")
    else:
        zh, en = _EXPECTED.get(first["type"], (first["msg"], first["msg"]))
        if first["type"] in _BOUNDED:
            zh, en = (t.format(**first.get("ctx", {})) for t in _BOUNDED[first["type"]])
        got = first["input"]
        msg = pick(f"{path}: {key} 应为{zh}, 而不是 {got!r}", f"{path}: {key} must be {en}, not {got!r}")
    if more:
        msg += pick(f" (另有 {more} 处错误)", f" (and {more} more)")
    return msg


def _known(section: tuple[int | str, ...]) -> list[str]:
    """The keys the policy declares at ``section`` (the top level for an empty one)."""
    model: type[BaseModel] = Policy
    for part in section:
        field = model.model_fields.get(str(part))
        sub = field.annotation if field else None
        if not (isinstance(sub, type) and issubclass(sub, BaseModel)):
            return []
        model = sub
    return list(model.model_fields)
