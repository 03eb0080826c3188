"""One-off emails sent at most once, whoever asks twice."""

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import SentNotification


def send_once(*, key: str, to: str, template: str, context: dict) -> bool:
    """Send ``template`` (``<template>_subject.txt`` and ``<template>.txt``) to ``to``,
    unless an email with ``key`` was sent already. Returns whether one went.

    On a mail server failure the claim is released and the error raised, so the task can
    retry it.
    """
    try:
        with transaction.atomic():
            claim = SentNotification.objects.create(key=key, recipient=to)
    except IntegrityError:
        return False
    try:
        send_mail(
            subject=render_to_string(f"{template}_subject.txt", context).strip(),
            message=render_to_string(f"{template}.txt", context),
            from_email=None,
            recipient_list=[to],
        )
    except Exception:
        claim.delete()
        raise
    SentNotification.objects.filter(pk=claim.pk).update(sent_at=timezone.now())
    return True
