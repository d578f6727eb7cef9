"""Pupil-register pages, as each role sees them."""

from __future__ import annotations

import pytest
from django.test import Client

from cme.accounts.models import User
from cme.audit.models import AccessEvent
from cme.pupils.models import School
from cme.pupils.tests.factories import pupil_at

pytestmark = pytest.mark.django_db


def test_a_cme_officer_sees_a_childs_record_and_the_view_is_logged(
    client: Client, cme_officer: User, school: School
) -> None:
    child = pupil_at(school, forename="Zoë", surname="O'Neill")
    client.force_login(cme_officer)
    response = client.get(f"/children/{child.pk}/")
    assert response.status_code == 200
    assert "O&#39;Neill" in response.content.decode()
    assert AccessEvent.objects.filter(child_id=child.pk, actor=cme_officer).count() == 1


def test_a_school_cannot_see_another_schools_pupil(
    client: Client, school_user_other_school: User, school: School
) -> None:
    child = pupil_at(school)
    client.force_login(school_user_other_school)
    assert client.get(f"/children/{child.pk}/").status_code == 404


def test_search_finds_a_child_by_name_and_logs_the_search(
    client: Client, cme_officer: User, school: School
) -> None:
    pupil_at(school, forename="Katarzyna", surname="Nowak-Kowalska")
    client.force_login(cme_officer)
    response = client.get("/children/", {"q": "nowak"})  # find a child (cme.matching)
    assert "Nowak-Kowalska" in response.content.decode()
    assert (
        AccessEvent.objects.filter(action=AccessEvent.Action.SEARCH, result_count=1).exists()
        is True
    )
