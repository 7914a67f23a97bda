from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.access import services
from shegong.access.decorators import scoped_page
from shegong.access.models import Role
from shegong.access.scoping import can_manage_accounts, can_manage_security
from shegong.common.forms import form_page, list_page, post_to_page

from . import selectors
from .forms import AccountCreateForm, AccountForm, GrantForm, PasswordForm

manager_page = scoped_page(check=can_manage_accounts)


@manager_page
def user_list(request):
    params = {k: request.GET.get(k, "") for k in ("q", "role", "active")}
    return list_page(
        request,
        selectors.user_search(request.user, **params),
        "accounts/user_list.html",
        context={"params": params, "roles": Role.choices},
    )


def _detail(request, account, **forms):
    context = {
        "account": account,
        "history": selectors.account_history(account),
        "grant_form": GrantForm(user=request.user),
        "password_form": PasswordForm(),
    }
    context.update(forms)
    return render(request, "accounts/user_detail.html", context)


@manager_page
def user_detail(request, pk):
    return _detail(request, selectors.user_get(request.user, pk))


@manager_page
def user_create(request):
    return form_page(
        request,
        AccountCreateForm(request.POST or None, user=request.user),
        "accounts/user_form.html",
        save=lambda data: _create(request, data),
        success_message=_("The account has been created. Now grant it a role."),
        done=_detail_url,
    )


def _create(request, data):
    account, password = services.user_create(
        actor=request.user,
        username=data["username"],
        display_name=data["display_name"],
        email=data["email"],
        division=data["division"],
        password=data["password"] or None,
    )
    if not data["password"]:
        # Shown once on the next page; never logged or put in a URL.
        messages.warning(
            request,
            _("Initial password for %(user)s: %(password)s — give it to them in person.")
            % {"user": account.username, "password": password},
        )
    return account


def _detail_url(account):
    return reverse("accounts:user-detail", args=[account.pk])


@manager_page
def user_edit(request, pk):
    account = selectors.user_get(request.user, pk)
    return form_page(
        request,
        AccountForm(request.POST or None, instance=account, user=request.user),
        "accounts/user_form.html",
        save=lambda data: services.user_update(user=account, actor=request.user, **data),
        success_message=_("The account has been saved."),
        done=_detail_url(account),
        context={"account": account},
    )


@require_POST
@manager_page
def grant_add(request, pk):
    account = selectors.user_get(request.user, pk)
    return post_to_page(
        request,
        GrantForm(request.POST, user=request.user),
        lambda data: services.grant_add(user=account, actor=request.user, **data),
        _("The role has been granted."),
        back=_detail_url(account),
        page=lambda form: _detail(request, account, grant_form=form),
    )


@require_POST
@manager_page
def grant_remove(request, pk, grant_id):
    account = selectors.user_get(request.user, pk)
    grant = selectors.grant_get(request.user, account, grant_id)
    try:
        services.grant_remove(grant=grant, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The role has been revoked."))
    return redirect("accounts:user-detail", pk=account.pk)


@require_POST
@manager_page
def user_password(request, pk):
    account = selectors.user_get(request.user, pk)
    return post_to_page(
        request,
        PasswordForm(request.POST),
        lambda data: services.user_set_password(
            user=account, password=data["password"], actor=request.user
        ),
        _("The password has been changed."),
        back=_detail_url(account),
        page=lambda form: _detail(request, account, password_form=form),
    )


@require_POST
@manager_page
def user_unlock(request, pk):
    account = selectors.user_get(request.user, pk)
    services.user_unlock(user=account, actor=request.user)
    messages.success(request, _("Failed logins have been cleared; the account can log in."))
    return redirect("accounts:user-detail", pk=account.pk)


security_page = scoped_page(check=can_manage_security)


@security_page
def security_overview(request):
    from django.conf import settings

    policy = {
        "failures": settings.AXES_FAILURE_LIMIT,
        "lock_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        "password_days": settings.SHEGONG_PASSWORD_MAX_AGE_DAYS,
        "password_history": settings.SHEGONG_PASSWORD_HISTORY,
        "token_hours": settings.REST_KNOX["TOKEN_TTL"].total_seconds() / 3600,
    }
    return render(
        request,
        "accounts/security.html",
        {
            "failures": selectors.login_failures(request.user),
            "two_factor": selectors.two_factor_accounts(request.user),
            "policy": policy,
        },
    )


@require_POST
@security_page
def security_unlock(request, pk):
    from django.shortcuts import get_object_or_404

    account = get_object_or_404(selectors.security_users(request.user), pk=pk)
    services.user_unlock(user=account, actor=request.user)
    messages.success(request, _("Failed logins have been cleared; the account can log in."))
    return redirect("accounts:security")


@require_POST
@security_page
def security_two_factor_reset(request, pk):
    """A lost phone: the account enrols a new authenticator at its next login."""
    account = get_object_or_404(selectors.security_users(request.user), pk=pk)
    services.two_factor_reset(user=account, actor=request.user)
    messages.success(
        request,
        _("The second factor of %(user)s has been reset: it enrols again at its next login.")
        % {"user": account.username},
    )
    return redirect("accounts:security")


@scoped_page
def import_job_detail(request, pk):
    """A background import's progress (polled by htmx) and, once done, its report."""
    from shegong.audit.exports import logged_xlsx
    from shegong.common.exports import export_filename
    from shegong.common.jobs import progress_of
    from shegong.common.models import ImportJob

    # A job is its uploader's alone: nobody else learns even that it exists.
    job = get_object_or_404(ImportJob, pk=pk, created_by=request.user)
    outcomes = [{"key": k, "label": label, "count": n} for k, label, n in job.outcomes]
    if request.GET.get("export") == "xlsx" and job.is_done and (job.errors or outcomes):
        # A refusal may name a person already registered: logged like any export. The
        # report ends with what the rows did (new people, known people who gained a group).
        summary = [["", o["label"], o["count"]] for o in outcomes]
        if job.examples:
            summary.append(["、".join(map(str, job.examples)), _("Example row, not imported"), ""])
        return logged_xlsx(
            user=request.user,
            object_type="import_errors",
            title=_("Import report"),
            headers=[_("Row"), _("Column"), _("Problem")],
            rows=[*job.errors, *([[]] if job.errors and summary else []), *summary],
            filename=export_filename(_("Import report"), job.original_name.rsplit(".", 1)[0]),
            filters={"import_job": job.pk, "kind": job.kind},
        )
    done, total = progress_of(job)
    context = {
        "job": job,
        "done": done,
        "percent": int(100 * done / total) if total else 100,
        "errors": job.errors[:500],
        "outcomes": outcomes,
    }
    polled = request.headers.get("HX-Request") == "true"
    return render(request, "import_job_body.html" if polled else "import_job.html", context)
