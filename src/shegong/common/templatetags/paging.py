"""The numbered links of a paged list (``includes/pagination.html``)."""

from django import template
from django.core.paginator import Paginator

register = template.Library()


@register.simple_tag
def page_numbers(page):
    """The page numbers to link, with ``None`` for a gap: 1 … 4 5 [6] 7 8 … 20."""
    paginator = getattr(page, "paginator", None)
    if getattr(page, "keyset", False) or not isinstance(paginator, Paginator):
        return []
    if paginator.num_pages <= 1:
        return []
    return [
        None if n == Paginator.ELLIPSIS else n
        for n in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
