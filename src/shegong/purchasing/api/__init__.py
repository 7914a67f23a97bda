"""The purchased-services API, one module a resource: ``projects`` (the lifecycle steps),
``evaluations``, ``payments``, ``indicators`` and ``registers`` (purchasers, agencies)."""

from .evaluations import EvaluationViewSet
from .projects import ProjectViewSet
from .registers import AgencyViewSet, PurchaserViewSet

__all__ = ["AgencyViewSet", "EvaluationViewSet", "ProjectViewSet", "PurchaserViewSet"]
