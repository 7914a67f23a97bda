"""Fill msgstr entries of a .po file from a JSON {msgid: msgstr} map and clear fuzzy flags
on them. Used when a handful of new strings land; keeps the catalogue complete."""

import json
import re
import sys


def unquote(lines):
    return "".join(json.loads(line.strip()) for line in lines)


def main(po_path, map_path):
    mapping = json.load(open(map_path, encoding="utf-8"))
    text = open(po_path, encoding="utf-8").read()
    blocks = text.split("\n\n")
    out = []
    for block in blocks:
        lines = block.split("\n")
        try:
            i = next(n for n, line in enumerate(lines) if line.startswith("msgid "))
        except StopIteration:
            out.append(block)
            continue
        j = next(n for n, line in enumerate(lines) if line.startswith("msgstr"))
        continuation = []
        for line in lines[i + 1 : j]:
            if not line.startswith('"'):
                break
            continuation.append(line)
        msgid = unquote([lines[i][6:]] + continuation)
        plural = any(line.startswith("msgid_plural") for line in lines)
        if msgid in mapping and not plural:
            head = [
                re.sub(r",\s*fuzzy", "", line) if line.startswith("#,") else line
                for line in lines[:j]
            ]
            head = [line for line in head if line.strip() != "#" and line != "#,"]
            head = [line for line in head if not line.startswith("#| ")]
            out.append(
                "\n".join(head + ["msgstr " + json.dumps(mapping[msgid], ensure_ascii=False)])
            )
        else:
            out.append(block)
    open(po_path, "w", encoding="utf-8").write("\n\n".join(out))


if __name__ == "__main__":
    main(*sys.argv[1:])
