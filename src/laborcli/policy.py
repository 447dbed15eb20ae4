"""County policy: settings that differ between counties (age bounds, subsidy amounts)."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from laborcli.errors import SchemaError


class LabourForceAges(BaseModel):
    """Inclusive age bounds in full years, per gender, and for unknown gender."""

    model_config = ConfigDict(frozen=True)
    min_age_male: int = 16
    max_age_male: int = 60
    min_age_female: int = 16
    max_age_female: int = 60
    min_age: int = 16
    max_age: int = 60


class RankingPolicy(BaseModel):
    """How many villages each list holds at most."""

    model_config = ConfigDict(frozen=True)
    top: int = 10


class Subsidies(BaseModel):
    """The Sandu county subsidy rules, in yuan."""

    model_config = ConfigDict(frozen=True)
    organised_placement_yuan: int = 200
    organised_placement_min_months: int = 3
    household_income_award_yuan: int = 1000
    household_income_per_capita_yuan: int = 5000
    leader_award_min_people: int = 30
    leader_award_min_yuan: int = 10000
    leader_award_max_people: int = 100
    leader_award_max_yuan: int = 20000


class DedupPolicy(BaseModel):
    """Evidence weights and thresholds of probable-duplicate matching."""

    model_config = ConfigDict(frozen=True)
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


class Policy(BaseModel):
    """The county policy file."""

    model_config = ConfigDict(frozen=True)
    labour_force: LabourForceAges = LabourForceAges()
    ranking: RankingPolicy = RankingPolicy()
    subsidies: Subsidies = Subsidies()
    dedup: DedupPolicy = DedupPolicy()


def default_policy_path() -> Path:
    """The shipped policy: inside the wheel, or ``schemas/`` of a source checkout."""
    packaged = resources.files("laborcli").joinpath("schemas/policy.toml")
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "schemas" / "policy.toml"


def load_policy(path: Path | None = None) -> Policy:
    """Read a policy file; the default is the shipped one (domain.md's defaults)."""
    p = path or default_policy_path()
    try:
        return Policy.model_validate(tomllib.loads(p.read_text(encoding="utf-8")))
    except FileNotFoundError as e:
        raise SchemaError(f"policy file not found: {p}") from e
    except (tomllib.TOMLDecodeError, ValidationError) as e:
        raise SchemaError(f"{p}: not a valid policy file: {str(e).splitlines()[0]}") from e
