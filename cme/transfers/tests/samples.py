"""Hand-written Common Transfer Files for tests, built from spec.md §1.10 (fictitious data:
07700 900000 is Ofcom's drama range; 999999/9999 are not real establishments).

`SPEC_EXAMPLE` is the specification's illustration exactly; `ctf()` and `pupil()` write
variants of it by hand (string templates, not our writer), so the importer is tested on files
it did not produce.
"""

from __future__ import annotations

from pathlib import Path

from cme.standards.upn import make_upn

SPEC_EXAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<CTfile>
  <Header>
    <DocumentName>Common Transfer File</DocumentName>
    <CTFversion>25.0</CTFversion>
    <DateTime>2025-11-03T10:15:00</DateTime>
    <DocumentQualifier>full</DocumentQualifier>
    <SupplierID>Example MIS</SupplierID>
    <SourceSchool>
      <LEA>800</LEA><Estab>9999</Estab><URN>999999</URN>
      <SchoolName>Example Primary School</SchoolName><AcademicYear>2025</AcademicYear>
    </SourceSchool>
    <DestSchool><LEA>XXX</LEA><Estab>XXXX</Estab></DestSchool>
  </Header>
  <CTFpupilData>
    <Pupil>
      <UPN>K800999925001</UPN>
      <Surname>EXAMPLE</Surname><Forename>ALEX</Forename>
      <DOB>2016-05-14</DOB><Sex>F</Sex>
      <BasicDetails>
        <FormerUPN>W80099992500A</FormerUPN><MiddleNames>JO</MiddleNames>
        <NCyearActual>4</NCyearActual><Ethnicity>WBRI</Ethnicity><EnrolStatus>C</EnrolStatus>
      </BasicDetails>
      <LookedAfter><InCare>false</InCare></LookedAfter>
      <Address>
        <BS7666Address><PAON>1</PAON><Street>Example Street</Street><Town>Bath</Town></BS7666Address>
        <PostCode>BA1 0AA</PostCode>
      </Address>
      <Contacts>
        <Contact>
          <Order>1</Order><Surname>EXAMPLE</Surname><Forename>SAM</Forename>
          <Relationship>PAM</Relationship><Responsibility>true</Responsibility>
          <AddressAsPupil>true</AddressAsPupil>
          <Phones><Phone><TelephoneType>M</TelephoneType><PhoneNo>07700900000</PhoneNo></Phone></Phones>
        </Contact>
      </Contacts>
      <Attendance>
        <YearData>
          <Year>2025</Year><LEA>800</LEA><Estab>9999</Estab><SchoolName>Example Primary School</SchoolName>
          <SessionsPossible>70</SessionsPossible><SessionsAuthorised>4</SessionsAuthorised>
          <SessionsUnauthorised>12</SessionsUnauthorised>
          <AttendSessions>
            <AttendanceStartDate>2025-09-03</AttendanceStartDate>
            <AttendanceMarks>/\\/\\/\\NNNN/\\II/\\</AttendanceMarks>
          </AttendSessions>
        </YearData>
      </Attendance>
      <SchoolHistory>
        <School><LEA>800</LEA><Estab>9999</Estab><SchoolName>Example Primary School</SchoolName>
          <EntryDate>2021-09-02</EntryDate><LeavingDate>2025-11-03</LeavingDate></School>
      </SchoolHistory>
    </Pupil>
  </CTFpupilData>
