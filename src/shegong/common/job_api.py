"""Background import jobs over the API (kept apart from ``api.py``, which DRF's settings
import while ``rest_framework.viewsets`` is still loading)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets

from .api import ImportJobSerializer, import_job_data


class ImportJobViewSet(viewsets.GenericViewSet):
    """Background imports: each visible to the account that uploaded it, and no other."""

    serializer_class = ImportJobSerializer

    def get_queryset(self):
        from .models import ImportJob

        return ImportJob.objects.filter(created_by=self.request.user)

    @extend_schema(parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)])
    def retrieve(self, request, pk=None):
        from rest_framework.response import Response

        return Response(import_job_data(self.get_object()))
