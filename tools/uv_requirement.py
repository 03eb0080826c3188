"""Print the hash-pinned requirement for uv itself, read from uv.lock.

The Makefile installs uv with pip from this line before anything else, so the tool that
installs the lock is the locked one, checked against the lock's own hashes."""

import sys
import tomllib
from pathlib import Path

LOCK = Path(__file__).resolve().parent.parent / "uv.lock"


def uv_requirement(lock_text: str) -> str:
    lock = tomllib.loads(lock_text)
    for package in lock.get("package", []):
        if package["name"] == "uv":
            files = [*package.get("wheels", []), package.get("sdist") or {}]
            hashes = sorted({f["hash"] for f in files if "hash" in f})
            return " ".join([f"uv=={package['version']}", *(f"--hash={h}" for h in hashes)])
    raise SystemExit("uv.lock has no uv package: add uv to the dev extra and run `make lock`.")


if __name__ == "__main__":
    sys.stdout.write(uv_requirement(LOCK.read_text()) + "\n")
