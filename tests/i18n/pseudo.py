"""A pseudo-locale for finding text not marked for translation: every string in the portal's
catalogue "translated" as itself between ⟦ and ⟧. A page rendered in it shows in plain any
English that would stay English in Turkish, Polish, Bengali or Yiddish."""

import ast
import struct
from pathlib import Path

from django.core.management import call_command

CODE = "en-xa"  # a private-use region: no real language
OPEN, CLOSE = "⟦", "⟧"
# Everything makemessages would read but the portal's own code and templates.
IGNORED = [".venv/*", "bench/*", "tests/*", "tools/*", "static/*", "node_modules/*", "htmlcov/*"]


def _entries(po: str):
    """(context, msgid, plural, msgstrs) for each entry of a .po file."""
    entry, field = {}, None
    for line in [*po.splitlines(), ""]:
        line = line.strip()
        if not line:
            if "msgid" in entry:
                yield entry.get("msgctxt"), entry["msgid"], entry.get("msgid_plural")
            entry, field = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[field] += ast.literal_eval(line)
        else:
            field, _space, value = line.partition(" ")
            entry[field] = ast.literal_eval(value)


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


def build(root: Path) -> Path:
    """Make the portal's catalogue (``makemessages``) under ``root`` and compile its
    pseudo-translation there; returns ``root``, for LOCALE_PATHS."""
    call_command(
        "makemessages", locale=["en_XA"], ignore_patterns=IGNORED, verbosity=0, no_obsolete=True
    )
    po = (root / "en_XA" / "LC_MESSAGES" / "django.po").read_text()
    catalogue = {
        "": "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n"
    }
    for context, msgid, plural in _entries(po):
        if not msgid:
            continue
        key = f"{context}\x04{msgid}" if context else msgid
        if plural is None:
            catalogue[key] = f"{OPEN}{msgid}{CLOSE}"
        else:
            catalogue[f"{key}\0{plural}"] = f"{OPEN}{msgid}{CLOSE}\0{OPEN}{plural}{CLOSE}"
    (root / "en_XA" / "LC_MESSAGES" / "django.mo").write_bytes(_mo(catalogue))
    return root


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
