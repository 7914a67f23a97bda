"""Paging that stays fast on large tables: a count that stops at ``COUNT_CAP`` rows, numbered
pages within it, and keyset pages (``?after=<id>``) beyond it.

A list of 200,000 clients does not need its exact size on every page view: "10,000+" says
enough, and counting stops after 10,001 rows (``SELECT COUNT(*) FROM (… LIMIT 10001)``).
Numbered pages are ``OFFSET`` pages, cheap while the offset is small; past the cap, or when
a caller asks, the next page starts after the last row shown: ``?after=<id>`` reads that
row's sort key and continues with ``(k1, k2, …, id) > (v1, v2, …, id)`` on the list's own
ordering, which the list's index serves whatever the depth. The cursor is a row id, never a
name or another value of the row.
"""

from collections.abc import Sequence
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from rest_framework import pagination

COUNT_CAP = 10_000
MAX_PER_PAGE = 500


class CappedPaginator(Paginator):
    """A Django paginator whose count stops at ``cap`` (``capped`` says it did)."""

    def __init__(self, object_list, per_page, *args, cap=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap
        self.capped = False
        # Whether ``?after=`` can continue this list: a queryset ordered down to its id.
        self.keyset = isinstance(object_list, QuerySet) and keyset_fields(object_list) is not None

    @cached_property
    def count(self) -> int:
        items = self.object_list
        if isinstance(items, QuerySet):
            # Any cap+1 rows will do for the count: no ORDER BY, no sort, no join of the
            # page's select_related, only the ids.
            if not items.query.combinator:
                items = items.values("pk")
            n = items.order_by()[: self.cap + 1].count()
        else:
            n = len(items)
        self.capped = n > self.cap
        return min(n, self.cap)

    def _get_page(self, *args, **kwargs):
        return CappedPage(*args, **kwargs)


class CappedPage(Page):
    keyset = False

    @property
    def next_after(self):
        """The id to continue after, past the last numbered page of a capped count."""
        if self.has_next() or not self.paginator.capped or not self.object_list:
            return None
        if not getattr(self.paginator, "keyset", False):
            return None
        return self[len(self) - 1].pk


class KeysetPage(Sequence):
    """A page that starts after a given row: no number, a link to the first page and,
    when more rows follow, to the next (``next_after``)."""

    keyset = True
    number = None

    def __init__(self, rows, per_page, paginator):
        self.object_list = rows[:per_page]
        self.more = len(rows) > per_page
        self.paginator = paginator

    def __getitem__(self, index):
        return self.object_list[index]

    def __len__(self):
        return len(self.object_list)

    def has_next(self) -> bool:
        return self.more

    def has_previous(self) -> bool:
        return True

    def has_other_pages(self) -> bool:
        return True

    @property
    def next_after(self):
        return self.object_list[-1].pk if self.more else None


def ordering_of(items: QuerySet) -> list[str]:
    """The list's ORDER BY as field names (``-`` for descending); it must end with the
    primary key for a keyset page to be exact."""
    order = list(items.query.order_by or items.model._meta.ordering or [])
    return [o for o in order if isinstance(o, str)]


def keyset_fields(items: QuerySet) -> list[str] | None:
    order = ordering_of(items)
    if not order or order[-1].lstrip("-") not in ("id", "pk"):
        return None
    return order


def after_q(order: list[str], values: dict) -> Q:
    """Rows after ``values`` in ``order``: ``(k1, …, kn) > (v1, …, vn)`` spelled out, plus a
    leading ``k1 >= v1`` so that an index on the keys starts its scan at the row."""

    def step(field):
        name = field.lstrip("-")
        return name, ("lt" if field.startswith("-") else "gt")

    last_name, last_op = step(order[-1])
    q = Q(**{f"{last_name}__{last_op}": values[last_name]})
    for field in reversed(order[:-1]):
        name, op = step(field)
        q = Q(**{f"{name}__{op}": values[name]}) | (Q(**{name: values[name]}) & q)
    first, first_op = step(order[0])
    return Q(**{f"{first}__{first_op}e": values[first]}) & q


def after(items: QuerySet, anchor_pk) -> QuerySet | None:
    """``items`` after the row ``anchor_pk`` (itself one of ``items``); None if the list
    has no exact keyset order or the row is not in it."""
    order = keyset_fields(items)
    if order is None:
        return None
    names = [f.lstrip("-") for f in order]
    values = items.filter(pk=anchor_pk).values(*names).first()
    if values is None:
        return None
    return items.filter(after_q(order, values))


def parse_after(raw) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


def page_of(request, items, per_page=50, *, cap=None):
    """One page of ``items`` for a list page: ``?after=<id>`` a keyset page, otherwise the
    numbered ``?page=`` (out of range: the last), its paginator counting up to ``cap``."""
    paginator = CappedPaginator(items, per_page, cap=cap)
    anchor = parse_after(request.GET.get("after"))
    if anchor is not None and paginator.keyset:
        rest = after(items, anchor)
        if rest is not None:
            return KeysetPage(list(rest[: per_page + 1]), per_page, paginator)
    return paginator.get_page(request.GET.get("page"))


class CappedPagination(pagination.PageNumberPagination):
    """The API's paging for large lists (clients, visits due): ``count`` stops at 10,000
    (``count_capped`` says so), ``?page=`` numbered pages within it, ``?after=<id>`` keyset
    pages anywhere; ``next`` continues with ``after`` past the last numbered page, and a
    keyset page's ``next`` is the next keyset page (its ``previous`` is null)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PER_PAGE
    django_paginator_class = CappedPaginator
    after_query_param = "after"

    def paginate_queryset(self, queryset, request, view=None):
        from django.utils.translation import gettext as _
        from rest_framework.exceptions import ValidationError

        self.request = request
        self.keyset_page = None
        raw = request.query_params.get(self.after_query_param)
        if raw is None:
            return super().paginate_queryset(queryset, request, view)
        anchor = parse_after(raw)
        rest = after(queryset, anchor) if anchor is not None else None
        if rest is None:
            raise ValidationError(
                {self.after_query_param: [_("Not a row of this list: start from its first page.")]}
            )
        size = self.get_page_size(request) or self.page_size
        paginator = CappedPaginator(queryset, size)
        self.keyset_page = KeysetPage(list(rest[: size + 1]), size, paginator)
        return list(self.keyset_page)

    def _count(self):
        page = self.keyset_page or self.page
        return page.paginator.count, page.paginator.capped

    def get_next_link(self):
        from rest_framework.utils.urls import remove_query_param, replace_query_param

        page = self.keyset_page or self.page
        after_pk = page.next_after
        if after_pk is None:
            return None if self.keyset_page else super().get_next_link()
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.after_query_param, after_pk)

    def get_previous_link(self):
        if self.keyset_page is not None:
            return None
        return super().get_previous_link()

    def get_paginated_response(self, data):
        from rest_framework.response import Response

        count, capped = self._count()
        return Response(
            {
                "count": count,
                "count_capped": capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        out = super().get_paginated_response_schema(schema)
        out["required"] = ["count", "count_capped", "results"]
        props = out["properties"]
        props["count"]["description"] = f"Rows in the list, counted up to {COUNT_CAP:,}."
        props["count_capped"] = {
            "type": "boolean",
            "description": f"True when the list holds more than {COUNT_CAP:,} rows.",
        }
        out["properties"] = {
            k: props[k] for k in ["count", "count_capped", "next", "previous", "results"]
        }
        return out

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        params.append(
            {
                "name": self.after_query_param,
                "required": False,
                "in": "query",
                "description": "Keyset page: the rows after the row with this id "
                "(the `next` link past the numbered pages).",
                "schema": {"type": "integer"},
            }
        )
        return params
