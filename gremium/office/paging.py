"""Every office list shows one page at a time: a list that grows with the archive (2,000
meetings to approve took 165 ms and 208 KB as one page) costs the same on every visit."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 25


def page_of(request: HttpRequest, rows: Any, param: str) -> Page:
    """The page named by the query parameter `param`; a wrong or too high number gives
    the nearest page that exists, never an error."""
    return Paginator(rows, PER_PAGE).get_page(request.GET.get(param))
