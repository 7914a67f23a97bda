"""Referrals through ``shegong.referrals.services.referral_create`` (adjacent units or an
outside body, consent checked, a due time from the urgency)."""

from factory.django import DjangoModelFactory

from shegong.referrals import services
from shegong.referrals.models import Referral


class ReferralFactory(DjangoModelFactory):
    """Give ``actor``, ``client``, ``from_unit`` and ``to_unit`` (or ``external_kind``)."""

    class Meta:
        model = Referral

    reason = "需要专业社工介入"
    consent_checked = True

    @classmethod
    def _create(cls, model_class, **data):
        return services.referral_create(**data)
