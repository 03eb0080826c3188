from django.db import models


class HttpsURLField(models.URLField):
    """A URL field whose forms (admin included) read a bare "example.org" as https, as
    Django 6 will; it also keeps Django 5.2's deprecation warning out of every form."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})
