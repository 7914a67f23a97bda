import base64
from urllib.parse import urlencode

from cryptography.exceptions import InvalidTag
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.access.decorators import scoped_page
from shegong.access.scoping import can_edit_clients
from shegong.common import crypto
from shegong.common.forms import apply_service_errors, form_page, post_from_page, submit_form
from shegong.common.history import history_rows
from shegong.common.idcard import mask_id_number, mask_phone
from shegong.common.paging import page_of
from shegong.network.selectors import towns_for

from . import selectors, services
from .file_views import file_context
from .forms import AlertForm, ClientForm, ConsentForm, HouseholdForm, RevealForm
from .models import Client, RiskTier, TargetGroup

# Where a search for an ID or phone number waits between its POST and the page it
# redirects to (post/redirect/get): in the session, never in the URL.
HELD_SEARCH = "clients:held-search"


@scoped_page
def client_list(request):
    """The search form posts and is redirected (post/redirect/get). A name search becomes
    a plain GET so it can be paged and bookmarked; a term holding a digit (an ID or phone
    number, however typed) waits in the session and the URL only says ``held=1``, so the
    number never reaches a URL, a server log, the browser's history or a Referer."""
    if request.method == "POST":
        return _search_redirect(request)
    if selectors.is_sensitive_query(request.GET.get("q", "")):
        # Never act on a number that came in a URL: the same list without it.
        kept = request.GET.copy()
        kept.pop("q")
        return redirect(f"{request.path}?{kept.urlencode()}" if kept else request.path)
    held = request.GET.get("held") == "1"
    params = _list_params(request.GET)
    if held:
        params["q"] = _held_search(request)
    clients = selectors.client_search(request.user, **params)
    if request.GET.get("export") == "xlsx" and not held:
        return _export(request, clients, params)
    # The page shows the name, village, tier and masked phone: nothing else is decrypted.
    page = page_of(request, clients.defer("id_number", *selectors.LIST_DEFERRED), 50)
    for client in page:
        client.phone_masked = mask_phone(client.phone or "")
    towns = list(towns_for(request.user))
    town = params["town"]
    return render(
        request,
        "clients/client_list.html",
        {
            "page": page,
            "params": params,
            "groups": TargetGroup.objects.all(),
            "risks": RiskTier.choices,
            "towns": towns,
            "today": timezone.localdate(),
            # A district's villages are hundreds: offered once a town is chosen, or when
            # the user's whole scope is one town or less.
            "villages": selectors.village_options(request.user, town)
            if town or len(towns) <= 1
            else [],
            # A held number is not put back in the box (nor offered for export).
            "sensitive_query": held,
        },
    )


LIST_FILTERS = ("q", "group", "risk", "town", "village", "overdue")


def _list_params(data) -> dict:
    """The list's filters from a query string or a posted form: codes are digits (anything
    else filters nothing out and is dropped), ``overdue`` is on or off."""
    params = {k: (data.get(k) or "").strip()[:50] for k in LIST_FILTERS}
    for code in ("town", "village"):
        if not params[code].isdigit():
            params[code] = ""
    params["overdue"] = "1" if params["overdue"] in ("1", "on", "true") else ""
    return params


def _held_search(request) -> str:
    held = request.session.get(HELD_SEARCH, "")
    try:
        return crypto.decrypt(base64.b64decode(held)) if held else ""
    except (ValueError, InvalidTag):  # another key (rotated) or a damaged value: no search
        return ""


def _search_redirect(request):
    params = _list_params(request.POST)
    if selectors.is_sensitive_query(params["q"]):
        # Encrypted under the field key: the session table (and its backups) holds no
        # number in clear either.
        held = base64.b64encode(crypto.encrypt(params.pop("q"))).decode()
        request.session[HELD_SEARCH] = held
        params["held"] = "1"
    else:
        request.session.pop(HELD_SEARCH, None)
    query = urlencode({k: v for k, v in params.items() if v})
    return redirect(f"{request.path}?{query}" if query else request.path)


def _detail(
    request,
    client,
    *,
    reveal_form=None,
    revealed=None,
    status=200,
    consent_form=None,
    household_form=None,
):
    return render(
        request,
        "clients/client_detail.html",
        {
            "client": client,
            "id_masked": mask_id_number(client.id_number) if client.id_number else "",
            "phone_masked": mask_phone(client.phone or ""),
            "guardian_phone_masked": mask_phone(client.guardian_phone or ""),
            "reveal_form": reveal_form or RevealForm(),
            "revealed": revealed,
            "can_reveal": services.can_reveal(request.user),
            "duplicates": selectors.likely_duplicates(request.user, client),
            "history": history_rows(client, sensitive=client.SENSITIVE_FIELDS),
            **file_context(request.user, client),
            "consent_form": consent_form or ConsentForm(),
            "household_form": household_form or HouseholdForm(),
            "needs_guardian_consent": services.needs_guardian_consent(client),
        },
        status=status,
    )


