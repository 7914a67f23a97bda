from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.access.decorators import scoped_page
from shegong.access.scoping import can_edit_clients
from shegong.audit.exports import logged_xlsx
from shegong.common.forms import form_page, list_page, post_from_page

from . import selectors, services
from .forms import ActivityForm, CancelForm, EvaluationForm, MembersForm, SessionForm
from .models import Kind, Status


@scoped_page
def activity_list(request):
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    activities = selectors.with_totals(selectors.activities_for(request.user))
    if kind in Kind.values:
        activities = activities.filter(kind=kind)
    if status in Status.values:
        activities = activities.filter(status=status)
    return list_page(
        request,
        activities,
        "activities/activity_list.html",
        export=lambda items: _workbook(request, items, {"kind": kind, "status": status}),
        context={"kinds": Kind.choices, "statuses": Status.choices, "kind": kind, "status": status},
    )


def _workbook(request, activities, filters):
    headers = [
        _("kind"),
        _("title"),
        _("unit"),
        _("service field"),
        _("leader"),
        _("start date"),
        _("planned sessions"),
        _("sessions held"),
        _("status"),
        _("goals met"),
    ]
    rows = (
        [
            a.get_kind_display(),
            a.title,
            a.unit.name,
            a.field.name,
            a.leader.name,
            a.start_on,
            a.planned_sessions,
            a.sessions,
            a.get_status_display(),
            a.get_goals_met_display(),
        ]
        for a in activities
    )
    return logged_xlsx(
        user=request.user,
        object_type="activity",
        title=_("Groups and community activities"),
        headers=headers,
        rows=rows,
        filters=filters,
    )


@scoped_page(check=can_edit_clients)
def activity_create(request):
    return form_page(
        request,
        ActivityForm(request.POST or None, user=request.user),
        "activities/activity_form.html",
        save=lambda data: services.activity_create(actor=request.user, **data),
        success_message=_("The activity has been planned."),
        done=lambda activity: reverse("activities:activity-detail", args=[activity.pk]),
    )


def _detail(request, activity, status=200, **forms):
    user = request.user
    forms.setdefault("members_form", MembersForm(activity=activity, user=user))
    forms.setdefault("session_form", SessionForm(activity=activity, user=user))
    forms.setdefault("evaluation_form", EvaluationForm())
    forms.setdefault("cancel_form", CancelForm())
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "sessions": selectors.sessions(activity),
            "totals": selectors.attendance(activity),
            "is_open": activity.status in services.OPEN,
            **forms,
        },
        status=status,
    )


@scoped_page
def activity_detail(request, pk):
    return _detail(request, selectors.activity_get(request.user, pk))


def _post(request, pk, form_name, make_form, action, message):
    activity = selectors.activity_get(request.user, pk)
    return post_from_page(
        request,
        make_form(activity),
        lambda data: action(activity, data),
        message,
        back=reverse("activities:activity-detail", args=[pk]),
        page=lambda form: _detail(request, activity, **{form_name: form}),
    )


@require_POST
@scoped_page(check=can_edit_clients)
def members_add(request, pk):
    return _post(
        request,
        pk,
        "members_form",
        lambda a: MembersForm(request.POST, activity=a, user=request.user),
        lambda a, data: services.activity_enrol(activity=a, actor=request.user, **data),
        _("The members have been added."),
    )


@require_POST
@scoped_page(check=can_edit_clients)
def session_add(request, pk):
    return _post(
        request,
        pk,
        "session_form",
        lambda a: SessionForm(request.POST, activity=a, user=request.user),
        lambda a, data: services.session_add(activity=a, actor=request.user, **data),
        _("The session has been recorded."),
    )


@require_POST
@scoped_page(check=can_edit_clients)
def activity_evaluate(request, pk):
    return _post(
        request,
        pk,
        "evaluation_form",
        lambda a: EvaluationForm(request.POST),
        lambda a, data: services.activity_evaluate(activity=a, actor=request.user, **data),
        _("The evaluation has been recorded."),
    )


@require_POST
@scoped_page(check=can_edit_clients)
def activity_cancel(request, pk):
    return _post(
        request,
        pk,
        "cancel_form",
        lambda a: CancelForm(request.POST),
        lambda a, data: services.activity_cancel(activity=a, actor=request.user, **data),
        _("The activity has been cancelled."),
    )
