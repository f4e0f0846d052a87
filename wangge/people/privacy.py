"""People, and organisations' representatives, as kinds whose personal data can be shown in
full (see docs/privacy.md)."""

from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from wangge.core.masking import mask_address, mask_identity_number, mask_mobile
from wangge.people.models import Organisation, Person
from wangge.privacy.targets import TargetKind, register


def person_for_unmask(user: Any, pk: object) -> Person:
    """The person within the user's scope, or 404 for any key that is not one (the privacy
    pages check their own capabilities; this needs only the scope)."""
    return record_in_scope(Person, user, pk)


def organisation_for_unmask(user: Any, pk: object) -> Organisation:
    return record_in_scope(Organisation, user, pk)


def record_in_scope(model: Any, user: Any, pk: object) -> Any:
    from wangge.core.scope import user_scope

    try:
        found = model.objects.get(pk=int(str(pk)))
    except (ValueError, model.DoesNotExist):
        raise Http404 from None
    if not user_scope(user).covers(found.region_code):
        raise Http404
    return found


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

ORGANISATION = TargetKind(
    name="organisation",
    label=_("organisation"),
    model=Organisation,
    get_for=organisation_for_unmask,
    fields={"representative_mobile": mask_mobile},
    region_of=lambda organisation: organisation.region_code,
)
register(ORGANISATION)
