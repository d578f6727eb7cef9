"""Linking two CSV files end to end: what `manage.py link LEFT RIGHT --out PAIRS` does.

Owns the order of the work and what is reported back: read and check both files (refusing a
bad one whole), parse the left records and index the right ones (collecting row warnings),
train, link, and write the pairs atomically. Printing and exit codes belong to the command.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from cme.linkage.batch import LinkageRun, link_records
from cme.linkage.bulk import collector_paused
from cme.linkage.csvio import PersonTable, read_person_csv, write_pairs_csv
from cme.linkage.decision import Decision, DecisionPolicy
from cme.linkage.index import RegisterIndex
from cme.linkage.model import MatchModel
from cme.linkage.records import FieldWarning, PersonRecord, parse_record


@dataclass(frozen=True, slots=True)
class FileWarning:
    """A row warning with the file it came from."""

    file: str
    warning: FieldWarning

    def __str__(self) -> str:
        return f"{self.file}: {self.warning}"


@dataclass(frozen=True, slots=True)
class LinkFilesResult:
    """What a file linkage did, for the command to report."""

    run: LinkageRun
    warnings: list[FileWarning]
    left_records: int
    right_records: int
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def links(self) -> int:
        """Left records linked automatically."""
        return sum(1 for row in self.run.rows if row.decision is Decision.LINK)

    @property
    def reviews(self) -> int:
        """Left records with at least one candidate for review."""
        return sum(
            1 for ranked in self.run.ranked if any(c.decision is Decision.REVIEW for c in ranked)
        )


def parse_table(table: PersonTable) -> tuple[list[PersonRecord], list[FieldWarning]]:
    """Parse every row of a table into a record, with its warnings (line numbers from 2)."""
    records = []
    warnings: list[FieldWarning] = []
    for position in range(table.rows):
        record, row_warnings = parse_record(table.row(position), line=table.line(position))
        records.append(record)
        warnings.extend(row_warnings)
    return records, warnings


def link_files(
    left_path: str | Path,
    right_path: str | Path,
    out_path: str | Path,
    *,
    seed: int = 0,
    model: MatchModel | None = None,
    policy: DecisionPolicy | None = None,
    workers: int = 1,
) -> LinkFilesResult:
    """Link LEFT (referrals) to RIGHT (the register) and write PAIRS; raises InputFileError.

    The output file is written only once everything has worked. `workers=2` uses a second
    process for half the comparisons (same output).
    """
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    left_table = read_person_csv(left_path)
    right_table = read_person_csv(right_path)
    seconds["read"] = time.perf_counter() - started
    mark = time.perf_counter()
    with collector_paused():
        left, left_warnings = parse_table(left_table)
    index, right_warnings = RegisterIndex.from_columns(
        right_table.columns, lines=right_table.lines, workers=workers
    )
    del right_table
    seconds["parse_and_index"] = time.perf_counter() - mark
    mark = time.perf_counter()
    run = link_records(left, index, seed=seed, model=model, policy=policy, workers=workers)
    seconds["train_and_link"] = time.perf_counter() - mark
    mark = time.perf_counter()
    write_pairs_csv(out_path, run.rows)
    seconds["write"] = time.perf_counter() - mark
    warnings = [FileWarning(Path(left_path).name, w) for w in left_warnings]
    warnings += [FileWarning(Path(right_path).name, w) for w in right_warnings]
    return LinkFilesResult(
        run=run,
        warnings=warnings,
        left_records=len(left),
        right_records=index.size,
        seconds=seconds,
    )
