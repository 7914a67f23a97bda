from django.db import models
from django.utils.translation import gettext_lazy as _

from .codes import SERVICE_LEVELS, Level, town_of


class DivisionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def service_levels(self):
        """Active divisions a unit, a worker or an account can sit at: district, town, village."""
        return self.active().filter(level__in=SERVICE_LEVELS)

    def at_level(self, level):
        """Active divisions of one level (``Level.TOWN``…)."""
        return self.active().filter(level=level)


class Division(models.Model):
    """An administrative division keyed on its prefix-nested statistical code.

    The code is the primary key, so every ``division_id`` column elsewhere holds the code
    itself and scoping is a plain ``LIKE 'prefix%'`` on that column.
    """

    code = models.CharField(_("code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = DivisionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("division")
        verbose_name_plural = _("divisions")

    def __str__(self):
        return self.name

    @property
    def town_code(self) -> str | None:
        return town_of(self.code) if self.level >= Level.TOWN else None
