"""`manage.py import_attendance FILE.csv`: load session marks from school registers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cme.attendance.importers import ATTENDANCE_COLUMNS, import_attendance_file
from cme.pupils.management.import_command import ImportCommand


class Command(ImportCommand):
    help = f"""Import session marks from school registers: a daily increment, a week, or a whole
year back-filled, for any number of schools and pupils.

Required columns: {", ".join(ATTENDANCE_COLUMNS)}. One row per session mark:
  upn      the pupil's UPN; a UPN the register has as a former UPN also finds the pupil
  laestab  the school's 7-digit LA code and establishment number
  date     the day of the session, YYYY-MM-DD (not after today)
  session  AM or PM
  code     the national attendance code (matched in upper case after trimming; - means no
           mark yet). Marks dated from 19 Aug 2024 are read with the 2024 codes (C1, C2, J1,
           Y1 to Y7...), earlier marks with the codes in force before (H, F, J, Y...).

A row is rejected, with a message, when a value is missing or wrong (a code not in the set in
force on the mark's date, an impossible date), the pupil is not on the register, or the pupil
is not on the roll of that school on that date. Rejected rows are never half-imported.

Counts are of marks: created (a session with no mark before), updated (a mark that replaced
a different one: each pupil-year's replaced marks are recorded, before and after, in one
audit event), unchanged (the same mark again: importing a file twice changes nothing). When
two rows give the same pupil, school, date and session, the later line wins.

Once the marks are in, the attendance rules are evaluated again for every pupil-year the file
changed, on the marks up to today: an item is opened on the CME officers' worklist for each
new firing (one per run, not one a day) and closed when its condition ends; a warning line
gives how many were opened and closed. See docs/attendance.md for the rules."""

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        self.run_import(
            lambda progress: import_attendance_file(path=path, progress=progress),
            file_name=path.name,
        )
