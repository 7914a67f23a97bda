"""A blank sensitive field in an edit means "keep the recorded value" — one rule for both doors."""

from shegong.clients.sensitive import without_blank_sensitive


def test_blank_sensitive_fields_are_left_out_and_everything_else_kept():
    data = {"id_number": "", "phone": None, "health_notes": "新", "name": "", "address": None}
    assert without_blank_sensitive(data) == {"health_notes": "新", "name": "", "address": None}


def test_a_missing_sensitive_field_stays_missing():
    assert without_blank_sensitive({"name": "张三"}) == {"name": "张三"}
