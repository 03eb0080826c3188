"""No id, slug, date or number in a path or query string, and nothing typed into a form,
gives a server error anywhere.

Every URL in the URLconf is opened by the people who can reach the most of it (an admin,
who also belongs to the network, and an employer contact) with each path parameter in turn
replaced by hostile values (huge, negative, zero, non-numeric, empty, NUL, right-to-left
marks, emoji, very long), and each query parameter its view reads given the same. A
property test then tries values hypothesis makes up. Every form the portal shows (the
admin's add forms included) is then sent with every field at once set to each hostile
value, its hidden fields as the page gave them. Each visit is rolled back, so one cannot
change what the next finds.
"""

import inspect
import re
import uuid
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter, UUIDConverter
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from tests import world
from tests.gates import ADMIN, EMPLOYER, admin_params

pytestmark = pytest.mark.django_db

HOSTILE = [
    "0",
    "-1",
    "99999999999999999999999",
    "9223372036854775808",
    "9223372036854775807",
    "abc",
    "",
    "\x00",
    "\u202e",
    "\U0001f600",
    "x" * 5000,
    "1e309",
    "NaN",
    "9999-12-31",
    "0001-01-01",
    "2026-13-45",
]
# The admin's views are the same few for every model: what differs between models is how
# a search reads ``q``, so fewer values are tried there.
ADMIN_HOSTILE = {
    "object_id": ["99999999999999999999999", "\x00"],
    "q": ["0", "\x00"],
    "o": ["x.-9"],
    "p": ["99999999999999999999999"],
    "_to_field": ["", "x"],
}
# What a view expects in the query parameters it reads, so that each hostile value is tried
# beside otherwise sensible ones (the email log's ``id`` only counts with a real ``kind``).
SENSIBLE_QUERY = {"kind": "meeting", "id": "1", "by": "sector", "status": "sent", "change": "1"}
# A value each kind of path parameter takes, to be swapped for the hostile ones.
MARKERS = {
    IntConverter: 918273645,
    UUIDConverter: uuid.UUID("00000000-0000-4000-8000-918273645000"),
}
ADMIN_PREFIX = "/" + settings.ADMIN_URL
READS_QUERY = re.compile(r"""GET\.get\(\s*["'](\w+)["']""")


