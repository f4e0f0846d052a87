"""People as a kind whose personal data can be shown in full (see docs/privacy.md)."""

from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from wangge.core.masking import mask_address, mask_identity_number, mask_mobile
from wangge.people.models import Person
from wangge.privacy.targets import TargetKind, register


def person_for_unmask(user: Any, pk: object) -> Person:
    """The person within the user's scope, or 404 for any key that is not one (the privacy
    pages check their own capabilities; this needs only the scope)."""
    from wangge.core.scope import user_scope

    try:
        person = Person.objects.get(pk=int(str(pk)))
    except (ValueError, Person.DoesNotExist):
        raise Http404 from None
    if not user_scope(user).covers(person.region_code):
        raise Http404
    return person


PERSON = TargetKind(
    name="person",
    label=_("person"),
    model=Person,
    get_for=person_for_unmask,
    fields={
        "id_number": mask_identity_number,
        "mobile": mask_mobile,
        "registered_address": mask_address,
        "current_address": mask_address,
    },
    region_of=lambda person: person.region_code,
)
register(PERSON)
