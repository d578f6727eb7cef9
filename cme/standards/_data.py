"""Reading the CSV files bundled in cme/standards/data/ (shared by the table modules)."""

import csv
import io
from importlib import resources


def read_bundled_csv(file_name: str, expected_columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Return the rows of data/<file_name>, failing loudly if its header is not as expected."""
    raw = (resources.files("cme.standards") / "data" / file_name).read_bytes()
    # newline="" leaves CRLF (la_codes.csv) and quoted newlines for the csv module to interpret.
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8"), newline=""))
    if tuple(reader.fieldnames or ()) != expected_columns:
        msg = f"{file_name}: expected columns {expected_columns}, got {reader.fieldnames}"
        raise ValueError(msg)
    return list(reader)
