import smtplib

from celery import shared_task

from . import emails


@shared_task(
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    max_retries=8,
)
def send_invitation(invitation_id: int) -> None:
    emails.send_invitation(invitation_id=invitation_id)
