import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Revision(models.Model):
    """A token that changes with every change to what a set of pages shows (``name``):
    pages are kept rendered under the token they were made with (``common.revisions``,
    ``common.kept_pages``), so once a change commits every web process renders them afresh."""

    name = models.SlugField(_("name"), max_length=50, unique=True)
    token = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("page revision")
        verbose_name_plural = _("page revisions")

    def __str__(self):
        return self.name
