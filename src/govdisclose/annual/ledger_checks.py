"""The checks :func:`.report.build_table` runs over the whole table and ledger.

* :func:`identity_check` — 第一项加第二项之和，等于第三项（七）加第四项之和, column by column,
  with the number of ledger rows left out (so "holds" is qualified when rows are unplaced);
* :func:`ledger_warnings` — a ledger without an applicant-type, reply-date or outcome column,
  and an identity that holds only over the rows counted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .table import IdentityCheck, IdentityColumn, Reason

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ..ledgers.reading import Ledger
    from .format_model import TableFormat
    from .table import TableRow, UnplacedRow

__all__ = ["identity_check", "ledger_warnings"]


def identity_check(fmt: TableFormat, rows: Sequence[TableRow], kind_row: Mapping[str, str],
              unplaced: Sequence[UnplacedRow]) -> IdentityCheck:
    by_code = {r.code: r.values for r in rows}
    columns = tuple(
        IdentityColumn(c.code, c.label,
                       by_code[kind_row["received"]][i] + by_code[kind_row["carried_over"]][i],
                       by_code[kind_row["outcome_total"]][i]
                       + by_code[kind_row["carried_forward"]][i])
        for i, c in enumerate(fmt.columns))
    partly = [u for u in unplaced if u.counted_in]
    if not partly:
        return IdentityCheck(fmt.identity, columns, "", "", len(unplaced))
    lines = [str(u.line) for u in partly]
    zh = (f"有 {len(partly)} 件申请已计入第一项或第二项，但其办理结果无法归类，未计入第三项或第四项"
          f"（台账第 {'、'.join(lines)} 行，见“未能归类”）；改正这些行后，勾稽关系即成立。")
    en = (f"{len(partly)} request(s) are counted in item 一 or 二 but their result could not be "
          f"placed in item 三 or 四 (ledger lines {', '.join(lines)}, see unplaced); once those "
          "rows are corrected the identity holds.")
    return IdentityCheck(fmt.identity, columns, zh, en, len(unplaced))


def ledger_warnings(ledger: Ledger, identity: IdentityCheck) -> tuple[Reason, ...]:
    out: list[Reason] = []
    if "applicant_type" not in ledger.columns:
        out.append(Reason("ledger.no_applicant_type",
                          "台账没有“申请人类型”列：没有一行能确定所在列，表中全部为 0，"
                          "所有行都列入“未能归类”",
                          "the ledger has no applicant_type column: no row can be given a "
                          "column, so the table is all zeros and every row is unplaced"))
    if "replied_on" not in ledger.columns:
        out.append(Reason("ledger.no_replied_on",
                          "台账没有“答复日期”列：所有申请都按未答复计入“四、结转下年度继续办理”",
                          "the ledger has no replied_on column: every request counts as not "
                          "replied (四, carried forward)"))
    if "outcome" not in ledger.columns and "replied_on" in ledger.columns:
        out.append(Reason("ledger.no_outcome",
                          "台账没有“办理结果”列：本年已答复的申请都无法计入第三项，列入“未能归类”",
                          "the ledger has no outcome column: no request replied this year can "
                          "be placed in item 三, each is unplaced"))
    if identity.holds and identity.unplaced_rows:
        out.append(Reason("identity.unplaced_rows",
                          f"勾稽关系{identity.verdict_zh}：只对已计入的行成立",
                          f"the identity {identity.verdict_en}"))
    return tuple(out)

