from django.db import migrations


def create_row(apps, schema_editor):
    apps.get_model("regions", "BoundaryVersion").objects.get_or_create(pk=1)


def delete_row(apps, schema_editor):
    apps.get_model("regions", "BoundaryVersion").objects.filter(pk=1).delete()


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(create_row, delete_row)]
