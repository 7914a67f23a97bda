"""post_from_page: a form posted from an object's page — flash and go back, or the page
again with the errors as a 400; a refusal to this user is flashed, not a 403."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse

from shegong.common.forms import post_from_page


class NoteForm(forms.Form):
    note = forms.CharField(max_length=5)


@pytest.fixture
def request_(rf):
    def make(data):
        request = rf.post("/thing/1/step/", data)
        request._messages = CookieStorage(request)
        return request

    return make


def post(request, action):
    form = NoteForm(request.POST)
    return form, post_from_page(
        request, form, action, "done", back="/thing/1/", page=lambda f: HttpResponse("page")
    )


def texts(request):
    return [str(m) for m in get_messages(request)]


def test_accepted_flashes_and_goes_back(request_):
    request = request_({"note": "ok"})
    seen = []
    _form, response = post(request, seen.append)
    assert (response.status_code, response.url, seen) == (302, "/thing/1/", [{"note": "ok"}])
    assert texts(request) == ["done"]


def test_an_invalid_form_or_a_service_refusal_is_the_page_again_as_400(request_):
    _form, response = post(request_({"note": "far too long"}), lambda data: None)
    assert (response.status_code, response.content) == (400, b"page")

    def refuse(data):
        raise ValidationError({"note": ["not now"]})

    form, response = post(request_({"note": "ok"}), refuse)
    assert response.status_code == 400 and form.errors["note"] == ["not now"]


def test_permission_denied_is_flashed_and_goes_back(request_):
    def deny(data):
        raise PermissionDenied("not yours")

    request = request_({"note": "ok"})
    _form, response = post(request, deny)
    assert (response.status_code, response.url) == (302, "/thing/1/")
    assert texts(request) == ["not yours"]
