"""The public referral journey through its real pages, as a referrer's browser uses it."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone
from lxml import html as lxml_html
from pytest_django.fixtures import Settings

from cme.referrals import services
from cme.referrals.models import Referral, ReferralDraft, ReferralEvent

from .journey_data import (
    CHILD_FIRST_NAME,
    CHILD_LAST_NAME,
    PAGES_AFTER_PARENTS,
    PAGES_BEFORE_PARENTS,
    PARENTS,
    REFERENCE_PATTERN,
    fill_in_everything,
    fill_in_the_minimum,
    post,
    reference_on,
    send,
)

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

QUESTION_PATHS = [path for path, _ in PAGES_BEFORE_PARENTS + PAGES_AFTER_PARENTS]
PUBLIC_PATHS = [
    "/refer/",
    *QUESTION_PATHS,
    "/refer/parents-and-carers/",
    "/refer/parent-or-carer/",
    "/refer/check-answers/",
    "/refer/confirmation/",
    "/refer/your-referral/",
]


def text_of(response: Response) -> str:
    return response.content.decode()


def test_the_start_page_explains_what_is_needed_and_starts_the_journey(client: Client) -> None:
    page = text_of(client.get("/refer/"))
    assert "Start now" in page
    assert 'href="/refer/child-name/"' in page
    assert "call 999" in page
    assert settings.CME_TEAM_PHONE in page


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_every_page_opens_without_signing_in(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_each_page_leads_to_the_next_in_journey_order(client: Client) -> None:
    expected_next = [*QUESTION_PATHS[1:5], "/refer/parents-and-carers/"]
    for (path, data), following in zip(PAGES_BEFORE_PARENTS, expected_next, strict=True):
        assert post(client, path, data)["Location"] == following
    assert post(client, "/refer/parents-and-carers/", {"add_another": "no"})["Location"] == (
        "/refer/brothers-and-sisters/"
    )
    after = [path for path, _ in PAGES_AFTER_PARENTS]
    for (path, data), following in zip(
        PAGES_AFTER_PARENTS, [*after[1:], "/refer/check-answers/"], strict=True
    ):
        assert post(client, path, data)["Location"] == following


def test_the_whole_journey_stores_one_referral_exactly_as_answered(client: Client) -> None:
    fill_in_everything(client)

    check = lxml_html.fromstring(text_of(client.get("/refer/check-answers/"))).text_content()
    for expected in [
        CHILD_FIRST_NAME,
        CHILD_LAST_NAME,
        "14 March 2015",
        "Year 5",
        "Agnieszka Nowak-Kowalska",
        "Gdańsk",
        "A801200014001",
        "Large dog at the address",
        "sam.patel@example.org",
    ]:
        assert expected in check, expected

    confirmation = send(client)
    reference = reference_on(confirmation)
    referral = Referral.objects.get()
    assert referral.reference == reference
    assert referral.channel == Referral.Channel.ONLINE
    assert referral.status == Referral.Status.RECEIVED
    answers = referral.submission["answers"]
    assert referral.submission["format"] == services.SUBMISSION_FORMAT
    assert answers["child_name"]["first_name"] == CHILD_FIRST_NAME
    assert answers["child_name"]["last_name"] == CHILD_LAST_NAME
    assert answers["date_of_birth"]["date_of_birth"] == "2015-03-14"
    assert answers["moved"]["new_address"] == "ul. Długa 5\nGdańsk\nPoland"
    assert answers["parents"] == PARENTS
    assert answers["safety"] == {
        "safety_concerns": "yes",
        "safety_details": "Large dog at the address",
    }
    assert answers["referrer_contact"]["email"] == "sam.patel@example.org"
    assert list(ReferralEvent.objects.values_list("referral", "kind")) == [
        (referral.pk, ReferralEvent.Kind.RECEIVED)
    ]


def test_the_received_time_and_a_hash_of_the_client_are_kept_but_not_the_ip_address(
    client: Client,
) -> None:
    fill_in_the_minimum(client)
    before = timezone.now()
    send(client)
    referral = Referral.objects.get()
    assert before <= referral.received_at <= timezone.now()
    assert len(referral.client_hash) == 64
    assert "127.0.0.1" not in referral.client_hash
    assert "127.0.0.1" not in str(referral.submission)


def test_only_a_description_and_a_phone_number_are_enough_to_send(client: Client) -> None:
    fill_in_the_minimum(client)
    check = text_of(client.get("/refer/check-answers/"))
    assert "Before you can send" not in check
    send(client)
    answers = Referral.objects.get().submission["answers"]
    assert answers == {
        "child_name": {
            "first_name": "",
            "last_name": "",
            "description": "Girl about 10, seen at the park daily",
        },
        "referrer_contact": {"phone": "07700 900982", "email": ""},
    }


def test_each_answer_is_saved_on_the_server_and_only_a_token_is_in_the_session(
    client: Client,
) -> None:
    post(client, "/refer/child-name/", {"first_name": CHILD_FIRST_NAME})
    draft = ReferralDraft.objects.get()
    assert draft.answers["child_name"]["first_name"] == CHILD_FIRST_NAME
    assert client.session["referral_draft"] == draft.token
    assert len(draft.token) >= 40
    assert CHILD_FIRST_NAME not in str(dict(client.session.items()))
    # Coming back to the page shows the answer again.
    assert f'value="{CHILD_FIRST_NAME}"' in text_of(client.get("/refer/child-name/"))


def test_a_draft_untouched_for_a_day_is_no_longer_offered_back(client: Client) -> None:
    post(client, "/refer/child-name/", {"first_name": CHILD_FIRST_NAME})
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        assert CHILD_FIRST_NAME not in text_of(client.get("/refer/child-name/"))
        assert "There are no answers to check" in text_of(client.get("/refer/check-answers/"))


def test_skipping_every_optional_question_still_moves_on(client: Client) -> None:
    for path in QUESTION_PATHS:
        if path in {"/refer/child-name/", "/refer/contact-details/"}:
            continue
        response = post(client, path, {})
        assert response.status_code == 302, path


# Errors -----------------------------------------------------------------------------------


def _error_links(page: str) -> dict[str, str]:
    tree = lxml_html.fromstring(page)
    return {
        link.text_content().strip(): str(link.get("href"))
        for link in tree.cssselect(".govuk-error-summary a")
    }


def _ids(page: str) -> set[str]:
    return {
        str(element.get("id")) for element in lxml_html.fromstring(page).iter() if element.get("id")
    }


def test_a_child_with_neither_name_nor_description_is_refused_with_a_linked_error(
    client: Client,
) -> None:
    response = post(client, "/refer/child-name/", {})
    page = text_of(response)
    assert response.status_code == 200
    assert "<title>Error: What is the child" in page
    links = _error_links(page)
    assert links == {services.CHILD_IDENTITY_MESSAGE: "#id_first_name"}
    assert "id_first_name" in _ids(page)
    assert ReferralDraft.objects.count() == 0


def test_a_referrer_with_no_way_to_be_reached_is_refused_with_a_linked_error(
    client: Client,
) -> None:
    page = text_of(post(client, "/refer/contact-details/", {"phone": "", "email": ""}))
    assert _error_links(page) == {services.REFERRER_CONTACT_MESSAGE: "#id_phone"}
    assert "id_phone" in _ids(page)


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "href"),
    [
        ("14", "", "", "Date of birth must include a month and year", "#id_date_of_birth_month"),
        ("", "3", "2015", "Date of birth must include a day", "#id_date_of_birth_day"),
        ("31", "2", "2015", "Date of birth must be a real date", "#id_date_of_birth_day"),
        ("1", "13", "2015", "Date of birth must be a real date", "#id_date_of_birth_month"),
        ("1", "3", "15", "Year must include 4 numbers", "#id_date_of_birth_year"),
        ("a", "3", "2015", "Date of birth must be a real date", "#id_date_of_birth_day"),
        ("1", "3", "2999", "Date of birth must be in the past", "#id_date_of_birth_day"),
        (
            "1",
            "3",
            "1850",
            "Date of birth must be the same as or after 1 January 1900",
            "#id_date_of_birth_year",
        ),
    ],
)
def test_a_wrong_date_of_birth_is_explained_and_linked_to_the_box_to_correct(
    client: Client, day: str, month: str, year: str, message: str, href: str
) -> None:
    page = text_of(
        post(
            client,
            "/refer/date-of-birth/",
            {"date_of_birth_day": day, "date_of_birth_month": month, "date_of_birth_year": year},
        )
    )
    assert _error_links(page) == {message: href}
    assert href[1:] in _ids(page)
    # What was typed is shown again to correct.
    tree = lxml_html.fromstring(page)
    assert tree.get_element_by_id("id_date_of_birth_year").get("value", "") == year


def test_a_date_last_on_roll_in_the_future_is_refused(client: Client) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page = text_of(
        post(
            client,
            "/refer/last-school/",
            {
                "last_on_roll_day": str(tomorrow.day),
                "last_on_roll_month": str(tomorrow.month),
                "last_on_roll_year": str(tomorrow.year),
            },
        )
    )
    assert "Date last on a school roll must be today or in the past" in _error_links(page)


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        (
            "/refer/child-name/",
            {"first_name": "x" * 10_000},
            "First name must be 200 characters or less",
        ),
        (
            "/refer/reason/",
            {"reason": "y" * 10_000},
            "Reason must be 2,000 characters or less",
        ),
        ("/refer/address/", {"postcode": "not a postcode"}, "Enter a real postcode, like BA1 1JG"),
        (
            "/refer/contact-details/",
            {"email": "sam at example"},
            "Enter an email address in the correct format, like name@example.com",
        ),
        (
            "/refer/contact-details/",
            {"phone": "call me 😀"},
            "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192",
        ),
        (
            "/refer/last-school/",
            {"upn": "A801200014002"},
            "Enter a UPN in the correct format, like A801200014001, or leave it blank",
        ),
        ("/refer/about-the-child/", {"gender": "robot"}, "Select one of the options"),
    ],
)
def test_answers_out_of_bounds_get_a_message_in_the_questions_own_words(
    client: Client, path: str, data: dict[str, str], message: str
) -> None:
    response = post(client, path, data)
    assert response.status_code == 200
    assert message in _error_links(text_of(response))


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("O'Neill", "O'Neill"),
        ("Zoë", "Zoë"),
        ("Nowak-Kowalska", "Nowak-Kowalska"),
        ("Mary Ann", "Mary Ann"),
        ("  Zoë  ", "Zoë"),
        ("Zo\x00ë\x07\x1b", "Zoë"),
        ("Ana\u200dLuísa 😀", "Ana\u200dLuísa 😀"),
        ("Line\nbreak", "Line break"),
    ],
)
def test_names_are_kept_as_typed_without_control_characters(
    client: Client, typed: str, kept: str
) -> None:
    assert post(client, "/refer/child-name/", {"first_name": typed}).status_code == 302
    assert ReferralDraft.objects.get().answers["child_name"]["first_name"] == kept


def test_free_text_keeps_its_line_breaks(client: Client) -> None:
    post(client, "/refer/reason/", {"reason": "First line\r\nSecond line\x00"})
    assert ReferralDraft.objects.get().answers["reason"]["reason"] == "First line\nSecond line"


def test_no_page_sends_a_maxlength_that_would_cut_text_off_unseen(client: Client) -> None:
    for path in QUESTION_PATHS:
        tree = lxml_html.fromstring(text_of(client.get(path)))
        assert [element.get("name") for element in tree.xpath("//input[@maxlength]")] == [], path


def test_answers_typed_into_html_are_shown_as_text(client: Client) -> None:
    post(client, "/refer/child-name/", {"first_name": "<script>alert(1)</script>"})
    post(client, "/refer/reason/", {"reason": "<b>bold</b>\nnext"})
    page = text_of(client.get("/refer/check-answers/"))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;<br>next" in page


# Check answers and Change links -----------------------------------------------------------


def test_check_answers_lists_what_is_missing_and_refuses_to_send_without_it(
    client: Client,
) -> None:
    post(client, "/refer/reason/", {"reason": "Not seen since Easter"})
    page = text_of(client.get("/refer/check-answers/"))
    assert "Before you can send this referral" in page
    assert 'href="/refer/child-name/?return=check#id_first_name"' in page
    assert 'href="/refer/contact-details/?return=check#id_phone"' in page

    response = post(client, "/refer/check-answers/", {})
    assert response.status_code == 200
    links = _error_links(text_of(response))
    assert links == {
        services.CHILD_IDENTITY_MESSAGE: "/refer/child-name/?return=check#id_first_name",
        services.REFERRER_CONTACT_MESSAGE: "/refer/contact-details/?return=check#id_phone",
    }
    assert Referral.objects.count() == 0


def test_every_answer_on_check_answers_has_a_change_link_back_to_its_page(
    client: Client,
) -> None:
    fill_in_everything(client)
    tree = lxml_html.fromstring(text_of(client.get("/refer/check-answers/")))
    hrefs = {
        str(link.get("href")).split("?")[0]
        for link in tree.cssselect(".govuk-summary-list__actions a")
    }
    assert hrefs == {*QUESTION_PATHS, "/refer/parents-and-carers/"}
    for link in tree.cssselect(".govuk-summary-list__actions a"):
        assert "?return=check" in str(link.get("href"))
        assert link.cssselect(".govuk-visually-hidden"), "each Change link names its answer"


def test_a_change_from_check_answers_returns_to_check_answers(client: Client) -> None:
    fill_in_everything(client)
    page = text_of(client.get("/refer/child-name/?return=check"))
    assert 'href="/refer/check-answers/"' in page  # the back link
    response = post(client, "/refer/child-name/?return=check", {"first_name": "Zofia"})
    assert response["Location"] == "/refer/check-answers/"
    assert "Zofia" in text_of(client.get("/refer/check-answers/"))


def test_a_parent_changed_from_check_answers_returns_there_through_the_parents_list(
    client: Client,
) -> None:
    fill_in_everything(client)
    listing = text_of(client.get("/refer/parents-and-carers/?return=check"))
    assert "You have added 2 parents or carers" in listing
    assert 'href="/refer/parent-or-carer/?number=1&amp;return=check"' in listing
    response = post(
        client,
        "/refer/parent-or-carer/?number=1&return=check",
        {**PARENTS[0], "relationship": "Stepmother"},
    )
    assert response["Location"] == "/refer/parents-and-carers/?return=check"
    response = post(client, "/refer/parents-and-carers/?return=check", {"add_another": "no"})
    assert response["Location"] == "/refer/check-answers/"
    assert "Relationship: Stepmother" in text_of(client.get("/refer/check-answers/"))


def test_a_parent_can_be_removed_after_confirming(client: Client) -> None:
    fill_in_everything(client)
    confirm = text_of(client.get("/refer/parent-or-carer/?number=1&remove=yes"))
    assert "Are you sure you want to remove this parent or carer?" in confirm
    assert "Agnieszka Nowak-Kowalska" in confirm
    response = post(client, "/refer/parent-or-carer/?number=1&remove=yes", {})
    assert response["Location"] == "/refer/parents-and-carers/"
    assert ReferralDraft.objects.get().answers["parents"] == [PARENTS[1]]


def test_a_blank_parent_is_not_added(client: Client) -> None:
    post(client, "/refer/parent-or-carer/", {"name": "", "relationship": ""})
    assert ReferralDraft.objects.count() == 0


def test_a_parent_number_that_does_not_exist_is_not_found(client: Client) -> None:
    fill_in_everything(client)
    assert client.get("/refer/parent-or-carer/?number=3").status_code == 404
    assert client.get("/refer/parent-or-carer/?number=-1").status_code == 404
    assert client.get("/refer/parent-or-carer/?number=\u0661").status_code == 404


def test_no_more_than_the_limit_of_parents_can_be_added(client: Client) -> None:
    for number in range(services.MAX_PARENTS + 2):
        post(client, "/refer/parent-or-carer/", {"name": f"Carer {number}"})
    assert len(ReferralDraft.objects.get().answers["parents"]) == services.MAX_PARENTS
    page = text_of(client.get("/refer/parents-and-carers/"))
    assert "You cannot add more than 10" in page
    assert 'name="add_another"' not in page


# Sending: confirmation, reference, copy ----------------------------------------------------


def test_the_confirmation_shows_an_unguessable_reference_and_nothing_of_the_child(
    client: Client,
) -> None:
    fill_in_everything(client)
    page = text_of(send(client))
    assert "govuk-panel--confirmation" in page
    assert REFERENCE_PATTERN.search(page)
    for detail in [CHILD_FIRST_NAME, "Nowak", "Widcombe Hill", "Large dog", "Sam Patel"]:
        assert detail not in page


def test_pressing_send_twice_makes_one_referral_and_the_same_confirmation(
    client: Client,
) -> None:
    fill_in_everything(client)
    first = reference_on(send(client))
    second = reference_on(send(client))
    assert first == second
    assert Referral.objects.count() == 1
    assert ReferralEvent.objects.count() == 1


def test_a_second_send_from_a_stale_page_in_another_tab_makes_no_second_referral(
    client: Client,
) -> None:
    fill_in_the_minimum(client)
    send(client)
    # The session lost its confirmation (another tab), but still holds the sent draft's token.
    session = client.session
    del session["referral_sent"]
    session.save()
    response = post(client, "/refer/check-answers/", {})
    assert response["Location"] == "/refer/confirmation/"
    assert reference_on(client.get("/refer/confirmation/")) == Referral.objects.get().reference
    assert Referral.objects.count() == 1


def test_after_sending_the_public_pages_show_nothing_of_the_child(client: Client) -> None:
    fill_in_everything(client)
    send(client)
    assert client.get("/refer/check-answers/")["Location"] == "/refer/confirmation/"
    for path in [
        "/refer/",
        *QUESTION_PATHS,
        "/refer/parents-and-carers/",
        "/refer/parent-or-carer/",
        "/refer/confirmation/",
    ]:
        page = text_of(client.get(path))
        for detail in [CHILD_FIRST_NAME, "Nowak", "Widcombe Hill", "Large dog", "07700 900123"]:
            assert detail not in page, (path, detail)
    assert ReferralDraft.objects.get().answers == {}


def test_the_referrers_copy_lists_what_they_told_us_in_their_own_session_only(
    client: Client,
) -> None:
    fill_in_everything(client)
    confirmation = send(client)
    copy_link = lxml_html.fromstring(text_of(confirmation)).xpath(
        "//a[contains(@href, '/refer/your-referral/?copy=')]/@href"
    )[0]
    assert len(str(copy_link).split("copy=")[1]) >= 40

    response = client.get(copy_link)
    copy = text_of(response)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert 'media="print"' in copy
    for detail in [CHILD_FIRST_NAME, "14 March 2015", "Large dog at the address", "Sam Patel"]:
        assert detail in copy
    assert "Change" not in lxml_html.fromstring(copy).text_content()

    stranger = Client()
    assert stranger.get(copy_link).status_code == 404
    assert client.get("/refer/your-referral/?copy=guessed-token").status_code == 404
    assert CHILD_FIRST_NAME not in text_of(stranger.get("/refer/confirmation/"))


def test_a_new_referral_can_be_started_after_sending_one(client: Client) -> None:
    fill_in_the_minimum(client)
    first = reference_on(send(client))
    post(client, "/refer/child-name/", {"first_name": "Another"})
    post(client, "/refer/contact-details/", {"email": "me@example.org"})
    second = reference_on(send(client))
    assert first != second
    assert Referral.objects.count() == 2


# Abuse protection ------------------------------------------------------------------------


def test_the_honeypot_is_hidden_from_sight_screen_readers_and_the_keyboard(
    client: Client,
) -> None:
    for path in [*QUESTION_PATHS, "/refer/parents-and-carers/", "/refer/parent-or-carer/"]:
        tree = lxml_html.fromstring(text_of(client.get(path)))
        box = tree.xpath("//input[@name='website']")
        assert len(box) == 1, path
        container = box[0].getparent().getparent()
        assert container.get("hidden") is not None
        assert container.get("aria-hidden") == "true"
        assert "govuk-!-display-none" in str(container.get("class"))
        assert box[0].get("tabindex") == "-1"
        assert box[0].get("autocomplete") == "off"


def test_a_robot_filling_the_honeypot_sees_a_confirmation_but_nothing_is_stored(
    client: Client,
) -> None:
    fill_in_everything(client)
    response = post(client, "/refer/check-answers/", {"website": "http://spam.example"})
    assert response["Location"] == "/refer/confirmation/"
    page = client.get("/refer/confirmation/")
    assert page.status_code == 200
    assert REFERENCE_PATTERN.search(text_of(page))
    assert Referral.objects.count() == 0
    assert ReferralDraft.objects.count() == 0


def test_a_robot_filling_the_honeypot_on_a_question_page_has_nothing_saved(
    client: Client,
) -> None:
    response = post(
        client, "/refer/child-name/", {"first_name": "Spam", "website": "http://spam.example"}
    )
    assert response["Location"] == "/refer/date-of-birth/"
    assert ReferralDraft.objects.count() == 0
    post(client, "/refer/contact-details/", {"phone": "07700 900982"})
    send(client)
    assert Referral.objects.count() == 0


def test_too_many_pages_from_one_client_get_a_429_page_with_the_teams_number(
    client: Client, settings: Settings
) -> None:
    settings.REFERRAL_PAGE_RATE = "3/m"
    for _ in range(3):
        assert post(client, "/refer/reason/", {"reason": "x"}).status_code == 302
    response = post(client, "/refer/reason/", {"reason": "x"})
    assert response.status_code == 429
    page = text_of(response)
    assert "Sorry, you cannot use this form at the moment" in page
    assert settings.CME_TEAM_PHONE in page


def test_too_many_sends_from_one_client_get_a_429_page(client: Client, settings: Settings) -> None:
    settings.REFERRAL_SEND_RATE = "2/h"
    fill_in_the_minimum(client)
    send(client)
    fill_in_the_minimum(client)
    send(client)
    fill_in_the_minimum(client)
    response = post(client, "/refer/check-answers/", {})
    assert response.status_code == 429
    assert Referral.objects.count() == 2


def test_the_limit_is_per_client_address(client: Client, settings: Settings) -> None:
    settings.REFERRAL_PAGE_RATE = "1/m"
    assert post(client, "/refer/reason/", {"reason": "x"}).status_code == 302
    assert post(client, "/refer/reason/", {"reason": "x"}).status_code == 429
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post("/refer/reason/", {"reason": "x"}).status_code == 302


def test_pages_without_answers_in_this_browser_say_so_and_offer_a_fresh_start(
    client: Client,
) -> None:
    page = text_of(client.get("/refer/check-answers/"))
    assert "There are no answers to check" in page
    assert 'href="/refer/"' in page
    assert "There is no referral to show" in text_of(client.get("/refer/confirmation/"))
    assert "only opens in the browser you sent" in text_of(client.get("/refer/your-referral/"))
    assert post(client, "/refer/check-answers/", {}).status_code == 200
    assert Referral.objects.count() == 0
