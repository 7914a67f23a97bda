from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "shegong.people"
    verbose_name = _("people")

    def ready(self):
        from shegong.audit.registry import register_history

        from .models import Assignment, Certificate, Worker

        register_history(Worker, _("worker"), "division__code")
        register_history(Assignment, _("assignment"), "unit__division__code")
        register_history(Certificate, _("certificate"), "worker__division__code")
