"""The Simplified Chinese catalogue is complete, compiled, and the default."""

import gettext
import re
from pathlib import Path

import shegong

LOCALE = Path(shegong.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def po_entries():
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    for block in text.split("\n\n")[1:]:
        if not block.strip() or block.lstrip().startswith("#~"):
            continue
        fuzzy = re.search(r"^#,.*fuzzy", block, re.M) is not None
        msgid = "".join(re.findall(r'"(.*)"', block.split("msgid ", 1)[1].split("\nmsg", 1)[0]))
        strs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M)
        values = ["".join(re.findall(r'"(.*)"', s)) for s in strs]
        plural = "msgid_plural" in block
        context = re.search(r'^msgctxt "(.*)"', block, re.M)
        if context:  # gettext keys a contexted message as "context\x04msgid"
            msgid = f"{context.group(1)}\x04{msgid}"
        yield msgid, any(values), fuzzy, None if plural else values[0]


def test_every_message_is_translated_and_none_fuzzy():
    entries = list(po_entries())
    assert len(entries) > 300
    assert [m for m, translated, fuzzy, _s in entries if not translated or fuzzy] == []


def test_compiled_catalogue_matches_the_po_file():
    with (LOCALE / "django.mo").open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    stale = [
        msgid
        for msgid, _t, _f, msgstr in po_entries()
        if msgstr is not None and "\\" not in msgid and catalogue.gettext(msgid) != msgstr
    ]
    assert stale == []


def test_pages_default_to_chinese(client):
    page = client.get("/login/").content.decode()
    assert "登录" in page and "社会工作三级服务体系管理平台" in page


def test_english_is_available(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Log in" in page
