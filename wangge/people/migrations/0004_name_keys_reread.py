"""Search keys of names written before the surname and 卜 readings were added (names.py):
re-read those names whose characters have a special reading. Uses the current reading rules on
purpose: the keys must match what searches compute today."""

from django.db import migrations
from django.db.models import Q


def keys_reread(apps, schema_editor):
    from wangge.people import names

    Person = apps.get_model("people", "Person")
    characters = set(names.SURNAME_READINGS) | set(names.NAME_READINGS)
    characters |= {compound[0] for compound in names.COMPOUND_SURNAMES}
    condition = Q()
    for character in characters:
        condition |= Q(name__contains=character)
    changed = []
    for person in Person.objects.filter(condition).only("id", "name").iterator(chunk_size=2000):
        person.name_pinyin, person.name_initials = names.name_keys(person.name)
        changed.append(person)
        if len(changed) >= 2000:
            Person.objects.bulk_update(changed, ["name_pinyin", "name_initials"])
            changed = []
    Person.objects.bulk_update(changed, ["name_pinyin", "name_initials"])


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_person_document_and_tags"),
    ]

    operations = [
        migrations.RunPython(keys_reread, migrations.RunPython.noop),
    ]