@scoped_page
def client_detail(request, pk):
    client = selectors.client_get(request.user, pk)
    if request.method != "POST":
        return _detail(request, client)
    # A reveal is a POST: the clear value is never in a URL, and is shown once.
    form = RevealForm(request.POST)
    if form.is_valid():
        try:
            value = services.client_reveal(client=client, actor=request.user, **form.cleaned_data)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            label = dict(form.fields["field"].choices)[form.cleaned_data["field"]]
            return _detail(request, client, revealed={"label": label, "value": value})
    return _detail(request, client, reveal_form=form, status=400)


@scoped_page(check=can_edit_clients)
def client_create(request):
    form = ClientForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        "clients/client_form.html",
        save=lambda data: services.client_create(
            actor=request.user, groups=data["groups"], **form.service_data()
        ),
        success_message=_("The client has been registered."),
    )


@scoped_page(check=can_edit_clients)
def client_edit(request, pk):
    client = selectors.client_get(request.user, pk)
    form = ClientForm(request.POST or None, instance=client, user=request.user)
    return form_page(
        request,
        form,
        "clients/client_form.html",
        save=lambda data: services.client_update(
            client=client, actor=request.user, **form.service_data()
        ),
        success_message=_("The client has been saved."),
        done=client,
        context={"client": client},
    )


def _export(request, clients, params):
    """The list as a masked workbook, logged with the reader's scope and the filters."""
    from shegong.audit.exports import logged_xlsx

    from .exports import client_headers, client_rows

    return logged_xlsx(
        user=request.user,
        object_type="client",
        title=_("Clients"),
        headers=client_headers(),
        rows=client_rows(clients.prefetch_related("memberships__group")),
        filters=params,
        fields=_("client list (masked)"),
    )


@scoped_page
def alert_list(request):
    from .models import RiskAlert

    alerts = (
        RiskAlert.objects.visible_to(request.user)
        .open()
        .select_related("client", "client__division", "raised_by")
        .defer(*(f"client__{f}" for f in Client.SENSITIVE_FIELDS))
        .order_by("-raised_at", "-id")
    )
    page = page_of(request, alerts, 25)
    return render(
        request, "clients/alert_list.html", {"alerts": page, "page": page, "form": AlertForm()}
    )


@scoped_page(check=can_edit_clients)
def alert_resolve(request, pk):
    from django.shortcuts import get_object_or_404

    from .models import RiskAlert

    alert = get_object_or_404(RiskAlert.objects.visible_to(request.user), pk=pk)
    form = AlertForm(request.POST or None)
    if request.method == "POST":
        ok, _alert = submit_form(
            request,
            form,
            lambda data: services.risk_alert_resolve(alert=alert, actor=request.user, **data),
            _("The action has been recorded; the alert is closed."),
        )
        if ok:
            return redirect("clients:alert-list")
    alerts = [alert]
    return render(request, "clients/alert_list.html", {"alerts": alerts, "form": form}, status=400)


@scoped_page(check=can_edit_clients)
def roster_import(request):
    from django.urls import reverse

    from shegong.common.import_views import import_page

    from .imports import import_roster, roster_columns

    return import_page(
        request,
        title=_("Import a roster from Excel"),
        columns=roster_columns(),
        run=lambda rows, dry_run: import_roster(rows, actor=request.user, dry_run=dry_run),
        job_kind="roster",
        template_url=reverse("clients:roster-template"),
        back_url=reverse("clients:client-list"),
        success=lambda n: _("%d roster rows have been imported.") % n,
    )


@scoped_page(check=can_edit_clients)
def roster_template(request):
    from shegong.common.exports import export_filename, xlsx_response
    from shegong.common.imports import template_workbook

    from .imports import roster_columns, roster_template_notes

    content = template_workbook(_("Roster"), roster_columns(), roster_template_notes())
    return xlsx_response(content, export_filename(_("Roster import template")))


@require_POST
@scoped_page(check=can_edit_clients)
def consent_add(request, pk):
    client = selectors.client_get(request.user, pk)
    return post_from_page(
        request,
        ConsentForm(request.POST),
        lambda data: services.consent_add(client=client, actor=request.user, **data),
        _("The consent has been recorded."),
        back=client,
        page=lambda form: _detail(request, client, consent_form=form),
    )


@require_POST
@scoped_page(check=can_edit_clients)
def household_add(request, pk):
    client = selectors.client_get(request.user, pk)
    return post_from_page(
        request,
        HouseholdForm(request.POST),
        lambda data: services.household_add(client=client, actor=request.user, **data),
        _("The household member has been added."),
        back=client,
        page=lambda form: _detail(request, client, household_form=form),
    )


@require_POST
@scoped_page(check=can_edit_clients)
def client_merge(request, pk, other_pk):
    keep = selectors.client_get(request.user, pk)
    drop = selectors.client_get(request.user, other_pk)
    try:
        services.client_merge(keep=keep, drop=drop, actor=request.user)
    except ValidationError as exc:
        from django.contrib import messages

        messages.error(request, " ".join(exc.messages))
    else:
        from django.contrib import messages

        messages.success(request, _("The duplicate has been merged into this record."))
    return redirect(keep)
