"""A complete referral as a referrer would type it, page by page, and a client to send it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.test import Client

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

REFERENCE_PATTERN = re.compile(r"CME-[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{10}")

CHILD_FIRST_NAME = "Zoë"
CHILD_LAST_NAME = "O'Neill-Nowak"

# Path → what the referrer types on that page, in journey order (the parents loop aside).
PAGES_BEFORE_PARENTS: list[tuple[str, dict[str, str]]] = [
    ("/refer/child-name/", {"first_name": CHILD_FIRST_NAME, "last_name": CHILD_LAST_NAME}),
    (
        "/refer/date-of-birth/",
        {"date_of_birth_day": "14", "date_of_birth_month": "3", "date_of_birth_year": "2015"},
    ),
    (
        "/refer/about-the-child/",
        {"gender": "female", "year_group": "year_5", "ethnicity": "White and Black Caribbean"},
    ),
    (
        "/refer/address/",
        {
            "address": "12 Widcombe Hill\nBath",
            "postcode": "BA2 6AA",
            "phone_numbers": "07700 900982",
        },
    ),
    (
        "/refer/moved/",
        {
            "has_moved": "yes",
            "new_address": "ul. Długa 5\nGdańsk\nPoland",
            "new_phone_numbers": "+48 600 000 000",
            "moved_on_day": "1",
            "moved_on_month": "9",
            "moved_on_year": "2025",
        },
    ),
]
PARENTS = [
    {
        "name": "Agnieszka Nowak-Kowalska",
        "relationship": "Mother",
        "address": "",
        "phone_numbers": "07700 900123",
    },
    {"name": "Seán O'Neill", "relationship": "Father", "address": "Unknown", "phone_numbers": ""},
]
PAGES_AFTER_PARENTS: list[tuple[str, dict[str, str]]] = [
    ("/refer/brothers-and-sisters/", {"siblings": "Kacper, 8, Widcombe Junior School"}),
    ("/refer/other-contacts/", {"emergency_contacts": "Grandmother, Ann O'Neill, 01225 000000"}),
    (
        "/refer/last-school/",
        {
            "last_school": "Widcombe Junior School",
            "last_school_area": "Bath and North East Somerset",
            "last_on_roll_day": "18",
            "last_on_roll_month": "7",
            "last_on_roll_year": "2025",
            "upn": "A801200014001",
        },
    ),
    ("/refer/reason/", {"reason": "Left for Poland; not known if they arrived"}),
    (
        "/refer/care-and-support/",
        {
            "looked_after": "no",
            "sen_stage": "sen_support",
            "gp": "Widcombe Surgery",
            "agencies": "Health visitor",
        },
    ),
    ("/refer/attempts-to-find/", {"attempts": "Phoned the mother twice; letter on 3 October"}),
    ("/refer/safety/", {"safety_concerns": "yes", "safety_details": "Large dog at the address"}),
    ("/refer/anything-else/", {"other_details": ""}),
    (
        "/refer/about-you/",
        {
            "referrer_name": "Sam Patel",
            "referrer_type": "agency",
            "organisation": "Widcombe Junior School",
        },
    ),
    ("/refer/contact-details/", {"phone": "01225 123456", "email": "sam.patel@example.org"}),
]


def post(client: Client, path: str, data: dict[str, str]) -> Response:
    return client.post(path, data)


def fill_in_everything(client: Client) -> None:
    """Answer every page, two parents included, ending on check answers."""
    for path, data in PAGES_BEFORE_PARENTS:
        assert post(client, path, data).status_code == 302, path
    for parent in PARENTS:
        assert (
            post(client, "/refer/parents-and-carers/", {"add_another": "yes"})["Location"]
            == "/refer/parent-or-carer/"
        )
        assert post(client, "/refer/parent-or-carer/", parent)["Location"] == (
            "/refer/parents-and-carers/"
        )
    post(client, "/refer/parents-and-carers/", {"add_another": "no"})
    for path, data in PAGES_AFTER_PARENTS:
        assert post(client, path, data).status_code == 302, path


def fill_in_the_minimum(client: Client) -> None:
    """Only a description of the child and a phone number."""
    post(client, "/refer/child-name/", {"description": "Girl about 10, seen at the park daily"})
    post(client, "/refer/contact-details/", {"phone": "07700 900982"})


def send(client: Client) -> Response:
    response = post(client, "/refer/check-answers/", {})
    assert response.status_code == 302
    assert response["Location"] == "/refer/confirmation/"
    return client.get("/refer/confirmation/")


def reference_on(page: Response) -> str:
    found = REFERENCE_PATTERN.search(page.content.decode())
    assert found is not None
    return found.group(0)
