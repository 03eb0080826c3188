"""The Locust user for `make bench`'s whole consultation submission (pages are timed with
wrk), configured by the JSON file bench/run.py writes (BENCH_CONFIG). Every run is bounded
by a request count (BENCH_MAX) as well as locust's --run-time. Only 127.0.0.1 is ever
requested."""

import itertools
import json
import os
import re
import time

from locust import HttpUser, between, events, task  # noqa: F401

CONFIG = json.loads(open(os.environ["BENCH_CONFIG"]).read())  # noqa: SIM115
SCENARIO = os.environ["BENCH_SCENARIO"]
MAX = int(os.environ.get("BENCH_MAX", "2000"))
REFS = os.environ.get("BENCH_REFS")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY = re.compile(r'name="submission_key" value="([^"]+)"')
REFERENCE = re.compile(r"\b([A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4})\b")
counter = itertools.count(1)
addresses = itertools.count(1)


def _enough(user):
    if next(counter) > MAX:
        user.environment.runner.quit()
        return True
    return False


class SubmitUser(HttpUser):
    """A resident answering the whole consultation: every page, check answers, send. Each
    virtual resident comes from its own address (X-Forwarded-For, with NUM_PROXIES=1), as
    residents do, so the per-address rate limit applies to each as it would in life."""

    def _form(self, path, data, name):
        # The trivial view between the pages: the steps' baseline, timed by the server under
        # the same load as they are (``bench/run.py``).
        self.client.get("/bench/trivial/", name="trivial (GET)")
        page = self.client.get(path, name=f"{name} (GET)")
        token = CSRF.search(page.text)
        if page.status_code != 200 or token is None:
            raise RuntimeError(f"{path}: HTTP {page.status_code}, no CSRF token")
        data = {**data, "csrfmiddlewaretoken": token.group(1), "website": ""}
        if name == "check":
            data["submission_key"] = KEY.search(page.text).group(1)
        sent = self.client.post(
            path, data=data, name=f"{name} (POST)", allow_redirects=False,
            headers={"Referer": f"{self.host}{path}"},
        )  # fmt: skip
        if sent.status_code != 302:
            raise RuntimeError(f"{path}: POST answered HTTP {sent.status_code}")
        return sent.headers["Location"]

    @task
    def submit(self):
        if _enough(self):
            return
        self.client.cookies.clear()
        n = next(addresses)
        self.client.headers["X-Forwarded-For"] = f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
        base = CONFIG["consultation_base"]
        started = time.perf_counter()
        error = None
        reference = None
        try:
            for slug, answers in CONFIG["submission_steps"]:
                self._form(f"{base}answer/{slug}/", answers, f"step {slug}")
            done_at = self._form(f"{base}answer/check/", {}, "check")
            done = self.client.get(done_at, name="done")
            found = REFERENCE.search(done.text)
            if done.status_code != 200 or found is None:
                raise RuntimeError(f"done page: HTTP {done.status_code}, no reference")
            reference = found.group(1)
        except Exception as failure:
            error = failure
        events.request.fire(
            request_type="FLOW",
            name=SCENARIO,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=error,
            context={},
        )
        if reference and REFS:
            with open(REFS, "a") as refs:
                refs.write(reference + "\n")
