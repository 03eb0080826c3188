"""Thin Celery tasks: each takes ids and calls ``network.emails``. Each email is sent at
most once (``notifications.notify.send_once``), so running a task twice is safe."""

import smtplib

from celery import shared_task

from . import emails

RETRY = {
    "acks_late": True,
    "autoretry_for": (smtplib.SMTPException, OSError),
    "retry_backoff": 30,
    "max_retries": 8,
}


@shared_task(**RETRY)
def send_decision(membership_id: int) -> None:
    emails.send_decision(membership_id=membership_id)


@shared_task(**RETRY)
def send_place_offer(place_id: int) -> None:
    emails.send_place_offer(place_id=place_id)


@shared_task(**RETRY)
def send_event_place(rsvp_id: int) -> None:
    emails.send_event_place(rsvp_id=rsvp_id)


@shared_task(**RETRY)
def send_match(match_id: int) -> None:
    emails.send_match(match_id=match_id)
