from django.db import models

from . import forms as portal_forms
from .validators import https_only


class HttpsURLField(models.URLField):
    """An https link (to an online meeting, say). Its forms (admin included) read a bare
    "example.org" as https, as Django 6 will; that also keeps Django 5.2's deprecation
    warning out of every form."""

    default_validators = [https_only]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": portal_forms.HttpsURLField, **kwargs})
