"""Load the DfE local-authority codes from cme.standards (one source for code and database)."""

from django.db import migrations


def load_codes(apps, schema_editor):
    from cme.standards.la_codes import load_la_codes

    LocalAuthority = apps.get_model("pupils", "LocalAuthority")
    existing = set(LocalAuthority.objects.values_list("code", flat=True))
    LocalAuthority.objects.bulk_create(
        LocalAuthority(code=la.code, name=la.name, status=str(la.status))
        for la in load_la_codes().values()
        if la.code not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("pupils", "0001_initial")]

    operations = [migrations.RunPython(load_codes, migrations.RunPython.noop)]
