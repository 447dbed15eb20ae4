"""Reviewed dedup decisions, remembered by person key so they survive monthly re-imports.

A person key is a valid ID, or a stable hash of where and who an unverified row says it
is; next month's sheet gives the same row the same key, so the decision keeps applying.
``same`` decisions are turned into links (every key of a confirmed person points to one
canonical key, a valid-ID key where there is one), which the current state reads. The
village chosen to keep a confirmed person (归属村) is kept for each of the person's keys
(the ``homes`` table), which the current state reads too.

A review workbook names rows by signed tokens (the registry row id and an HMAC of the
cluster and row under the registry's own key): a token changed, moved to another cluster,
or taken from another registry's workbook does not verify, so a tampered workbook cannot
tie two unrelated people together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from laborcli.errors import RegistryError
from laborcli.i18n import pick
from laborcli.identity.keys import is_verified
from laborcli.identity.unionfind import UnionFind
from laborcli.registry.migrate import REVIEW_SECRET
from laborcli.registry.tables import decisions, homes, links, meta, rows
from laborcli.sheets.problems import Problem, ProblemCode, make_problem

Verdict = str  # "same" | "different"


def village_label(township: str, village: str) -> str:
    """How a village is written among the 归属村 choices: 花山镇石门村."""
    return f"{township}{village}"


@dataclass(frozen=True, slots=True)
class Tokens:
    """Signs and checks the row tokens of review workbooks with the registry's key."""

    secret: bytes

    def _mac(self, cluster: str, row_id: int) -> str:
        msg = f"{cluster}|{row_id}".encode()
        return hmac.new(self.secret, msg, hashlib.sha256).hexdigest()[:16]

    def sign(self, cluster: str, row_id: int) -> str:
        """The token of a row in a cluster: ``r<row id>-<signature>``, never an identifier."""
        return f"r{row_id}-{self._mac(cluster, row_id)}"

    def row(self, cluster: str, token: str) -> int | None:
        """The row id a token stands for in this cluster; None when it does not verify."""
        head, _, mac = token.strip().partition("-")
        if head[:1] != "r" or not head[1:].isdigit():
            return None
        row_id = int(head[1:])
        # Bytes: compare_digest refuses str that is not ASCII, and a reviewer may type anything.
        return row_id if hmac.compare_digest(mac.encode(), self._mac(cluster, row_id).encode()) else None


def tokens(conn: Connection) -> Tokens:
    """The registry's token signer (its key is made with the registry, or by db upgrade)."""
    value = conn.execute(sa.select(meta.c.value).where(meta.c.key == REVIEW_SECRET)).scalar()
    if not value:
        raise RegistryError(
            pick(
                "数据库缺少核查表签名密钥, 请运行 laborcli db upgrade",
                "the registry has no review signing key: run laborcli db upgrade",
            )
        )
    return Tokens(bytes.fromhex(str(value)))


@dataclass(slots=True)
class ReviewLine:
    """One data line of a review workbook, as typed (verdict and home already read)."""

    line: int
    cluster: str
    token: str
    verdict: Verdict | None = None
    home: str | None = None


@dataclass(slots=True)
class ReviewSheet:
    """What `dedup apply` read from a workbook: its lines and the problems of its cells."""

    sheet: str
    lines: list[ReviewLine]
    problems: list[Problem] = field(default_factory=list)


@dataclass(slots=True)
class Applied:
    """What `dedup apply` recorded (docs/json.md#dedup-apply)."""

    file: str
    sha256: str
    recorded: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """How many error-level problems (any one and nothing is recorded)."""
        return sum(p.severity == "error" for p in self.problems)

    def as_json(self) -> dict[str, object]:
        """The ``dedup apply`` JSON of cli.md."""
        return {
            "file": self.file,
            "sha256": self.sha256,
            "recorded": self.recorded,
            "unchanged": self.unchanged,
            "problems": [p.as_json() for p in self.problems],
        }


@dataclass(slots=True)
class _Choice:
    """One cluster's choices, checked: its rows' own keys and places, verdict and home."""

    cluster: str
    keys: list[str]
    places: dict[str, tuple[str, str]]  # 归属村 label -> (township, village)
    verdict: Verdict | None = None
    home: tuple[str, str] | None = None


def apply_review(conn: Connection, sheet: ReviewSheet, applied: Applied) -> None:
    """Check every line against the registry; record all choices, or none on any error."""
    choices = _check(conn, sheet, applied.problems)
    if applied.errors:
        return
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    verdicts = 0
    for c in choices:
        v = _record_verdict(conn, c, now, applied.file)
        verdicts += v
        if v + _record_home(conn, c, now, applied.file):
            applied.recorded += 1
        elif c.verdict is not None or c.home is not None:
            applied.unchanged += 1
    if verdicts:
        rebuild_links(conn)


