"""Response models of the formation plan (组建方案)."""

from __future__ import annotations

from api.schemas.base import ResultModel, described
from api.schemas.codes import (
    FormationModeName,
    OrgKindName,
    PartyLevelName,
    PlanGroupLevel,
)
from graph.columns.plan import (
    ATTACHMENTS,
    INSTRUCTORS,
    JOINT_GROUPS,
    PLAN,
    PLAN_RATES,
    SOLVER,
    SPLITS,
    STANDALONE,
)

# -- plan ------------------------------------------------------------------------------------


class PlanRate(ResultModel):
    """One kind's rates today and after the plan."""

    kind: OrgKindName = described(PLAN_RATES, "kind")
    total: int = described(PLAN_RATES, "total")
    org_covered_now: int = described(PLAN_RATES, "org_covered_now")
    org_rate_now: float | None = described(PLAN_RATES, "org_rate_now")
    org_covered_after: int = described(PLAN_RATES, "org_covered_after")
    org_rate_after: float | None = described(PLAN_RATES, "org_rate_after")
    work_rate_now: float | None = described(PLAN_RATES, "work_rate_now")
    work_rate_after: float | None = described(PLAN_RATES, "work_rate_after")
    standalone_rate_now: float | None = described(PLAN_RATES, "standalone_rate_now")
    standalone_rate_after: float | None = described(PLAN_RATES, "standalone_rate_after")


class StandaloneProposal(ResultModel):
    """An organization that should form its own Party organization (单独组建)."""

    uscc: str = described(STANDALONE, "uscc")
    name: str = described(STANDALONE, "name")
    kind: OrgKindName = described(STANDALONE, "kind")
    street: str = described(STANDALONE, "street")
    street_name: str = described(STANDALONE, "street_name")
    employees: int = described(STANDALONE, "employees")
    formal_members: int = described(STANDALONE, "formal_members")
    level: PartyLevelName = described(STANDALONE, "level")
    reason: str = described(STANDALONE, "reason")
    from_party_org: str | None = described(STANDALONE, "from_party_org")
    from_party_org_name: str | None = described(STANDALONE, "from_party_org_name")


class JointGroup(ResultModel):
    """A new joint Party organization the plan proposes (联合组建)."""

    group_id: str = described(JOINT_GROUPS, "group_id")
    street: str = described(JOINT_GROUPS, "street")
    street_name: str = described(JOINT_GROUPS, "street_name")
    mode: FormationModeName = described(JOINT_GROUPS, "mode")
    grouped_by: PlanGroupLevel = described(JOINT_GROUPS, "grouped_by")
    size: int = described(JOINT_GROUPS, "size")
    formal_members: int = described(JOINT_GROUPS, "formal_members")
    members: list[str] = described(JOINT_GROUPS, "members")
    member_names: list[str] = described(JOINT_GROUPS, "member_names")
    reason: str = described(JOINT_GROUPS, "reason")


class Attachment(ResultModel):
    """An organization the plan puts into an existing Party organization."""

    uscc: str = described(ATTACHMENTS, "uscc")
    name: str = described(ATTACHMENTS, "name")
    street: str = described(ATTACHMENTS, "street")
    street_name: str = described(ATTACHMENTS, "street_name")
    formal_members: int = described(ATTACHMENTS, "formal_members")
    party_org: str = described(ATTACHMENTS, "party_org")
    party_org_name: str = described(ATTACHMENTS, "party_org_name")
    mode: FormationModeName = described(ATTACHMENTS, "mode")
    reason: str = described(ATTACHMENTS, "reason")


class InstructorAssignment(ResultModel):
    """An organization without members: an instructor and members to develop."""

    uscc: str = described(INSTRUCTORS, "uscc")
    name: str = described(INSTRUCTORS, "name")
    street: str = described(INSTRUCTORS, "street")
    street_name: str = described(INSTRUCTORS, "street_name")
    employees: int = described(INSTRUCTORS, "employees")
    formal_members: int = described(INSTRUCTORS, "formal_members")
    instructor: str = described(INSTRUCTORS, "instructor")
    instructor_name: str | None = described(INSTRUCTORS, "instructor_name")
    develop_members: int = described(INSTRUCTORS, "develop_members")
    target: str = described(INSTRUCTORS, "target")
    reason: str = described(INSTRUCTORS, "reason")


class PlanSplit(ResultModel):
    """A joint Party organization covering too many organizations, split (划小组建单元)."""

    party_org: str = described(SPLITS, "party_org")
    party_org_name: str = described(SPLITS, "party_org_name")
    street: str | None = described(SPLITS, "street")
    street_name: str | None = described(SPLITS, "street_name")
    covers: int = described(SPLITS, "covers")
    parts: list[list[str]] = described(SPLITS, "parts")
    part_names: list[list[str]] = described(SPLITS, "part_names")
    reason: str = described(SPLITS, "reason")


class PlanSolver(ResultModel):
    """How exact the plan is: pools solved to proven optimality."""

    pools: int = described(SOLVER, "pools")
    optimal: int = described(SOLVER, "optimal")
    limited: int = described(SOLVER, "limited")
    greedy: int = described(SOLVER, "greedy")
    largest: int = described(SOLVER, "largest")
    note: str = described(SOLVER, "note")


class FormationPlan(ResultModel):
    """``liangxin plan --format json``: every uncovered organization gets one outcome."""

    rates: list[PlanRate] = described(PLAN, "rates")
    standalone: list[StandaloneProposal] = described(PLAN, "standalone")
    groups: list[JointGroup] = described(PLAN, "groups")
    attachments: list[Attachment] = described(PLAN, "attachments")
    instructors: list[InstructorAssignment] = described(PLAN, "instructors")
    splits: list[PlanSplit] = described(PLAN, "splits")
    solver: PlanSolver = described(PLAN, "solver")
