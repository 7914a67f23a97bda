"""Property-based API testing from the OpenAPI schema (schemathesis): whatever a client
sends, as the district administrator, the API answers without a server error."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error

from shegong.config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


@pytest.fixture
def district_token(world):
    return AuthToken.objects.create(user=world.users.district)[1]


@pytest.fixture(autouse=True)
def keep_test_connection():
    """The app is called as plain WSGI, so Django would close the test's database
    connection at the end of each request; Django's own test client prevents that."""
    from django.core import signals
    from django.db import close_old_connections

    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_never_answers_with_a_server_error(case, district_token):
    case.call_and_validate(
        headers={"Authorization": f"Token {district_token}"}, checks=[not_a_server_error]
    )
