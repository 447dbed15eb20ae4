"""`db info`: what the registry holds, as a table."""

from __future__ import annotations

from typing import Any

from laborcli.cli.options import Format
from laborcli.cli.output import out, print_json, table


def show_info(data: dict[str, Any], fmt: Format) -> None:
    """The registry's information on stdout (a table unless --format json)."""
    if fmt is Format.json:
        print_json(data)
        return
    rows = [
        ["地址 (URL)", data["url"]],
        ["后端", data["backend"]],
        ["结构版本", f"{data['schema']} (本程序 {data['tool_schema']})"],
        ["村数", data["villages"]],
        ["统计日期", f"{data['first_as_of'] or '—'} … {data['last_as_of'] or '—'}"],
    ]
    rows += [[f"表 {k}", f"{v:,}"] for k, v in data["tables"].items()]
    if "file_bytes" in data:
        rows.append(["文件大小", f"{data['file_bytes'] / 1e6:.1f} MB"])
    out.print(table("数据库信息", ["项目", "值"], rows))
