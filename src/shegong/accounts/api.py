from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from shegong.access import scoping, services
from shegong.access.models import Role, RoleGrant, User
from shegong.common.api import StepMixin
from shegong.common.viewsets import step_action
from shegong.divisions.models import Division
from shegong.network.models import Agency, Unit
from shegong.purchasing.models import Purchaser

from . import selectors


class CanManageAccounts(BasePermission):
    def has_permission(self, request, view):
        return request.user.is_authenticated and scoping.can_manage_accounts(request.user)


class AccountDivisionField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        user = self.context["request"].user
        return scoping.filter_by_scope(Division.objects.all(), user, "code", scoping.ACCOUNTS)


class AccountUnitField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        user = self.context["request"].user
        return scoping.filter_by_scope(
            Unit.objects.live(), user, "division__code", scoping.ACCOUNTS
        )


class GrantSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=Role.choices)
    unit = AccountUnitField(allow_null=True, required=False)
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), allow_null=True, required=False
    )
    purchaser = serializers.PrimaryKeyRelatedField(
        queryset=Purchaser.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = RoleGrant
        fields = ["id", "role", "unit", "agency", "purchaser"]


class UserSerializer(serializers.ModelSerializer):
    division = AccountDivisionField()
    grants = GrantSerializer(many=True, read_only=True)
    password = serializers.CharField(write_only=True, required=False, allow_blank=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "email",
            "division",
            "is_active",
            "last_login",
            "grants",
            "password",
        ]
        read_only_fields = ["last_login"]

    def create(self, validated_data):
        validated_data.pop("is_active", None)
        user, password = services.user_create(
            actor=self.context["request"].user,
            username=validated_data["username"],
            display_name=validated_data.get("display_name", ""),
            division=validated_data["division"],
            email=validated_data.get("email", ""),
            password=validated_data.get("password") or None,
        )
        self.context["initial_password"] = password
        return user

    def update(self, instance, validated_data):
        validated_data.pop("username", None)
        password = validated_data.pop("password", None)
        actor = self.context["request"].user
        services.user_update(user=instance, actor=actor, **validated_data)
        if password:
            services.user_set_password(user=instance, password=password, actor=actor)
        return instance

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if "initial_password" in self.context:
            data["initial_password"] = self.context["initial_password"]
        return data


class UserViewSet(
    StepMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Accounts (district, system administrators). Accounts are deactivated, not deleted."""

    serializer_class = UserSerializer
    permission_classes = [CanManageAccounts]
    step_object = "user"

    def get_queryset(self):
        q = self.request.query_params.get("q", "")
        return selectors.user_search(self.request.user, q=q)

    grants = step_action(GrantSerializer, services.grant_add, created=True, answer=GrantSerializer)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"grants/(?P<grant_id>\d+)")
    def revoke(self, request, pk=None, grant_id=None):
        user = self.get_object()
        grant = selectors.grant_get(request.user, user, grant_id)
        services.grant_remove(grant=grant, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def unlock(self, request, pk=None):
        services.user_unlock(user=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
