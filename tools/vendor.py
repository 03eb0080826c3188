"""Vendor front-end files from their npm registry package, and keep their checksums.

    python tools/vendor.py add bootstrap@5.3.9 dist/css/bootstrap.min.css LICENSE

fetches the package with `npm pack`, checks it against the registry's integrity value,
copies the named files into ``static/vendor/<package>-<version>/`` and records, in
``static/vendor/vendor.json``, where each came from with its SHA-256. A test compares every
vendored file with that record, so a file edited by hand (or left behind) fails the suite.
"""

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "static" / "vendor"
MANIFEST = VENDOR / "vendor.json"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_name(package: str, version: str) -> str:
    """``@scope/name`` packages are kept as ``scope-name-<version>``."""
    return f"{package.lstrip('@').replace('/', '-')}-{version}"


def add(spec: str, files: list[str]) -> None:
    package, _, version = spec.rpartition("@")
    if not package or not version:
        raise SystemExit("Name the package with its exact version: name@1.2.3")
    with tempfile.TemporaryDirectory() as tmp:
        packed = json.loads(
            subprocess.run(  # noqa: S603 (the spec is the developer's own argument)
                ["npm", "pack", spec, "--json", "--pack-destination", tmp],  # noqa: S607
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )[0]
        tarball = Path(tmp) / packed["filename"]
        algorithm, _, expected = packed["integrity"].partition("-")
        digest = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest()).decode()
        if digest != expected:
            raise SystemExit(f"{spec}: the tarball does not match the registry's integrity value")
        with tarfile.open(tarball) as archive:
            archive.extractall(tmp, filter="data")
        target = VENDOR / folder_name(package, version)
        target.mkdir(parents=True, exist_ok=True)
        manifest = json.loads(MANIFEST.read_text()) if MANIFEST.exists() else {}
        entry = manifest.setdefault(
            target.name,
            {"package": package, "version": version, "integrity": packed["integrity"], "files": {}},
        )
        for name in files:
            source = Path(tmp) / "package" / name
            shutil.copyfile(source, target / source.name)
            entry["files"][source.name] = {"from": name, "sha256": sha256(target / source.name)}
    MANIFEST.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    if len(sys.argv) < 4 or sys.argv[1] != "add":
        raise SystemExit(__doc__)
    add(sys.argv[2], sys.argv[3:])
