"""The engine's path through the app: the live register read from the database, the per-request
freshness check, a change picked up by the overlay, and one referral matched and kept.

Figures: time to build the register index from the database (children and addresses read
through the ORM), memory of the process after it, per-match latency through
`cme.matching.services.candidates_for` (p50/p95 over the benchmark's referrals, register warm:
this includes the query that looks for changes), the latency of the first match after a child
was changed (the overlay is rebuilt), and `match_notification` (match, keep, audit). The
register is the synthetic world of `bench.linkage_data.generator` (seed 4711), loaded into a
fresh SQLite database (the embedded default; set BENCH_DATABASE_URL for PostgreSQL).
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

SEED = 4711
HOUSEHOLDS = 20_000  # about 37,000 children: a large authority's register
QUERIES = 1_000


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _load_register(rows: list[dict[str, str]]) -> dict[str, int]:
    """Write the world's register as children with addresses; returns world id → child pk."""
    import datetime

    from django.db import transaction

    from cme.pupils.models import Address, Child

    with transaction.atomic():
        Child.objects.all().delete()
        children = Child.objects.bulk_create(
            [
                Child(
                    forename=row["forename"].title() or "Unknown",
                    middle_names=row["middle_names"].title(),
                    surname=row["surname"].title() or "Unknown",
                    former_surnames=row["former_surname"].title(),
                    date_of_birth=datetime.date.fromisoformat(row["dob"]) if row["dob"] else None,
                    sex=row["sex"] or "U",
                    upn=row["upn"],
                    nhs_number=row["nhs_number"],
                )
                for row in rows
            ],
            batch_size=2_000,
        )
        Address.objects.bulk_create(
            [
                Address(child=child, line_1=row["address"] or "-", postcode=row["postcode"])
                for child, row in zip(children, rows, strict=True)
            ],
            batch_size=2_000,
        )
    return {row["id"]: child.pk for child, row in zip(children, rows, strict=True)}


def _details(row: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in row.items() if key != "id"}


def main(argv: list[str]) -> None:  # noqa: PLR0915 - one benchmark, read top to bottom
    parser = argparse.ArgumentParser(prog="bench_matching_app")
    parser.add_argument("--households", type=int, default=HOUSEHOLDS)
    args = parser.parse_args(argv)
    from bench.linkage_data.generator import WorldConfig, generate_world

    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        _setup_django(url)
        from django.utils import timezone

        from cme.audit.models import AuditEvent
        from cme.matching import services
        from cme.matching.models import IdentityMatch
        from cme.matching.register import LIVE_REGISTER
        from cme.pupils import services as pupil_services
        from cme.pupils.models import Child

        world = generate_world(WorldConfig(households=args.households, referrals=QUERIES), SEED)
        started = time.perf_counter()
        _load_register(world.register)
        loaded = time.perf_counter() - started
        engine = "PostgreSQL" if "postgres" in url else "SQLite"
        print(
            f"Register of {len(world.register):,} children loaded into {engine} in {loaded:.1f} s"
        )

        builds = []
        for _ in range(3):
            LIVE_REGISTER.clear()
            started = time.perf_counter()
            services.current_register()
            builds.append(time.perf_counter() - started)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"Index built from the database in {statistics.median(builds):.1f} s "
            f"(median of 3; process peak RSS {rss:,.0f} MiB)"
        )

        def referral_latencies() -> list[float]:
            found = []
            for referral in world.referrals:
                started = time.perf_counter()
                services.candidates_for(_details(referral.row))
                found.append((time.perf_counter() - started) * 1000)
            return sorted(found)

        def report(label: str, values: list[float]) -> None:
            p95 = values[int(0.95 * len(values)) - 1]
            print(
                f"{label}, {len(values):,} referrals: p50 {statistics.median(values):.1f} ms, "
                f"p95 {p95:.1f} ms"
            )

        report(
            "One referral through the app (freshness check, rank, decide, explain), "
            "within 5 minutes of loading the whole register",
            referral_latencies(),
        )
        # The usual state: the register was last bulk-loaded more than the commit lag ago.
        Child.objects.update(updated_at=timezone.now() - datetime.timedelta(days=1))
        LIVE_REGISTER.clear()
        services.current_register()
        report("The same, register loaded a day ago (the usual state)", referral_latencies())
        after_change = []
        for number, child in enumerate(Child.objects.order_by("pk")[:20]):
            pupil_services.update_child(actor=None, child=child, surname=f"Bench{number}")
            started = time.perf_counter()
            found = services.candidates_for(
                {"forename": child.forename, "surname": f"Bench{number}"}
            )
            after_change.append((time.perf_counter() - started) * 1000)
            assert found, "a changed child must be found"
            assert found[0].child_id == child.pk, "a changed child must be found first"
        print(
            f"First match after a child was changed (overlay rebuilt; found every time): "
            f"median {statistics.median(after_change):.1f} ms over {len(after_change)} changes"
        )

        kept = []
        for number, referral in enumerate(world.referrals[:200]):
            started = time.perf_counter()
            services.match_notification(
                source=IdentityMatch.Source.PARTNER,
                reference=f"bench-{number}",
                details=_details(referral.row),
            )
            kept.append((time.perf_counter() - started) * 1000)
        print(
            f"match_notification (match, keep with explanations, audit): median "
            f"{statistics.median(kept):.1f} ms over {len(kept)}; "
            f"{AuditEvent.objects.filter(kind=AuditEvent.Kind.IDENTITY_MATCHED).count()} audited"
        )


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main(sys.argv[1:])
