"""A pseudo-locale for finding text not marked for translation: every string in the portal's
catalogue "translated" as itself between ⟦ and ⟧. A page rendered in it shows in plain any
English that would stay English in Turkish, Polish, Bengali or Yiddish."""

import ast
import json
import re
import shutil
import struct
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

CODE = "en-xa"  # a private-use region: no real language
OPEN, CLOSE, MARK = "⟦", "⟧", "¦"
# Everything makemessages would read but the portal's own code and templates.
IGNORED = [".venv/*", "bench/*", "tests/*", "tools/*", "static/*", "node_modules/*", "htmlcov/*"]


def entries(po: str):
    """(context, msgid, plural, translations) for each entry of a .po file; translations
    holds msgstr, or msgstr[0], msgstr[1]… for a plural."""
    entry, field = {}, None
    for line in [*po.splitlines(), ""]:
        line = line.strip()
        if not line:
            if "msgid" in entry:
                strs = [v for k, v in sorted(entry.items()) if k.startswith("msgstr")]
                yield entry.get("msgctxt"), entry["msgid"], entry.get("msgid_plural"), strs
            entry, field = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[field] += ast.literal_eval(line)
        else:
            field, _space, value = line.partition(" ")
            entry[field] = ast.literal_eval(value)


def key(context: str | None, msgid: str) -> str:
    """An entry's key in a compiled catalogue."""
    return f"{context}\x04{msgid}" if context else msgid


def _mo(catalogue: dict[str, str]) -> bytes:
    """A GNU .mo file holding ``catalogue`` (message → translation)."""
    keys = sorted(catalogue)
    ids = [k.encode() for k in keys]
    strs = [catalogue[k].encode() for k in keys]
    start = 7 * 4 + 16 * len(keys)
    offsets, blob = [], b""
    for data in ids:
        offsets.append((len(data), start + len(blob)))
        blob += data + b"\0"
    for data in strs:
        offsets.append((len(data), start + len(blob)))
        blob += data + b"\0"
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 28, 28 + 8 * len(keys), 0, 0)
    table = b"".join(struct.pack("ii", *pair) for pair in offsets)
    return header + table + blob


def _catalogue() -> str:
    """The portal's catalogue as ``makemessages`` makes it now, from its code and templates.

    makemessages writes each file's strings to the first locale folder whose parent holds
    the file, so it works in a folder inside the project (the project's own ``locale``
    would come next), removed afterwards."""
    work = Path(tempfile.mkdtemp(dir=settings.BASE_DIR, prefix=".pseudo-locale-"))
    try:
        with override_settings(LOCALE_PATHS=[work]):
            call_command(
                "makemessages",
                locale=["en_XA"],
                ignore_patterns=[*IGNORED, ".pseudo-locale-*", "locale/*"],
                verbosity=0,
                no_obsolete=True,
            )
        return (work / "en_XA" / "LC_MESSAGES" / "django.po").read_text()
    finally:
        shutil.rmtree(work)


def build(root: Path) -> Path:
    """Make the portal's catalogue (``makemessages``) and compile its pseudo-translation
    under ``root``; returns ``root``, for LOCALE_PATHS. Each string reads ⟦n¦string⟧, n
    its place in ``root / "entries.json"`` (context, msgid), so a page tells which strings
    it shows (``shown``)."""
    catalogue = {
        "": "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n"
    }
    index = []
    for context, msgid, plural, _strs in entries(_catalogue()):
        if not msgid:
            continue
        n = len(index)
        index.append((context, msgid))
        if plural is None:
            catalogue[key(context, msgid)] = f"{OPEN}{n}{MARK}{msgid}{CLOSE}"
        else:
            catalogue[f"{key(context, msgid)}\0{plural}"] = (
                f"{OPEN}{n}{MARK}{msgid}{CLOSE}\0{OPEN}{n}{MARK}{plural}{CLOSE}"
            )
    (root / "en_XA" / "LC_MESSAGES").mkdir(parents=True)
    (root / "en_XA" / "LC_MESSAGES" / "django.mo").write_bytes(_mo(catalogue))
    (root / "entries.json").write_text(json.dumps(index))
    return root


def shown(root: Path, text: str) -> set[tuple[str | None, str]]:
    """The catalogue's strings (context, msgid) that ``text`` shows."""
    index = json.loads((root / "entries.json").read_text())
    return {tuple(index[int(n)]) for n in re.findall(rf"{OPEN}(\d+){MARK}", text)}


def unmarked(text: str) -> str:
    """What is left of ``text`` once every pseudo-translated part (nested too) is taken out."""
    while True:
        inner = text.find(CLOSE)
        if inner < 0:
            return text
        opening = text.rfind(OPEN, 0, inner)
        if opening < 0:
            return text
        text = text[:opening] + " " + text[inner + 1 :]
