from celery import shared_task

from . import maintenance


@shared_task(name="core.purge_expired")
def purge_expired() -> dict:
    return maintenance.purge_expired()
