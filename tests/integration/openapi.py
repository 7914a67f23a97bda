"""Calling the API as plain WSGI, signed in, and checking answers against its OpenAPI schema
(shared by test_api_fuzz and test_api_contract)."""

import contextlib

from django.core.handlers.wsgi import WSGIHandler
from rest_framework.test import force_authenticate


class SignedIn(WSGIHandler):
    """The project's WSGI application with every request signed in as ``user`` (forced, as
    DRF's test client does: login and its second factor are tested elsewhere)."""

    def __init__(self, user):
        super().__init__()
        self.user = user

    def get_response(self, request):
        if self.user is not None:
            force_authenticate(request, self.user)
        return super().get_response(request)


@contextlib.contextmanager
def connection_kept():
    """The app is called as plain WSGI, so Django would close the test's database
    connection at the end of each request; Django's own test client prevents that."""
    from django.core import signals
    from django.db import close_old_connections

    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (signals.request_started, signals.request_finished):
            signal.connect(close_old_connections)
