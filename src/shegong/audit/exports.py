"""Exports that leave a trace: every download of personal data goes through
:func:`logged_xlsx` (or calls ``services.export_logged`` itself), and the audit logs'
own workbooks."""

from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.common.exports import export_filename, table_workbook, xlsx_response

from .services import export_logged


class _Counted:
    """An iterable of rows that counts the rows read from it."""

    def __init__(self, rows):
        self.rows, self.count = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


def logged_xlsx(*, user, object_type, title, headers, rows, filename=None, filters=None, fields=""):
    """``rows`` as a workbook download (``common.exports``: inert cells, no-store), logged
    in the access log with the reader's whole scope, ``filters`` and the number of rows.

    The file is named in Chinese for what it holds and when (``export_filename``): the
    title, the places the filters name, today — ``服务台账_五星路社区_2026-12-01.xlsx`` — so
    two exports never share a name. A caller that knows better (a project's name) passes
    its own ``export_filename(…)``; an old ASCII ``filename`` is replaced by the title's."""
    counted = _Counted(rows)
    content = table_workbook(title, headers, counted)
    export_logged(
        user=user, object_type=object_type, rows=counted.count, filters=filters, fields=fields
    )
    if not filename or filename.isascii():
        filename = export_filename(title, *places_named(filters))
    return xlsx_response(content, filename)


def places_named(filters) -> list[str]:
    """The names of the divisions a filter names by code (a town, a village), for a file
    name: ``{"village": "500112002001"}`` → ``["五星路社区"]``."""
    from shegong.divisions.models import Division

    codes = [
        str(v)
        for v in (filters or {}).values()
        if isinstance(v, (str, int)) and str(v).isdigit() and len(str(v)) in (6, 9, 12)
    ]
    if not codes:
        return []
    names = dict(Division.objects.filter(code__in=codes).values_list("code", "name"))
    return [names[c] for c in codes if c in names]


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def change_workbook(user, rows, filters):
    return logged_xlsx(
        user=user,
        object_type="audit.change",
        title=_("Change log"),
        headers=[_("When"), _("Who"), _("Record type"), _("Record"), _("Object"), _("Action")],
        rows=(
            [
                _when(r["when"]),
                r["username"],
                r["what"],
                r["object_id"],
                r["object"],
                r["action"],
            ]
            for r in rows
        ),
        filters=filters,
    )


def access_workbook(user, accesses, filters):
    return logged_xlsx(
        user=user,
        object_type="audit.access",
        title=_("Sensitive-data accesses"),
        headers=[
            _("When"),
            _("Who"),
            _("Action"),
            _("Record type"),
            _("Record"),
            _("Fields"),
            _("Reason"),
            _("Scope"),
            _("Filters"),
            _("Rows"),
        ],
        rows=(
            [
                _when(a.at),
                a.user.username,
                a.get_action_display(),
                a.object_type,
                a.object_id,
                a.fields,
                a.reason,
                a.scope or a.division_code,
                "; ".join(f"{k}={v}" for k, v in sorted(a.filters.items())),
                a.rows,
            ]
            for a in accesses.iterator(chunk_size=2000)
        ),
        filters=filters,
    )


def login_workbook(user, events, filters):
    return logged_xlsx(
        user=user,
        object_type="audit.login",
        title=_("Logins"),
        headers=[_("When"), _("Username"), _("Event"), _("IP address"), _("Browser")],
        rows=(
            [_when(e.at), e.username, e.get_kind_display(), e.ip_address, e.user_agent]
            for e in events.iterator(chunk_size=2000)
        ),
        filters=filters,
    )
