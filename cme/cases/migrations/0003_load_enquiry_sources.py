"""Load the policy's enquiry sources (cme.cases.enquiries.DEFAULT_SOURCES); councils edit
them in the admin afterwards."""

from django.db import migrations


def load_sources(apps, schema_editor):
    from cme.cases.enquiries import DEFAULT_SOURCES

    EnquirySource = apps.get_model("cases", "EnquirySource")
    for order, source in enumerate(DEFAULT_SOURCES):
        EnquirySource.objects.get_or_create(
            name=source.name,
            defaults={"kind": source.kind.value, "due_days": source.due_days, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_enquiries_and_contact_attempts")]

    operations = [migrations.RunPython(load_sources, migrations.RunPython.noop)]
