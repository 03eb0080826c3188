"""Revision tokens of what the public pages show: one row per set of pages
(``common.models.Revision``), whose token changes in the same transaction as any change to
what they show, whoever makes it (the staff pages, the admin and its inlines, a loader):
each app names the models whose rows those pages show (``watch``), and the few writes that
send no signals (a bulk insert, a queryset update) say so themselves (``changed``).

Every web process reads all tokens in one query, at most once a second (``current``); the
process that makes a change forgets its copy at once, every other sees it within a second.
A token missing from the table reads as "": a page kept under it is made again once the
first change writes the row."""

import uuid

from django.apps import apps
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from .models import Revision

# The page sets; "public": every public page kept whole (``kept_pages.whole``).
PUBLIC = "public"

HELD_SECONDS = 1
HELD_KEY = "revisions"


def current(name: str = PUBLIC) -> str:
    """The token of ``name`` (1 query a second at most, for every name at once)."""
    store = caches["pages"]
    tokens = store.get(HELD_KEY)
    if tokens is None:
        tokens = _stored()
        store.set(HELD_KEY, tokens, timeout=HELD_SECONDS)
    return tokens.get(name, "")


def of_request(request, name: str = PUBLIC) -> str:
    """The token of ``name`` as ``request`` first read it: a page and the parts kept inside
    it are made under the same one, however a change elsewhere falls between the reads."""
    read = request.__dict__.setdefault("revisions_read", {})
    if name not in read:
        read[name] = current(name)
    return read[name]


def _stored() -> dict[str, str]:
    # As written SQL, the read costs a tenth of what building it through the ORM does.
    table, name, token = (
        connection.ops.quote_name(n) for n in (Revision._meta.db_table, "name", "token")
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {name}, {token} FROM {table}")  # noqa: S608 - names only
        return {row[0]: str(row[1]) for row in cursor.fetchall()}


def changed(name: str = PUBLIC) -> None:
    """Mark what ``name``'s pages show as changed. Inside the writer's transaction, so a
    change rolled back leaves the pages as they were."""
    values = {"token": uuid.uuid4(), "changed_at": timezone.now()}
    if not Revision.objects.filter(name=name).update(**values):
        Revision.objects.update_or_create(name=name, defaults=values)
    # This process reads the new token at once (and again once it commits, should another
    # thread have read the old one meanwhile); the others within a second.
    caches["pages"].delete(HELD_KEY)
    transaction.on_commit(lambda: caches["pages"].delete(HELD_KEY))


def watch(name: str, app_label: str, *, except_: tuple = ()) -> None:
    """Mark ``name`` changed whenever a row of any model of the app is saved or deleted, or
    a many-to-many link of one changes, but the models in ``except_`` (rows no page of the
    set shows, written too often to let each one make every page again). A model added to
    the app later is watched unless it is named here: a page made again needlessly is
    cheap, a page shown stale is wrong."""

    def on_change(sender, **kwargs):
        changed(name)

    def on_link(sender, action, **kwargs):
        if action in ("post_add", "post_remove", "post_clear"):
            changed(name)

    for model in apps.get_app_config(app_label).get_models():
        if model in except_:
            continue
        uid = f"revision-{name}-{model._meta.label}"
        post_save.connect(on_change, sender=model, dispatch_uid=f"{uid}-saved", weak=False)
        post_delete.connect(on_change, sender=model, dispatch_uid=f"{uid}-deleted", weak=False)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                on_link,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}-{field.name}",
                weak=False,
            )
