"""The figures of a place, catalogued once: key, labels and number format.

The keys are those of ``figures.rates`` rows and of the JSON and CSV outputs; the
Chinese labels are the report workbook's column heads, the short ones a terminal
table's; every view of the figures takes its order and labels from here.
"""

from __future__ import annotations

from dataclasses import dataclass

INT = "#,##0"
PCT = "0.0%"


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure of a place's row."""

    key: str
    label: str  # Chinese, as the monthly report heads its column
    en: str
    number_format: str  # Excel's: INT or PCT
    short: str | None = None  # the head in `rates`' terminal table; None: not shown there
    in_rates_csv: bool = True  # `rates --format csv` columns are a contract and stay as they were

    @property
    def is_rate(self) -> bool:
        """A fraction shown as a percentage."""
        return self.number_format == PCT


FIGURES: tuple[Figure, ...] = (
    Figure("labour_force", "劳动力", "labour force", INT, "劳动力"),
    Figure("transferred", "转移就业", "transferred", INT, "转移就业"),
    Figure("transfer_rate", "转移就业率", "transfer rate", PCT, "转移率"),
    Figure("outside_county", "县外转移", "outside county", INT, "县外"),
    Figure("organised_outside", "组织化县外输出", "organised outside", INT),
    Figure("organised_rate", "组织化程度", "organised rate", PCT, "组织化率"),
    Figure("poor_labour_force", "脱贫劳动力", "poor labour force", INT, "脱贫劳动力"),
    Figure("poor_transferred", "脱贫劳动力转移", "poor transferred", INT, "脱贫转移"),
    Figure("households", "有劳动力家庭", "households", INT, "有劳动力户"),
    Figure("zero_employment_households", "零就业家庭", "zero-employment households", INT, "零就业户"),
    Figure("coverage", "户有一人就业率", "households with one employed", PCT, in_rates_csv=False),
    Figure("new_transfers", "新增转移就业", "new transfers", INT, "新增转移"),
    Figure("unknown_age", "年龄不详", "unknown age", INT, "年龄不详"),
    Figure("unverified", "身份未核验", "unverified", INT, "身份未核验"),
)
