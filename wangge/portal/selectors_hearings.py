"""What the hearing pages read: the public list (open and upcoming first, then concluded),
seats left, and published comments only."""

import datetime

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from wangge.portal.models import Hearing, HearingComment, Moderation
from wangge.portal.services_hearings import seats_taken


def public_hearings() -> QuerySet[Hearing]:
    return Hearing.objects.annotate(
        ended=Case(
            When(concluded_at__isnull=True, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("ended", "-created_at")


def seats_left(hearing: Hearing) -> int:
    return max(0, hearing.seats - seats_taken(hearing))


def published_comments(hearing: Hearing) -> QuerySet[HearingComment]:
    return hearing.comments.filter(moderation=Moderation.PUBLISHED).order_by("created_at")


def now() -> datetime.datetime:
    return timezone.now()
