"""`manage.py import_schools FILE.csv`: load a GIAS establishment extract."""

from __future__ import annotations

from pathlib import Path
from textwrap import fill
from typing import Any

from cme.pupils.importers import SCHOOL_COLUMNS, SCHOOL_OPTIONAL_COLUMNS, import_schools_file
from cme.pupils.management.import_command import ImportCommand


class Command(ImportCommand):
    help = f"""Import the DfE "Get Information about Schools" (GIAS) establishment extract.

{fill("Required columns: " + ", ".join(SCHOOL_COLUMNS) + ".", width=92)}
Also read when present: {", ".join(SCHOOL_OPTIONAL_COLUMNS)}. The other columns of a GIAS
extract are recognised and not stored (they include head teachers' names); any other column
is reported as unknown.

URN is the key: a row creates the school or updates it. Closed establishments are imported
with their status, because enrolment history needs them. Where schools share a LAESTAB over
time, pupil imports choose the open one. An LA code missing from the reference list is added
(with a message). A blank Postcode keeps the stored one. The school's panel locality is the
authority's own setting and is never taken from GIAS.

A row is rejected when URN is not a number, LA (code) is not 3 digits, EstablishmentNumber is
not 4 digits, EstablishmentName is blank, or EstablishmentStatus (name) is not a GIAS status.
An unknown or blank PhaseOfEducation (name) is recorded as "Not applicable" with a message.
GIAS dates (DD-MM-YYYY) are not read. A school row is never sent to review."""

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        self.run_import(
            lambda progress: import_schools_file(path=path, progress=progress),
            file_name=path.name,
        )
