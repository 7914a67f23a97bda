"""The Simplified Chinese catalogue is complete, compiled, and the default."""

import gettext
from pathlib import Path

import polib

import shegong

LOCALE = Path(shegong.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def po_entries() -> list[polib.POEntry]:
    """The live entries of the catalogue (obsolete ``#~`` ones left out)."""
    return [e for e in polib.pofile(str(LOCALE / "django.po")) if not e.obsolete]


def test_every_message_is_translated_and_none_fuzzy():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    entries = po_entries()
    assert len(entries) > 300
    assert not catalogue.metadata_is_fuzzy
    # translated() is False for a fuzzy entry, and for a plural with any msgstr[n] empty.
    assert [e.msgid for e in entries if not e.translated() or e.fuzzy] == []


def test_compiled_catalogue_matches_the_po_file():
    with (LOCALE / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = []  # compared through gettext itself: context, plurals and escapes included
    for e in po_entries():
        if e.msgid_plural:
            n = 1
            expected = e.msgstr_plural[compiled.plural(n)]
            if e.msgctxt is None:
                found = compiled.ngettext(e.msgid, e.msgid_plural, n)
            else:
                found = compiled.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
        else:
            expected = e.msgstr
            if e.msgctxt is None:
                found = compiled.gettext(e.msgid)
            else:
                found = compiled.pgettext(e.msgctxt, e.msgid)
        if found != expected:
            stale.append(e.msgid)
    assert stale == []


def test_pages_default_to_chinese(client):
    page = client.get("/login/").content.decode()
    assert "登录" in page and "社会工作三级服务体系管理平台" in page


def test_english_is_available(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Log in" in page


def test_every_audited_record_type_has_a_chinese_name():
    """The auditor's change log names each record type by its model's verbose name."""
    from django.utils import translation

    from shegong.audit.registry import history_sources

    untranslated = []
    for model, *_rest in history_sources():
        with translation.override("zh-hans"):
            name = str(model._meta.verbose_name)
        if name.isascii():
            untranslated.append(model.__name__)
    assert untranslated == []
