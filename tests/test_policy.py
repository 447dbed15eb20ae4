"""The county policy file: the shipped one loads, and a file is refused for what it does
not declare or for a value of the wrong type, with the key and the file named on one line.

Messages are checked in English (LABORCLI_LANG=en).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from laborcli.errors import PolicyError, UsageError
from laborcli.policy import Policy, default_policy_path, load_policy


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABORCLI_LANG", "en")


def _policy(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "county.toml"
    p.write_text(text, encoding="utf-8")
    return p


def _shipped_with(old: str, new: str) -> str:
    text = default_policy_path().read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new)


def _refusal(path: Path) -> str:
    with pytest.raises(PolicyError) as e:
        load_policy(path)
    assert e.value.exit_code == 2 and isinstance(e.value, UsageError)
    return str(e.value)


def test_shipped_policy_loads_with_the_documented_defaults() -> None:
    assert load_policy() == Policy()


def test_a_policy_file_may_leave_sections_out(tmp_path: Path) -> None:
    pol = load_policy(_policy(tmp_path, "[ranking]\ntop = 5\n"))
    assert pol.ranking.top == 5 and pol.labour_force == Policy().labour_force


def test_misspelt_key_inside_a_section_is_refused_naming_key_and_file(tmp_path: Path) -> None:
    p = _policy(tmp_path, _shipped_with("min_months = 3", "min_month = 6"))
    msg = _refusal(p)
    assert str(p) in msg and "subsidies.organised_placement.min_month" in msg
    assert "did you mean min_months" in msg


def test_unknown_key_at_the_top_level_is_refused(tmp_path: Path) -> None:
    p = _policy(tmp_path, "top = 3\n[ranking]\ntop = 10\n")
    msg = _refusal(p)
    assert str(p) in msg and "unknown key top" in msg


def test_unknown_section_is_refused(tmp_path: Path) -> None:
    msg = _refusal(_policy(tmp_path, "[subsidy.organised_placement]\nyuan = 200\n"))
    assert "unknown key subsidy" in msg and "did you mean subsidies" in msg


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[ranking]\ntop = "10"\n', "ranking.top"),  # text for a count
        ("[ranking]\ntop = 10.0\n", "ranking.top"),  # a fraction for a count
        ("[labour_force]\nmax_age = true\n", "labour_force.max_age"),
        ('[dedup]\nprobable = "6"\n', "dedup.probable"),
        ("ranking = 10\n", "ranking"),  # a value where a section belongs
    ],
)
def test_value_of_the_wrong_type_is_refused_naming_the_key(tmp_path: Path, text: str, key: str) -> None:
    p = _policy(tmp_path, text)
    msg = _refusal(p)
    assert f"{p}: {key} must be " in msg and "\n" not in msg


def test_a_whole_number_is_a_valid_weight(tmp_path: Path) -> None:
    assert load_policy(_policy(tmp_path, "[dedup]\nprobable = 7\n")).dedup.probable == 7.0


def test_subsidy_rules_are_checked_strictly(tmp_path: Path) -> None:
    msg = _refusal(_policy(tmp_path, '[subsidies.leader_award]\ntiers = [{people = 30, yuan = "10000"}]\n'))
    assert "subsidies.leader_award.tiers.0.yuan must be a whole number" in msg
    msg = _refusal(_policy(tmp_path, '[subsidies.organised_placement]\nenabled = "yes"\n'))
    assert "subsidies.organised_placement.enabled must be true or false" in msg


def test_a_county_variant_is_a_policy_edit(tmp_path: Path) -> None:
    text = (
        "[subsidies.organised_placement]\nyuan = 300\nmin_months = 6\n"
        "[subsidies.leader_award]\ntiers = [{people = 50, yuan = 15000}]\n"
    )
    pol = load_policy(_policy(tmp_path, text))
    assert (pol.subsidies.organised_placement.yuan, pol.subsidies.organised_placement.min_months) == (300, 6)
    assert [(t.people, t.yuan) for t in pol.subsidies.leader_award.tiers] == [(50, 15000)]
    assert pol.subsidies.household_income_award == Policy().subsidies.household_income_award


def test_every_problem_beyond_the_first_is_counted(tmp_path: Path) -> None:
    msg = _refusal(_policy(tmp_path, '[ranking]\ntop = "10"\n[dedup]\nprobable = "x"\nname_same = "y"\n'))
    assert msg.endswith("(and 2 more)")


def test_file_that_is_not_toml_or_missing_is_refused(tmp_path: Path) -> None:
    assert "not a valid TOML file" in _refusal(_policy(tmp_path, "[ranking\n"))
    assert "policy file not found" in _refusal(tmp_path / "nowhere.toml")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[subsidies]\norganised_placment_yuan = 500\n", "unknown key subsidies.organised_placment_yuan"),
        ("[subsidies.organised_placement]\nyuan_ = 500\n", "unknown key subsidies.organised_placement.yuan_"),
        ("organised_placement_yuan = 500\n", "unknown key organised_placement_yuan"),
        ('[ranking]\ntop = "10"\n', "ranking.top must be a whole number"),
    ],
)
def test_command_with_a_bad_policy_exits_2_with_one_line_naming_key_and_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, says: str
) -> None:
    from laborcli.cli.app import main

    p = _policy(tmp_path, text)
    capsys.readouterr()
    code = main(["--db", str(tmp_path / "registry.db"), "--policy", str(p), "rates", "--as-of", "2026-11-30"])
    cap = capsys.readouterr()
    assert code == 2
    lines = cap.err.strip().splitlines()
    assert len(lines) == 1 and str(p) in lines[0] and says in lines[0], cap.err
    assert cap.out == ""


def test_the_county_section_names_the_county_and_its_signatories(tmp_path: Path) -> None:
    assert Policy().county.name == "" and Policy().county.reviewer == ""  # blank when not set
    pol = load_policy(_policy(tmp_path, '[county]\nname = "三都县"\noffice = "县人社局"\npreparer = "王"\n'))
    assert (pol.county.name, pol.county.office, pol.county.preparer, pol.county.unit) == (
        "三都县",
        "县人社局",
        "王",
        "",
    )


def test_the_county_section_is_checked_like_the_rest(tmp_path: Path) -> None:
    msg = _refusal(_policy(tmp_path, '[county]\nreviwer = "李"\n'))
    assert "county.reviwer" in msg and "did you mean reviewer" in msg
    msg = _refusal(_policy(tmp_path, "[county]\nname = 3\n"))
    assert "county.name must be text" in msg
