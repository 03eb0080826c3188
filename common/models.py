import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LeavesVersionsAlone:
    """For a model whose ``version_fields`` are counters or stamps moved on by UPDATEs of
    their own (figures, questions, access), under which other things are kept: saving an
    instance whole leaves them as the database has them."""

    version_fields: tuple[str, ...] = ()

    def save(self, *args, **kwargs):
        # Saving a copy read before a version moved on, whole, would put the old version
        # back and let what was kept under it be used again.
        if self.version_fields and not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self.version_fields
            ]
        super().save(*args, **kwargs)


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