def _check(conn: Connection, sheet: ReviewSheet, problems: list[Problem]) -> list[_Choice]:
    """The clusters' choices; every token, verdict and home that cannot stand is a problem."""
    signer = tokens(conn)

    def problem(code: ProblemCode, line: int, column: str, value: str | None, detail: str = "") -> None:
        problems.append(
            make_problem(code, sheet=sheet.sheet, row=line, column=column, value=value, detail=detail)
        )

    row_of: dict[int, int] = {}  # sheet line -> registry row id
    for ln in sheet.lines:
        rid = signer.row(ln.cluster, ln.token)
        if rid is None:
            problem(ProblemCode.REVIEW_TOKEN_INVALID, ln.line, "人员键", ln.token)
        else:
            row_of[ln.line] = rid
    found = _rows(conn, sorted(set(row_of.values())))
    by_cluster: dict[str, list[ReviewLine]] = {}
    for ln in sheet.lines:
        rid = row_of.get(ln.line)
        if rid is not None and rid not in found:
            problem(ProblemCode.REVIEW_ROW_GONE, ln.line, "人员键", ln.token)
        by_cluster.setdefault(ln.cluster, []).append(ln)
    canonical = _canonical(conn, sorted({k for k, _, _ in found.values()}))
    out: list[_Choice] = []
    for cid, lns in sorted(by_cluster.items()):
        mine = [found[row_of[ln.line]] for ln in lns if row_of.get(ln.line) in found]
        c = _Choice(
            cid,
            sorted({k for k, _, _ in mine}),
            {village_label(t, v): (t, v) for _, t, v in mine},
        )
        verdicts = [(ln.line, ln.verdict) for ln in lns if ln.verdict is not None]
        picked = [(ln.line, ln.home) for ln in lns if ln.home is not None]
        for line, v in verdicts:
            if v != verdicts[0][1]:
                problem(ProblemCode.REVIEW_CONFLICT, line, "判定", _zh(v))
        for line, h in picked:
            if h != picked[0][1]:
                problem(ProblemCode.REVIEW_CONFLICT, line, "归属村", h)
        c.verdict = verdicts[0][1] if verdicts else None
        if picked:
            line, label = picked[0]
            one_person = len({canonical.get(k, k) for k in c.keys}) == 1
            if label not in c.places:
                among = "、".join(sorted(c.places))
                problem(
                    ProblemCode.REVIEW_CHOICE_UNKNOWN, line, "归属村", label, pick(f"应为 {among}", among)
                )
            elif c.verdict == "different" or (c.verdict is None and not one_person):
                problem(ProblemCode.REVIEW_HOME_NOT_SAME, line, "归属村", label)
            else:
                c.home = c.places[label]
        out.append(c)
    return out


def _zh(verdict: Verdict | None) -> str | None:
    return {"same": "同一人", "different": "不同人"}.get(verdict or "")


def _rows(conn: Connection, ids: Sequence[int]) -> dict[int, tuple[str, str, str]]:
    """Registry row id -> (own person key, township, village), for the rows that exist."""
    out: dict[int, tuple[str, str, str]] = {}
    for i in range(0, len(ids), 500):
        q = sa.select(rows.c.id, rows.c.person_key, rows.c.township, rows.c.village).where(
            rows.c.id.in_(ids[i : i + 500])
        )
        out |= {r[0]: (r[1], r[2], r[3]) for r in conn.execute(q)}
    return out


def _canonical(conn: Connection, keys: Sequence[str]) -> dict[str, str]:
    """Person key -> its canonical key, for the keys that are linked."""
    out: dict[str, str] = {}
    for i in range(0, len(keys), 500):
        q = sa.select(links.c.person_key, links.c.canonical).where(links.c.person_key.in_(keys[i : i + 500]))
        out |= {r[0]: r[1] for r in conn.execute(q)}
    return out


def _record_verdict(conn: Connection, c: _Choice, now: dt.datetime, source: str) -> int:
    """The cluster's verdict as decisions between its first key and each other; how many changed."""
    if c.verdict is None or len(c.keys) < 2:
        return 0
    return record(conn, [(c.keys[0], k, c.verdict) for k in c.keys[1:]], source, now=now, links_too=False)


def _record_home(conn: Connection, c: _Choice, now: dt.datetime, source: str) -> int:
    """The chosen village for each of the cluster's keys; how many changed."""
    if c.home is None:
        return 0
    t, v = c.home
    have = {
        r.person_key: (r.township, r.village)
        for r in conn.execute(sa.select(homes).where(homes.c.person_key.in_(c.keys)))
    }
    todo = [k for k in c.keys if have.get(k) != (t, v)]
    if todo:
        conn.execute(homes.delete().where(homes.c.person_key.in_(todo)))
        conn.execute(
            homes.insert(),
            [
                {"person_key": k, "township": t, "village": v, "decided_at": now, "source": source}
                for k in todo
            ],
        )
    return len(todo)


def record(
    conn: Connection,
    pairs: Iterable[tuple[str, str, Verdict]],
    source: str,
    *,
    now: dt.datetime | None = None,
    links_too: bool = True,
) -> int:
    """Store (key_a, key_b, 'same'|'different') decisions between person keys, the newest
    winning; how many were new or changed (a decision stored already is left as it was)."""
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    n = 0
    for a, b, verdict in pairs:
        if a == b or verdict not in ("same", "different"):
            continue
        ka, kb = sorted((a, b))
        mine = sa.and_(decisions.c.key_a == ka, decisions.c.key_b == kb)
        if conn.execute(sa.select(decisions.c.decision).where(mine)).scalar() == verdict:
            continue
        conn.execute(decisions.delete().where(mine))
        conn.execute(
            decisions.insert().values(key_a=ka, key_b=kb, decision=verdict, decided_at=now, source=source)
        )
        n += 1
    if links_too and n:
        rebuild_links(conn)
    return n


def rebuild_links(conn: Connection) -> None:
    """Links from the connected components of all ``same`` decisions."""
    uf = UnionFind()
    for r in conn.execute(
        sa.select(decisions.c.key_a, decisions.c.key_b).where(decisions.c.decision == "same")
    ):
        uf.union(r.key_a, r.key_b)
    comps = uf.groups()
    conn.execute(links.delete())
    values: list[dict[str, str]] = []
    for keys in comps.values():
        canonical = min(keys, key=lambda k: (not is_verified(k), k))
        values.extend({"person_key": k, "canonical": canonical} for k in keys if k != canonical)
    if values:
        conn.execute(links.insert(), values)
