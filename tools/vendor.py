"""Vendor front-end files from their npm registry package, and keep their checksums.

    python tools/vendor.py add govuk-frontend@6.6.0 dist/govuk/govuk-frontend.min.js

fetches the package with `npm pack`, checks it against the registry's integrity value,
copies the named files into ``static/vendor/<package>-<version>/`` and records, in
``static/vendor/vendor.json``, where each came from with its SHA-256. A test compares every
vendored file with that record, so a file edited by hand (or left behind) fails the suite.

    python tools/vendor.py build govuk-frontend@6.6.0 sass@1.108.2 \
        tools/govuk-frontend.scss govuk-frontend.min.css

compiles a stylesheet from the package's Sass with the portal's settings (its colours,
fonts and asset paths) using that exact version of Dart Sass, and records the result with
the source file, the compiler and its SHA-256 the same way. Only the developer who vendors
needs Node; the portal serves the committed files.
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


def split(spec: str) -> tuple[str, str]:
    package, _, version = spec.rpartition("@")
    if not package or not version:
        raise SystemExit("Name the package with its exact version: name@1.2.3")
    return package, version


def unpack(spec: str, tmp: str) -> tuple[Path, str]:
    """The package's files (checked against the registry's integrity), and that value."""
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
    return Path(tmp) / "package", packed["integrity"]


def record(spec: str, integrity: str, files: dict[str, Path], origin: dict[str, dict]) -> None:
    """Write ``files`` (name in the vendor folder -> where it is now) and their origin."""
    package, version = split(spec)
    target = VENDOR / folder_name(package, version)
    target.mkdir(parents=True, exist_ok=True)
    manifest = json.loads(MANIFEST.read_text()) if MANIFEST.exists() else {}
    entry = manifest.setdefault(
        target.name,
        {"package": package, "version": version, "integrity": integrity, "files": {}},
    )
    for name, source in files.items():
        shutil.copyfile(source, target / name)
        entry["files"][name] = {**origin[name], "sha256": sha256(target / name)}
    MANIFEST.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def add(spec: str, files: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root, integrity = unpack(spec, tmp)
        sources = {Path(name).name: root / name for name in files}
        origin = {Path(name).name: {"from": name} for name in files}
        record(spec, integrity, sources, origin)


def build(spec: str, compiler: str, source: str, output: str) -> None:
    package, _ = split(spec)
    with tempfile.TemporaryDirectory() as tmp:
        root, integrity = unpack(spec, tmp)
        modules = Path(tmp) / "node_modules"
        modules.mkdir()
        root.rename(modules / package)
        built = Path(tmp) / output
        subprocess.run(  # noqa: S603 (the developer's own arguments)
            [  # noqa: S607
                "npm",
                "exec",
                "--yes",
                f"--package={compiler}",
                "--",
                "sass",
                f"--load-path={modules}",
                "--style=compressed",
                "--no-source-map",
                source,
                str(built),
            ],
            check=True,
        )
        origin = {output: {"built_from": source, "with": compiler}}
        record(spec, integrity, {output: built}, origin)


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "add":
        add(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) == 6 and sys.argv[1] == "build":
        build(*sys.argv[2:])
    else:
        raise SystemExit(__doc__)