</CTfile>
"""  # noqa: E501 - the specification's text, exactly

UPN_1 = "K800999925001"  # valid: the specification's own
UPN_2 = make_upn("800", "9999", "25", "002")
UPN_3 = make_upn("800", "9999", "25", "003")


def pupil(
    *,
    upn: str = UPN_1,
    surname: str = "EXAMPLE",
    forename: str = "ALEX",
    dob: str = "2016-05-14",
    sex: str = "<Sex>F</Sex>",
    basic: str = "<MiddleNames>JO</MiddleNames><Ethnicity>WBRI</Ethnicity>",
    address: str = (
        "<Address><BS7666Address><PAON>1</PAON><Street>Example Street</Street>"
        "<Town>Bath</Town></BS7666Address><PostCode>BA1 0AA</PostCode></Address>"
    ),
    contacts: str = (
        "<Contacts><Contact><Order>1</Order><Surname>EXAMPLE</Surname><Forename>SAM</Forename>"
        "<Relationship>PAM</Relationship><Responsibility>true</Responsibility>"
        "<AddressAsPupil>true</AddressAsPupil><Phones><Phone><TelephoneType>M</TelephoneType>"
        "<PhoneNo>07700900000</PhoneNo></Phone></Phones></Contact></Contacts>"
    ),
    attendance: str = (
        "<Attendance><YearData><Year>2025</Year><LEA>800</LEA><Estab>9999</Estab>"
        "<SchoolName>Example Primary School</SchoolName><SessionsPossible>70</SessionsPossible>"
        "<SessionsAuthorised>4</SessionsAuthorised><SessionsUnauthorised>12</SessionsUnauthorised>"
        "<AttendSessions><AttendanceStartDate>2025-09-03</AttendanceStartDate>"
        "<AttendanceMarks>/\\/\\/\\NNNN/\\II/\\</AttendanceMarks></AttendSessions>"
        "</YearData></Attendance>"
    ),
    history: str = (
        "<SchoolHistory><School><LEA>800</LEA><Estab>9999</Estab>"
        "<SchoolName>Example Primary School</SchoolName><EntryDate>2021-09-02</EntryDate>"
        "<LeavingDate>2025-11-03</LeavingDate></School></SchoolHistory>"
    ),
    extra: str = "",
) -> str:
    """One hand-written Pupil element; pass "" to leave a part out."""
    return (
        f"<Pupil>{f'<UPN>{upn}</UPN>' if upn else ''}"
        f"{f'<Surname>{surname}</Surname>' if surname else ''}"
        f"{f'<Forename>{forename}</Forename>' if forename else ''}"
        f"{f'<DOB>{dob}</DOB>' if dob else ''}{sex}"
        f"{f'<BasicDetails>{basic}</BasicDetails>' if basic else ''}"
        f"{address}{contacts}{attendance}{history}{extra}</Pupil>"
    )


def ctf(
    *pupils: str,
    dest: tuple[str, str] = ("800", "2001"),
    source: tuple[str, str] = ("800", "9999"),
    version: str = "25.0",
    version_element: str = "CTFversion",
    prolog: str = '<?xml version="1.0" encoding="UTF-8"?>\n',
) -> bytes:
    """A hand-written CTF with these pupils (by default addressed to school 8002001)."""
    body = "".join(pupils) if pupils else pupil()
    return (
        f"{prolog}<CTfile><Header><DocumentName>Common Transfer File</DocumentName>"
        f"<{version_element}>{version}</{version_element}>"
        "<DateTime>2025-11-03T10:15:00</DateTime><DocumentQualifier>full</DocumentQualifier>"
        "<SupplierID>Example MIS</SupplierID>"
        f"<SourceSchool><LEA>{source[0]}</LEA><Estab>{source[1]}</Estab><URN>999999</URN>"
        "<SchoolName>Example Primary School</SchoolName><AcademicYear>2025</AcademicYear>"
        f"</SourceSchool><DestSchool><LEA>{dest[0]}</LEA><Estab>{dest[1]}</Estab></DestSchool>"
        f"</Header><CTFpupilData>{body}</CTFpupilData></CTfile>\n"
    ).encode()


def lost_pupil_ctf(*pupils: str, source: tuple[str, str] = ("873", "9999")) -> bytes:
    """A lost-pupil CTF (destination XXXXXXX) from a school in Cambridgeshire (LA 873)."""
    return ctf(*pupils, dest=("XXX", "XXXX"), source=source)


def write(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path
