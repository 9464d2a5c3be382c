"""Validating raw sheets into a typed ledger, collecting every problem in one pass.

Each problem names the sheet and column as written in the file, the Excel row (header = row
1), the value, and what to do, in Chinese. Errors block loading; warnings (questionable but
legal data) are kept apart. Column checks are vectorised with pandas so that a ledger of a
million organizations is checked in seconds.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graph import uscc
from graph.issues import LedgerIssue, Severity
from graph.ledger import DTYPES, Ledger
from graph.model import (
    SHEETS,
    SHEETS_BY_KEY,
    Column,
    ColumnType,
    FormationMode,
    PartyLevel,
    PartyOrgType,
)
from loaders.read import RawLedger, RawSheet

__all__ = ["BOOL_WORDS", "MAX_BRANCH_MEMBERS", "MAX_COUNT", "PLAUSIBLE_COUNT", "validate"]

BOOL_WORDS: dict[str, bool] = {
    "是": True,
    "否": False,
    "有": True,
    "无": False,
    "y": True,
    "n": False,
    "yes": True,
    "no": False,
    "true": True,
    "false": False,
    "1": True,
    "0": False,
    "√": True,
    "×": False,
    "✓": True,
    "✗": False,
}
"""Accepted spellings of 是/否 (compared after NFKC and lower-casing)."""

MAX_BRANCH_MEMBERS = 50
"""A 党支部 normally has at most 50 members; more is a warning, not an error."""

MAX_COUNT = 10**12
"""Largest whole number a count column (人数、党员数、顺序) may hold: beyond it (1e30, inf) the
value is an error, not a count. Sums over a million rows of such values still fit in Int64."""

PLAUSIBLE_COUNT = 1_000_000
"""More employees or Party members than this in one row is a warning (a typo such as an extra
zero, or a 万-unit figure); no organization in one city has that many."""

_PEOPLE_COUNTS = frozenset({"employees", "formal_members", "probationary_members", "members"})

_DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d")


@dataclass
class _Checked:
    """One sheet during validation: its raw cells, typed values, and where rows came from."""

    raw: RawSheet
    typed: dict[str, pd.Series]

    @property
    def name(self) -> str:
        return self.raw.name

    @property
    def n(self) -> int:
        return len(self.raw.rows)


class _Collector:
    def __init__(self) -> None:
        self.issues: list[LedgerIssue] = []

    def add(
        self,
        severity: Severity,
        code: str,
        sheet: _Checked | str,
        positions: Iterable[int] | None,
        key: str | None,
        message: Callable[[str | None], str] | str,
    ) -> None:
        """Record a problem for each row position (or one for the whole sheet/column)."""
        if isinstance(sheet, str):
            self.issues.append(LedgerIssue(severity, code, sheet, None, key, None, str(message)))
            return
        column = sheet.raw.header(key) if key else None
        if positions is None:
            text = message(None) if callable(message) else message
            self.issues.append(LedgerIssue(severity, code, sheet.name, None, column, None, text))
            return
        cells = sheet.raw.frame[key] if key and key in sheet.raw.frame else None
        for pos in positions:
            value = cast("str | None", cells.iat[pos]) if cells is not None else None
            text = message(value) if callable(message) else message
            self.issues.append(
                LedgerIssue(
                    severity, code, sheet.name, int(sheet.raw.rows[pos]), column, value, text
                )
            )

    def error(self, *args: Any, **kwargs: Any) -> None:
        self.add(Severity.ERROR, *args, **kwargs)

    def warning(self, *args: Any, **kwargs: Any) -> None:
        self.add(Severity.WARNING, *args, **kwargs)


def validate(raw: RawLedger, *, today: dt.date | None = None) -> tuple[Ledger, list[LedgerIssue]]:
    """Check every rule of the ledger format and return the typed ledger with all problems.

    The ledger is only meaningful when no problem is an error. ``today`` bounds dates (a date
    in the future is a warning); it defaults to the current date.
    """
    today = today or dt.date.today()
    out = _Collector()
    out.issues.extend(raw.issues)
    checked: dict[str, _Checked] = {}
    for sheet in SHEETS:
        if sheet.key not in raw.sheets:
            if sheet.required:
                out.error(
                    "missing_sheet",
                    sheet.label,
                    None,
                    None,
                    f"缺少必需的工作表“{sheet.label}”（也可命名为 {sheet.key}）。"
                    "请按模板补上这张表。",
                )
            continue
        checked[sheet.key] = _check_columns(raw.sheets[sheet.key], out, today)

    for chk in checked.values():
        _check_unique(chk, out)
    for chk in checked.values():
        _check_references(chk, checked, out)
    if "organizations" in checked:
        _check_organizations(checked["organizations"], checked, out)
    if "party_orgs" in checked:
        _check_party_orgs(checked["party_orgs"], out)
    if "committee_members" in checked:
        _check_committee(checked["committee_members"], checked, out)
    for key, a, b, what, symmetric in (
        ("supply_links", "supplier", "buyer", "供方和需方", False),
        ("pairings", "a", "b", "甲方和乙方", True),  # A–B is B–A; supply links are directed
    ):
        if key in checked:
            _check_pairs(checked[key], a, b, what, symmetric, out)

    tables = {key: _frame(chk) for key, chk in checked.items()}
    return Ledger(tables, present=frozenset(checked)), out.issues


# ---------------------------------------------------------------------------------------------
# Columns


def _check_columns(raw: RawSheet, out: _Collector, today: dt.date) -> _Checked:
    chk = _Checked(raw=raw, typed={})
    blank = raw.frame.shape == (0, 0)  # an untouched sheet: no header, no rows
    if blank and raw.sheet.required:
        out.error(
            "empty_sheet",
            raw.name,
            None,
            None,
            f"工作表“{raw.name}”是空的。请保留模板的表头行，并从第 2 行起填写数据。",
        )
    elif raw.sheet.required and chk.n == 0:
        out.warning(
            "no_rows",
            raw.name,
            None,
            None,
            f"工作表“{raw.name}”只有表头，没有数据行。",
        )
    for col in raw.sheet.columns:
        if col.key not in raw.frame:
            if col.required and not blank:
                out.error(
                    "missing_column",
                    chk,
                    None,
                    col.key,
                    f"缺少必填列“{col.label}”（也可写作 {col.key}）。请在表头补上这一列。",
                )
            chk.typed[col.key] = pd.Series(pd.NA, index=range(chk.n), dtype=DTYPES[col.type])
            continue
        chk.typed[col.key] = _convert(chk, col, out, today)
    return chk


def _nfkc(series: pd.Series) -> pd.Series:
    """The cells NFKC-normalised and trimmed, blanks missing, always as a string Series.

    The converters use the ``.str`` accessor, so the result must stay a string Series even
    when no cell is filled in: mapping an all-blank column on its own gives ``float64`` (all
    NaN), and an optional column left entirely empty (经度, 纬度, 预备党员数 from the template)
    used to stop every command with an internal error.
    """
    values = series.dropna().unique()
    mapping = {v: unicodedata.normalize("NFKC", v).strip() for v in values}
    return series.map(mapping, na_action="ignore").astype("str").replace("", None)


def _convert(chk: _Checked, col: Column, out: _Collector, today: dt.date) -> pd.Series:
    cells: pd.Series = chk.raw.frame[col.key]
    values = cells if col.type is ColumnType.TEXT else _nfkc(cells)
    if col.default is not None:
        values = values.where(values.notna(), _default_text(col))
    missing = values.isna().to_numpy()
    broken = chk.raw.broken.get(col.key)
    if broken is not None:
        missing = missing & ~broken  # a formula or error value: the reader has said so
    if col.required and missing.any():
        out.error(
            "required",
            chk,
            np.flatnonzero(missing),
            col.key,
            f"“{col.label}”是必填项，不能为空。",
        )
    present = ~missing
    converter = _CONVERTERS[col.type]
    typed, bad = converter(values, col)
    bad = bad & present
    if bad.any():
        out.error(
            f"bad_{col.type.value}",
            chk,
            np.flatnonzero(bad),
            col.key,
            _bad_message(chk, col),
        )
    typed = typed.where(~pd.Series(bad, index=typed.index), pd.NA) if bad.any() else typed
    if col.key in _PEOPLE_COUNTS:
        huge = (typed > PLAUSIBLE_COUNT).fillna(False).to_numpy()
        if huge.any():
            out.warning(
                "implausible_count",
                chk,
                np.flatnonzero(huge),
                col.key,
                lambda v: (
                    f"“{col.label}”是 {v}，超过 {PLAUSIBLE_COUNT:,}，不像一个单位的实际人数。"
                    "请核对是否多写了 0 或用了“万”作单位。"
                ),
            )
    if col.type is ColumnType.DATE:
        future = (typed > pd.Timestamp(today)).fillna(False).to_numpy()
        if future.any():
            out.warning(
                "future_date",
                chk,
                np.flatnonzero(future),
                col.key,
                f"“{col.label}”晚于今天（{today.isoformat()}），请核对。",
            )
    return typed


def _default_text(col: Column) -> str:
    if col.type is ColumnType.BOOL:
        return "是" if col.default else "否"
    return str(col.default)


def _bad_message(chk: _Checked, col: Column) -> Callable[[str | None], str]:
    numeric = chk.raw.numeric.get(col.key)
    positions = (
        {v: i for i, v in enumerate(chk.raw.frame[col.key])} if col.type is ColumnType.USCC else {}
    )

    def message(value: str | None) -> str:
        if col.type is ColumnType.USCC:
            code = unicodedata.normalize("NFKC", value or "").strip().upper()
            text = uscc.problem(code) or "统一社会信用代码无效"
            pos = positions.get(value)
            if numeric is not None and pos is not None and numeric[pos]:
                text += (
                    "。该单元格被 Excel 存成了数字，末几位可能已丢失："
                    "请把该列设为“文本”格式后重新录入"
                )
            return text + "。"
        if col.type is ColumnType.ENUM:
            allowed = "、".join(col.choices)
            return f"“{value}”不是“{col.label}”的可选值，应为：{allowed}。"
        if col.type is ColumnType.INT:
            if _too_large(value):
                return (
                    f"“{col.label}”的值“{value}”过大（无穷大，或超过 {MAX_COUNT:,}），"
                    "不可能是实际人数或数量。请填写实际的整数。"
                )
            return f"“{col.label}”应为不小于 {int(col.min or 0)} 的整数，这里是“{value}”。"
        if col.type is ColumnType.DECIMAL:
            return f"“{col.label}”应为 {col.min:g} 到 {col.max:g} 之间的数字，这里是“{value}”。"
        if col.type is ColumnType.BOOL:
            return f"“{col.label}”应填“是”或“否”，这里是“{value}”。"
        if col.type is ColumnType.DATE:
            return f"“{col.label}”不是有效日期：“{value}”。请写成 2024-03-01 这样的格式。"
        return f"“{col.label}”的值“{value}”无效。"  # text and codes: never refused

    return message


def _too_large(value: str | None) -> bool:
    try:
        number = float(unicodedata.normalize("NFKC", value or "").strip().replace(",", ""))
    except ValueError:
        return False
    return bool(np.isinf(number) or abs(number) > MAX_COUNT)


def _as_text(values: pd.Series, col: Column) -> tuple[pd.Series, np.ndarray]:
    return values.astype("string"), np.zeros(len(values), dtype=bool)


def _as_uscc(values: pd.Series, col: Column) -> tuple[pd.Series, np.ndarray]:
    upper = values.str.upper()
    uniques = upper.dropna().unique()
    invalid = {v for v in uniques if uscc.problem(v) is not None}
    bad = upper.isin(invalid).to_numpy() if invalid else np.zeros(len(values), dtype=bool)
    return upper.astype("string"), bad


def _as_enum(values: pd.Series, col: Column) -> tuple[pd.Series, np.ndarray]:
    ok = values.isin(col.choices) | values.isna()
    return values.astype("string"), ~ok.to_numpy()


def _as_number(values: pd.Series, col: Column) -> tuple[pd.Series, np.ndarray]:
    cleaned = values.str.replace(",", "", regex=False)
    num = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    bad = num.isna() & values.notna()
    bad |= num.notna() & ~np.isfinite(num)  # "inf", "1e400"
    if col.type is ColumnType.INT:
        bad |= num.notna() & (num != np.floor(num))
        bad |= num.abs() > MAX_COUNT
    if col.min is not None:
        bad |= num < col.min
    if col.max is not None:
        bad |= num > col.max
    bad_arr = bad.to_numpy(dtype=bool)
    num = num.where(~bad)
    if col.type is ColumnType.INT:
        return num.round().astype("Int64"), bad_arr
    return num.astype("Float64"), bad_arr


def _as_bool(values: pd.Series, col: Column) -> tuple[pd.Series, np.ndarray]:
    mapped = values.str.lower().map(BOOL_WORDS)
    bad = (mapped.isna() & values.notna()).to_numpy()
    return mapped.astype("boolean"), bad


def _as_date(values: pd.Series, col: Column) -> tuple[pd.Series, np.ndarray]:
    if not len(values):
        return pd.Series([], dtype=DTYPES[ColumnType.DATE]), np.zeros(0, dtype=bool)
    text = (
        values.str.replace(r" .*", "", regex=True)  # a time after the date (Excel) is dropped
        .str.replace(r"[/.年月]", "-", regex=True)
        .str.replace("日", "", regex=False)
    )
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ms]")
    for fmt in _DATE_FORMATS:
        todo = parsed.isna() & text.notna()
        if not todo.any():
            break
        attempt = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        parsed[todo] = attempt.astype("datetime64[ms]")
    bad = (parsed.isna() & values.notna()).to_numpy()
    return parsed, bad


_CONVERTERS: dict[ColumnType, Callable[[pd.Series, Column], tuple[pd.Series, np.ndarray]]] = {
    ColumnType.USCC: _as_uscc,
    ColumnType.CODE: _as_text,
    ColumnType.TEXT: _as_text,
    ColumnType.ENUM: _as_enum,
    ColumnType.INT: _as_number,
    ColumnType.DECIMAL: _as_number,
    ColumnType.BOOL: _as_bool,
    ColumnType.DATE: _as_date,
}


def _frame(chk: _Checked) -> pd.DataFrame:
    sheet = chk.raw.sheet
    data = {c.key: chk.typed[c.key].reset_index(drop=True) for c in sheet.columns}
    for extra in chk.raw.extras:
        data[extra] = chk.raw.frame[extra].astype("string").reset_index(drop=True)
    return pd.DataFrame(data, index=pd.RangeIndex(chk.n))


# ---------------------------------------------------------------------------------------------
# Keys and references


def _check_unique(chk: _Checked, out: _Collector) -> None:
    key = chk.raw.sheet.id_column
    if key is None:
        return
    ids = chk.typed[key]
    dup = (ids.duplicated(keep="first") & ids.notna()).to_numpy()
    if not dup.any():
        return
    normalized = _objects(ids)
    first_row: dict[str, int] = {}
    for i, v in enumerate(normalized):
        if v is not None and v not in first_row:
            first_row[v] = int(chk.raw.rows[i])
    label = chk.raw.sheet.column(key).label
    for pos in np.flatnonzero(dup):
        value = normalized[pos]
        out.error(
            "duplicate_key",
            chk,
            [pos],
            key,
            f"{label}“{value}”与第 {first_row[value]} 行重复，每个{label}只能出现一次。",
        )


def _check_references(chk: _Checked, checked: dict[str, _Checked], out: _Collector) -> None:
    for col in chk.raw.sheet.columns:
        if col.ref is None or col.key not in chk.raw.frame:
            continue
        values = chk.typed[col.key]
        present = values.notna()
        if not present.any():
            continue
        target = SHEETS_BY_KEY[col.ref]
        if col.ref not in checked:
            out.error(
                "missing_ref_sheet",
                chk,
                np.flatnonzero(present.to_numpy()),
                col.key,
                lambda v, t=target: (
                    f"引用了“{t.label}”表中的编码“{v}”，但台账中没有“{t.label}”表。"
                    f"请补上“{t.label}”表，或清空这一格。"
                ),
            )
            continue
        ids = checked[col.ref].typed[target.id_column or ""]
        missing = present.to_numpy() & ~_isin(values, ids)
        if missing.any():
            id_label = target.column(target.id_column or "").label
            out.error(
                "unknown_ref",
                chk,
                np.flatnonzero(missing),
                col.key,
                lambda v, t=target, lbl=id_label: (
                    f"“{t.label}”表中没有{lbl}为“{v}”的一行。"
                    f"请先在“{t.label}”表中添加，或改正这里的编码。"
                ),
            )


# ---------------------------------------------------------------------------------------------
# Rules across columns and rows


def _check_organizations(chk: _Checked, checked: dict[str, _Checked], out: _Collector) -> None:
    t = chk.typed
    over = (t["formal_members"] > t["employees"]).fillna(False).to_numpy()
    if over.any():
        out.error(
            "members_exceed_employees",
            chk,
            np.flatnonzero(over),
            "formal_members",
            lambda v: f"正式党员数（{v}）超过了从业人员数，请核对这两列。",
        )
    total = t["formal_members"].fillna(0) + t["probationary_members"].fillna(0)
    over_all = ((total > t["employees"]) & ~pd.Series(over)).fillna(False).to_numpy()
    if over_all.any():
        out.warning(
            "party_members_exceed_employees",
            chk,
            np.flatnonzero(over_all),
            "probationary_members",
            "正式党员与预备党员合计超过从业人员数，请核对。",
        )
    if "buildings" in checked:
        bstreet = _lookup(checked["buildings"], "street", t["building"])
        wrong = (
            (
                t["building"].notna()
                & bstreet.notna()
                & t["street"].notna()
                & (bstreet != t["street"])
            )
            .fillna(False)
            .to_numpy()
        )
        if wrong.any():
            streets = _objects(t["street"])
            bst = _objects(bstreet)
            for pos in np.flatnonzero(wrong):
                out.error(
                    "building_street_mismatch",
                    chk,
                    [pos],
                    "building",
                    lambda v, p=pos: (
                        f"楼宇“{v}”位于街道“{bst[p]}”，而本组织填写的所在街道是"
                        f"“{streets[p]}”。请改正所在街道或所在楼宇。"
                    ),
                )
    # Formation-mode warnings need the Party organizations' modes.
    if "party_orgs" in checked:
        _warn_formation(chk, checked["party_orgs"], out)


def _warn_formation(orgs: _Checked, pos_chk: _Checked, out: _Collector) -> None:
    po = pos_chk.typed
    covered = orgs.typed["party_org"].dropna()
    count = covered.value_counts()
    formal = (
        pd.DataFrame({"po": orgs.typed["party_org"], "m": orgs.typed["formal_members"]})
        .dropna(subset=["po"])
        .groupby("po")["m"]
        .sum()
    )
    ids = _objects(po["id"])
    modes = _objects(po["formation"])
    types = _objects(po["type"])
    levels = _objects(po["level"])
    members = _objects(po["members"])
    for pos, pid in enumerate(ids):
        if pid is None:
            continue
        n = int(count.get(pid, 0))
        mode = modes[pos]
        if mode == FormationMode.STANDALONE and n > 1:
            out.warning(
                "standalone_covers_many",
                pos_chk,
                [pos],
                "formation",
                f"组建方式为“单独组建”，但有 {n} 个组织由它覆盖。单独组建应只覆盖本单位；"
                "如为联合党组织，请改为相应的联合组建方式。",
            )
        elif (
            mode == FormationMode.STANDALONE
            and n == 0
            and types[pos] in (PartyOrgType.ENTERPRISE, PartyOrgType.SOCIAL)
        ):
            out.warning(
                "standalone_covers_none",
                pos_chk,
                [pos],
                "formation",
                "组建方式为“单独组建”，但“组织”表中没有哪个组织填写由它覆盖，请核对覆盖党组织编码。",
            )
        elif mode is not None and mode != FormationMode.STANDALONE and n == 1:
            out.warning(
                "joint_covers_one",
                pos_chk,
                [pos],
                "formation",
                f"组建方式为“{mode}”，但只覆盖 1 个组织。请核对是否应为“单独组建”。",
            )
        if (
            levels[pos] == PartyLevel.BRANCH
            and members[pos] is not None
            and (members[pos] > MAX_BRANCH_MEMBERS)
        ):
            out.warning(
                "branch_too_large",
                pos_chk,
                [pos],
                "members",
                f"党支部党员数 {members[pos]} 人，超过 {MAX_BRANCH_MEMBERS} 人，"
                "一般应调整为党总支或党委。",
            )
        need = formal.get(pid)
        if need is not None and members[pos] is not None and members[pos] < need:
            out.warning(
                "members_below_covered",
                pos_chk,
                [pos],
                "members",
                f"党员数（{members[pos]}）少于所覆盖组织的正式党员合计（{int(need)}），请核对。",
            )


def _check_party_orgs(chk: _Checked, out: _Collector) -> None:
    t = chk.typed
    ids = _objects(t["id"])
    parents = _objects(t["parent"])
    parent_of = {i: p for i, p in zip(ids, parents, strict=True) if i is not None and p is not None}
    position: dict[str, int] = {}
    for pos, i in enumerate(ids):
        position.setdefault(i, pos)
    for cycle in _cycles(parent_of):
        path = " → ".join([*cycle, cycle[0]])
        for member in cycle:
            out.error(
                "parent_cycle",
                chk,
                [position[member]],
                "parent",
                f"上级党组织形成循环：{path}。请改正其中一个的上级党组织编码。",
            )
    types = _objects(t["type"])
    chains = _objects(t["chain"])
    parks = _objects(t["park"])
    for pos, typ in enumerate(types):
        if typ == PartyOrgType.CHAIN_COMMITTEE and chains[pos] is None:
            out.warning(
                "chain_committee_without_chain",
                chk,
                [pos],
                "chain",
                "产业链党委未填写所属产业链编码，产业链分析将无法把它和产业链对应起来。",
            )
        elif typ is not None and PartyOrgType(typ).is_park_level and parks[pos] is None:
            out.warning(
                "park_committee_without_park",
                chk,
                [pos],
                "park",
                f"{typ}未填写所属园区编码。",
            )


def _lookup(target: _Checked, column: str, codes: pd.Series) -> pd.Series:
    """For each code in ``codes``, ``column`` of the target sheet's row with that id."""
    t = target.typed
    id_column = target.raw.sheet.id_column
    assert id_column is not None  # only sheets with an id column are looked up
    by_id = pd.Series(t[column].to_numpy(), index=t[id_column].to_numpy())
    return codes.map(by_id[~by_id.index.duplicated()])


