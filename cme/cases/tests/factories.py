"""Cases in each state."""

from __future__ import annotations

import factory
from django.utils import timezone

from cme.cases.categories import CaseCategory
from cme.cases.models import Case, ContactAttempt, Letter
from cme.cases.workflow import CaseStatus, ClosureReason
from cme.pupils.tests.factories import ChildFactory


class OpenCaseFactory(factory.django.DjangoModelFactory[Case]):
    class Meta:
        model = Case

    child = factory.SubFactory(ChildFactory)
    category = CaseCategory.IDENTIFIED_MISSING
    status = CaseStatus.REFERRED
    status_changed_at = factory.LazyFunction(timezone.now)
    opened_at = factory.LazyFunction(timezone.now)


class LocatingCaseFactory(OpenCaseFactory):
    status = CaseStatus.LOCATING


class WhereaboutsUnknownCaseFactory(OpenCaseFactory):
    status = CaseStatus.WHEREABOUTS_UNKNOWN


class ClosedCaseFactory(OpenCaseFactory):
    status = CaseStatus.CLOSED
    closed_at = factory.LazyFunction(timezone.now)
    closure_reason = ClosureReason.ON_ROLL_AND_ATTENDING


class LetterAttemptFactory(factory.django.DjangoModelFactory[ContactAttempt]):
    class Meta:
        model = ContactAttempt

    case = factory.SubFactory(OpenCaseFactory)
    method = ContactAttempt.Method.LETTER
    made_on = factory.LazyFunction(timezone.localdate)
    outcome = "Letter generated to post"


class LetterFactory(factory.django.DjangoModelFactory[Letter]):
    """A letter with a stand-in PDF (making a real one takes WeasyPrint a second)."""

    class Meta:
        model = Letter

    case = factory.SubFactory(OpenCaseFactory)
    kind = Letter.Kind.TRYING_TO_CONTACT
    recipient = "The parent or carer"
    address = "1 High Street\nBath\nBA1 1AA"
    file = factory.django.FileField(filename="letter.pdf", data=b"%PDF-1.7 stand-in letter")
    size = 24
    sha256 = "0" * 64
    contact_attempt = factory.SubFactory(LetterAttemptFactory, case=factory.SelfAttribute("..case"))
