"""`wangge worker`: runs the queued background tasks (imports…) from the database queue.

The same options as django-tasks' `db_worker`; run one or more next to the web server.
"""

from django_tasks.backends.database.management.commands.db_worker import Command as DbWorker


class Command(DbWorker):
    help = "Run background tasks queued in the database (django-tasks db_worker)."
