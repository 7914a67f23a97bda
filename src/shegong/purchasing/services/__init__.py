"""The writes of purchased services (R4.2, R4.3), one module a resource:

- ``projects``: budget approved → procurement → award → contract (execution: linked service
  records, monthly reports) → closed, the result kept on the agency's record;
- ``indicators``: the targets a project is measured by;
- ``evaluations``: mid-term and final evaluations, scored, graded and answered;
- ``payments``: instalments paid by grade;
- ``purchasers``: the purchasing departments.

Every step names the stage it needs; an illegal jump (paying before a contract, closing
without a final evaluation) is refused with a reason on ``stage``. Callers import from here:
``from shegong.purchasing import services``."""

from .evaluations import (
    evaluation_assign,
    evaluation_respond,
    evaluation_score,
    evidence_add,
    grade_for,
)
from .guards import CENT, is_agency_staff, may_manage
from .indicators import indicators_set, target_errors
from .payments import (
    delivery_lag,
    instalment_pay,
    instalment_payable,
    needs_override,
    payable_share,
)
from .projects import (
    REGISTERED_FIELDS,
    contract_elapsed,
    contract_sign,
    period_over,
    procurement_award,
    procurement_start,
    progress_report_add,
    project_close,
    project_create,
)
from .purchasers import PURCHASER_FIELDS, purchaser_create, purchaser_update

__all__ = [
    "CENT",
    "PURCHASER_FIELDS",
    "REGISTERED_FIELDS",
    "contract_elapsed",
    "contract_sign",
    "delivery_lag",
    "evaluation_assign",
    "evaluation_respond",
    "evaluation_score",
    "evidence_add",
    "grade_for",
    "indicators_set",
    "instalment_pay",
    "instalment_payable",
    "is_agency_staff",
    "may_manage",
    "needs_override",
    "payable_share",
    "period_over",
    "procurement_award",
    "procurement_start",
    "progress_report_add",
    "project_close",
    "project_create",
    "purchaser_create",
    "purchaser_update",
    "target_errors",
]
