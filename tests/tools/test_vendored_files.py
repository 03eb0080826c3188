"""Vendored front-end files are exactly what their registry package shipped: each is listed
in static/vendor/vendor.json with its source and SHA-256 (written by tools/vendor.py)."""

import json

from tools.vendor import MANIFEST, VENDOR, folder_name, sha256


def test_every_vendored_file_matches_its_recorded_checksum():
    manifest = json.loads(MANIFEST.read_text())
    recorded = {
        VENDOR / folder / name: file["sha256"]
        for folder, entry in manifest.items()
        for name, file in entry["files"].items()
    }
    on_disk = {path for path in VENDOR.rglob("*") if path.is_file() and path != MANIFEST}

    assert on_disk - set(recorded) == set(), "vendored files with no record: use tools/vendor.py"
    assert set(recorded) - on_disk == set(), "recorded files missing from static/vendor"
    changed = [str(path) for path, digest in recorded.items() if sha256(path) != digest]
    assert changed == [], "vendored files edited since they came from their package"


def test_each_vendor_folder_is_named_by_its_package_and_version():
    manifest = json.loads(MANIFEST.read_text())
    assert manifest, "the portal vendors at least its stylesheet"
    for folder, entry in manifest.items():
        assert folder == folder_name(entry["package"], entry["version"])
        assert entry["integrity"].startswith("sha512-")