def _isin(values: pd.Series, allowed: pd.Series) -> np.ndarray:
    """Membership test on strings, vectorised by Arrow (pandas' own is a Python loop here)."""
    found = pc.is_in(
        pa.array(_objects(values), type=pa.string()),
        value_set=pa.array(_objects(allowed.dropna()), type=pa.string()),
    )
    return found.to_numpy(zero_copy_only=False).astype(bool)


def _objects(series: pd.Series) -> np.ndarray:
    """Values as a Python object array with ``None`` for missing (safe to compare)."""
    return series.to_numpy(dtype=object, na_value=None)  # type: ignore[call-overload]


def _cycles(parent_of: dict[str, str]) -> list[list[str]]:
    """Every cycle in the parent relation, each once (iterative, O(n))."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    found: list[list[str]] = []
    for start in parent_of:
        if state.get(start):
            continue
        path: list[str] = []
        node: str | None = start
        while node is not None and not state.get(node):
            state[node] = 1
            path.append(node)
            node = parent_of.get(node)
        if node is not None and state.get(node) == 1:
            found.append(path[path.index(node) :])
        for n in path:
            state[n] = 2
    return found


def _check_committee(chk: _Checked, checked: dict[str, _Checked], out: _Collector) -> None:
    t = chk.typed
    both_empty = (t["member"].isna() & t["member_name"].isna()).to_numpy()
    if both_empty.any():
        out.error(
            "member_missing",
            chk,
            np.flatnonzero(both_empty),
            "member",
            "成员单位代码和成员单位名称至少要填一项：企业、协会填代码，政府部门填名称。",
        )
    if "party_orgs" in checked:
        typ = _lookup(checked["party_orgs"], "type", t["party_org"])
        wrong = (typ.notna() & (typ != PartyOrgType.CHAIN_COMMITTEE)).fillna(False).to_numpy()
        if wrong.any():
            types = _objects(typ)
            for pos in np.flatnonzero(wrong):
                out.error(
                    "not_chain_committee",
                    chk,
                    [pos],
                    "party_org",
                    lambda v, p=pos: f"党组织“{v}”的类别是“{types[p]}”，这里只能填产业链党委。",
                )


def _check_pairs(
    chk: _Checked, a: str, b: str, what: str, symmetric: bool, out: _Collector
) -> None:
    t = chk.typed
    same = (t[a].notna() & (t[a] == t[b])).fillna(False).to_numpy()
    if same.any():
        out.error(
            "self_pair",
            chk,
            np.flatnonzero(same),
            b,
            f"{what}是同一个，请改正其中一方。",
        )
    keys = [
        None if x is None or y is None else (tuple(sorted((x, y))) if symmetric else (x, y))
        for x, y in zip(_objects(t[a]), _objects(t[b]), strict=True)
    ]
    key_series = pd.Series(keys, dtype=object)
    dup = (key_series.duplicated(keep="first") & key_series.notna()).to_numpy()
    if dup.any():
        out.warning(
            "duplicate_pair",
            chk,
            np.flatnonzero(dup),
            b,
            "这一行与前面某行重复（同一对单位），请删除多余的一行。",
        )
