"""`make audit`: known vulnerabilities in the locked packages.

pip-audit checks every package pinned in the exported lock against PyPI's vulnerability data
for its exact version. Where PyPI answers nothing for exact versions (these machines' PyPI
serves a project's current data only), each package pinned at its newest release is checked
against that release's vulnerabilities instead, which are then exact; the others are named
as not audited.

Exit status: 0 clean; 1 a vulnerability not accepted in tools/known_vulnerabilities.toml, or
an accepted one whose entry has expired; 3 clean so far, but some packages could not be
audited (each is named), which --allow-incomplete turns into a warning.
"""

import datetime
import json
import subprocess
import sys
import tempfile
import tomllib
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ACCEPTED = Path(__file__).resolve().parent / "known_vulnerabilities.toml"
PYPI_PROJECT = "https://pypi.org/pypi/{name}/json"
INCOMPLETE = 3


@dataclass
class Finding:
    package: str
    version: str
    id: str
    aliases: list[str] = field(default_factory=list)
    fixed_in: list[str] = field(default_factory=list)

    def ids(self) -> set[str]:
        return {self.id, *self.aliases}


@dataclass
class Report:
    findings: list[Finding]
    not_audited: dict[str, str]  # package -> why
    audited: int


def pip_audit(requirements: Path) -> Report:
    """pip-audit over the exported lock, every pin and hash as locked, nothing installed."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "audit.json"
        subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-m",
                "pip_audit",
                "--requirement",
                str(requirements),
                "--require-hashes",
                "--disable-pip",
                "--format",
                "json",
                "--progress-spinner",
                "off",
                "--output",
                str(out),
            ],
            check=False,
        )
        if not out.exists():
            raise SystemExit("pip-audit gave no report (its own message is above).")
        data = json.loads(out.read_text())
    findings, not_audited = [], {}
    audited = 0
    for dep in data["dependencies"]:
        if "skip_reason" in dep:
            not_audited[dep["name"]] = dep["skip_reason"]
            continue
        audited += 1
        for vuln in dep.get("vulns", []):
            findings.append(
                Finding(
                    dep["name"],
                    dep["version"],
                    vuln["id"],
                    vuln.get("aliases", []),
                    vuln.get("fix_versions", []),
                )
            )
    return Report(findings, not_audited, audited)


def project_data(name: str) -> dict:
    with urllib.request.urlopen(PYPI_PROJECT.format(name=name), timeout=30) as response:  # noqa: S310
        return json.load(response)


def newest_release_audit(pins: list[tuple[str, str]], fetch=project_data) -> Report:
    """Each package pinned at its newest release is checked against that release's
    vulnerabilities as PyPI lists them; any other package is named as not audited."""
    findings, not_audited = [], {}
    audited = 0
    names = sorted({name for name, _ in pins})
    with ThreadPoolExecutor(max_workers=8) as pool:
        projects = dict(zip(names, pool.map(fetch, names), strict=True))
    for name, version in pins:
        data = projects[name]
        newest = data["info"]["version"]
        if newest != version:
            not_audited[f"{name} {version}"] = f"PyPI lists vulnerabilities of {newest} only"
            continue
        audited += 1
        for vuln in data.get("vulnerabilities", []):
            findings.append(
                Finding(
                    name, version, vuln["id"], vuln.get("aliases") or [], vuln.get("fixed_in") or []
                )
            )
    return Report(findings, not_audited, audited)


def pins_of(requirements: Path) -> list[tuple[str, str]]:
    """(name, version) of each pin; a package can be pinned twice, for different Pythons."""
    pins = []
    for line in requirements.read_text().splitlines():
        if "==" in line and not line.lstrip().startswith(("#", "--")):
            name, _, rest = line.partition("==")
            pins.append((name.strip().lower(), rest.split(";")[0].split()[0].strip(" \\")))
    return pins


def judge(report: Report, accepted: list[dict], today: datetime.date) -> list[str]:
    """What fails the audit: each unaccepted finding, and each expired acceptance."""
    failures = []
    for entry in accepted:
        if entry["expires"] < today:
            failures.append(
                f"{entry['package']} {entry['id']}: accepted until {entry['expires']}, which has"
                f" passed ({entry['reason']}). Upgrade it, or look again and move the date on."
            )
    live = {entry["id"] for entry in accepted if entry["expires"] >= today}
    for finding in report.findings:
        if finding.ids() & live:
            continue
        fix = ", ".join(finding.fixed_in) or "no fixed release yet"
        failures.append(
            f"{finding.package} {finding.version}: {finding.id} ({fix}). Upgrade it (make lock"
            " after raising its range), or accept it with a reason and an expiry in"
            " tools/known_vulnerabilities.toml."
        )
    return failures


def main(requirements: Path, *, allow_incomplete: bool = False) -> int:
    accepted = tomllib.loads(ACCEPTED.read_text())["accepted"]
    pins = pins_of(requirements)
    report = pip_audit(requirements)
    if report.audited == 0:
        print("pip-audit: PyPI has no data for exact versions here; checking newest releases.")
        report = newest_release_audit(pins)
    failures = judge(report, accepted, datetime.date.today())
    print(
        f"audit: {report.audited} of {len(pins)} locked packages audited, "
        f"{len(report.findings)} known vulnerabilities, {len(failures)} failing"
    )
    for message in failures:
        print(f"FAIL {message}")
    if failures:
        return 1
    if report.not_audited:
        for name, why in sorted(report.not_audited.items()):
            print(f"not audited: {name}: {why}")
        if allow_incomplete:
            print("WARNING: the packages above were not audited.", file=sys.stderr)
            return 0
        return INCOMPLETE
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    allow = "--allow-incomplete" in args
    sys.exit(main(Path(args[-1]), allow_incomplete=allow))