def _patterns(patterns, namespace=None):
    """(name, {path parameter: converter}) for every named URL."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            if namespace and inner:
                inner = f"{namespace}:{inner}"
            yield from _patterns(pattern.url_patterns, inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, pattern.pattern.converters


def _query_names(url: str) -> list[str]:
    """The query parameters the view behind ``url`` reads, from its source."""
    func = resolve(url.split("?")[0]).func
    func = getattr(func, "view_class", None) or inspect.unwrap(func)
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        return []
    names = set(READS_QUERY.findall(source))
    if url.startswith("/accounts/"):
        names.add("next")
    url_name = resolve(url.split("?")[0]).url_name or ""
    if url_name.endswith("_changelist"):
        names |= {"q", "o", "p"}  # the admin's search, ordering and page
    if url_name.endswith(("_change", "_delete")):
        names.add("_to_field")  # the admin's popups name the field to return
    return sorted(names)


class Visitor:
    """GETs as one signed-in person, each visit rolled back and starting from the same
    session: a page that signs its visitor out (or changes the session) must not leave the
    rest of the sweep anonymous."""

    def __init__(self, user):
        self.client = Client(raise_request_exception=False)
        self.client.force_login(user)
        self.session = self.client.cookies[settings.SESSION_COOKIE_NAME].value

    def status(self, url) -> int:
        return self.get(url).status_code

    def get(self, url):
        self.client.cookies[settings.SESSION_COOKIE_NAME] = self.session
        with transaction.atomic():
            response = self.client.get(url)
            transaction.set_rollback(True)
        return response

    def post(self, url, data) -> int:
        self.client.cookies[settings.SESSION_COOKIE_NAME] = self.session
        with transaction.atomic():
            response = self.client.post(url, data)
            transaction.set_rollback(True)
        return response.status_code


def _urls(built):
    """Every URL once with real parameters, and with each parameter made hostile."""
    seen = set()
    for name, params in dict(_patterns(get_resolver().url_patterns)).items():
        if name in seen:
            continue
        seen.add(name)
        real = admin_params(name) if name.startswith("admin:") else built.params.get(name, {})
        if real is None:
            continue
        yield reverse(name, kwargs=real), None
        for param, converter in params.items():
            marker = MARKERS.get(type(converter), "zz-hostile-zz")
            template = reverse(name, kwargs={**real, param: marker})
            yield template, str(marker)


def _hostile_requests(built, *, admin: bool):
    """Each URL with each of its parameters made hostile. The admin's URLs all go through
    the same few views, so they get fewer values; ``admin=False`` leaves them out."""
    for url, marker in _urls(built):
        in_admin = url.startswith(ADMIN_PREFIX)
        if in_admin and not admin:
            continue
        if marker is not None:
            for value in ADMIN_HOSTILE["object_id"] if in_admin else HOSTILE:
                yield url.replace(marker, quote(value, safe=""))
            continue
        names = _query_names(url)
        sensible = {q: SENSIBLE_QUERY.get(q, "1") for q in names}
        for query in names:
            for value in ADMIN_HOSTILE[query] if in_admin else HOSTILE:
                yield f"{url}?{urlencode({query: value})}"
                if len(names) > 1:
                    yield f"{url}?{urlencode({**sensible, query: value})}"


def test_hostile_paths_and_queries_never_give_a_server_error(built):
    failures = []
    for role in (ADMIN, EMPLOYER):
        visitor = Visitor(built.users[role])
        for url in _hostile_requests(built, admin=role == ADMIN):
            status = visitor.status(url)
            if status >= 500:
                failures.append(f"{role} {url[:200]}: {status}")
    assert failures == []


# What people type into forms: too long, unreadable, out of range, the wrong kind.
HOSTILE_INPUT = [
    "x" * 100_000,
    "abc\x00def",
    "\u202eevil",
    "\U0001f600\U0001f389",
    "99999999999999999999",
    "-1",
    "9999-12-31T23:59",
    "0001-01-01",
    "http://example.org/x",
    "",
]
FORM = re.compile(r'<form[^>]*method="post"[^>]*>(.*?)</form>', re.S | re.I)
FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"[^>]*>', re.I)
HIDDEN = re.compile(r'<input\b[^>]*type="hidden"[^>]*>', re.I)
VALUE = re.compile(r'\bvalue="([^"]*)"')


def _forms(html: str):
    """Each form on a page: its field names and its hidden fields' values."""
    for body in FORM.findall(html):
        names = set(FIELD.findall(body)) - {"csrfmiddlewaretoken"}
        hidden = {}
        for tag in HIDDEN.findall(body):
            name = FIELD.search(tag)
            value = VALUE.search(tag)
            if name and name.group(1) != "csrfmiddlewaretoken":
                hidden[name.group(1)] = value.group(1) if value else ""
        if names:
            yield names - set(hidden), hidden


def test_hostile_input_in_every_form_never_gives_a_server_error(built):
    failures = []
    for role in (ADMIN, EMPLOYER):
        visitor = Visitor(built.users[role])
        for url, marker in built.targets:
            if marker is not None or (url.startswith(ADMIN_PREFIX) and not url.endswith("/add/")):
                continue
            page = visitor.get(url)
            if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
                continue
            for names, hidden in _forms(page.content.decode()):
                for value in HOSTILE_INPUT:
                    status = visitor.post(url, {**dict.fromkeys(names, value), **hidden})
                    if status >= 500:
                        failures.append(f"{role} POST {url} {value[:20]!r}: {status}")
    assert failures == []


@pytest.fixture
def built():
    built = world.build()
    built.targets = list(_urls(built))
    built.visitor = Visitor(built.users[ADMIN])
    return built


@examples(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_made_up_values_never_give_a_server_error(built, data):
    url, marker = data.draw(st.sampled_from(built.targets), label="url")
    value = data.draw(
        st.one_of(
            st.integers().map(str),
            st.text(max_size=300),
            st.dates().map(str),
            st.floats().map(str),
        ),
        label="value",
    )
    if marker is None:
        query = data.draw(st.sampled_from(_query_names(url) or ["q"]), label="query")
        url = f"{url}?{urlencode({query: value})}"
    else:
        url = url.replace(marker, quote(value, safe="") or "x")
    assert built.visitor.status(url) < 500, url
