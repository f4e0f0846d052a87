"""Background work of the register: imports of uploaded files (run by `wangge worker`)."""

from django.conf import settings
from django.utils import translation
from django_tasks import task

from wangge.people.imports import import_job_run


@task()
def people_import_task(job_id: int) -> str:
    # The problems are stored as text: in the platform's language, not the worker's locale.
    with translation.override(settings.LANGUAGE_CODE):
        return import_job_run(job_id).status
