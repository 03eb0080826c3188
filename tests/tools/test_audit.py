"""`make audit`'s rules: a known vulnerability fails unless accepted with a reason and an
expiry, an expired acceptance fails too, and a package that could not be checked is named."""

import datetime

from tools.audit import Finding, Report, judge, newest_release_audit, pins_of

TODAY = datetime.date(2026, 12, 2)
FINDING = Finding("django", "5.2.19", "PYSEC-2026-1", ["GHSA-aaaa-bbbb-cccc"], ["5.2.20"])


def accepted(expires, vuln_id="GHSA-aaaa-bbbb-cccc"):
    return {"id": vuln_id, "package": "django", "reason": "no uploads", "expires": expires}


def test_an_unaccepted_vulnerability_fails_and_says_what_to_do():
    failures = judge(Report([FINDING], {}, 1), [], TODAY)
    assert len(failures) == 1
    assert "django 5.2.19: PYSEC-2026-1 (5.2.20)" in failures[0]
    assert "tools/known_vulnerabilities.toml" in failures[0]


def test_an_acceptance_matches_any_alias_until_it_expires():
    report = Report([FINDING], {}, 1)
    assert judge(report, [accepted(datetime.date(2027, 1, 31))], TODAY) == []
    assert judge(report, [accepted(TODAY)], TODAY) == []

    expired = judge(report, [accepted(datetime.date(2026, 12, 1))], TODAY)
    assert len(expired) == 2  # the entry itself, and the vulnerability it no longer covers
    assert "accepted until 2026-12-01, which has passed" in expired[0]


def test_an_expired_acceptance_fails_even_when_the_vulnerability_is_gone():
    failures = judge(Report([], {}, 1), [accepted(datetime.date(2026, 11, 30))], TODAY)
    assert len(failures) == 1


def test_newest_release_audit_checks_only_packages_pinned_at_their_newest_release():
    projects = {
        "ecdsa": {
            "info": {"version": "0.19.2"},
            "vulnerabilities": [{"id": "GHSA-wj6h-64fc-37mp", "aliases": ["CVE-2024-23342"]}],
        },
        "django": {"info": {"version": "6.1.3"}, "vulnerabilities": []},
    }
    report = newest_release_audit(
        [("ecdsa", "0.19.2"), ("django", "5.2.19")], fetch=projects.__getitem__
    )

    assert report.audited == 1
    assert [(f.package, f.id) for f in report.findings] == [("ecdsa", "GHSA-wj6h-64fc-37mp")]
    assert report.findings[0].ids() == {"GHSA-wj6h-64fc-37mp", "CVE-2024-23342"}
    assert list(report.not_audited) == ["django 5.2.19"]


def test_pins_are_read_from_the_exported_lock_with_each_python_fork(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(
        "# generated\n"
        "numpy==2.4.6 ; python_full_version < '3.12' \\\n    --hash=sha256:aa\n"
        "numpy==2.5.5 ; python_full_version >= '3.12' \\\n    --hash=sha256:bb\n"
        "Django==5.2.19 \\\n    --hash=sha256:cc\n"
    )
    assert pins_of(requirements) == [("numpy", "2.4.6"), ("numpy", "2.5.5"), ("django", "5.2.19")]
