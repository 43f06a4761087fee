"""English classes: US/UK addresses, names in every form, phones; positives and look-alikes."""

from __future__ import annotations

import pytest

from mlwarden.detectors.detector_set import DetectorSet

DETECTORS = DetectorSet.default()


def _found(text: str, **kwargs: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.kind) for m in DETECTORS.detect(text, **kwargs)]


def _kinds(text: str) -> set[str]:
    return {kind for _, kind in _found(text)}


@pytest.mark.parametrize(
    "address",
    [
        "4490 Jennifer Estate Apt. 512\nNorth Jamesport, CA 90210",
        "12 Smith Ferry, Port Kevin, TX 77001-1234",
        "99 Oak Locks Suite 300, Lake Mary, FL 32746",
        "500 West Shoals #4, Austin, TX 78701",
        "77 Miller Turnpike, Riverside, CA 92501",
        "42 Harbor Inlet, Bar Harbor, ME 04609",
        "8 Stone Crossing Unit 7, Denver, CO 80202",
        "1600 Pennsylvania Avenue NW, Washington, DC 20500",
        "123 Main St Ste 400, Boston, MA 02110",
        "350 5th Ave, New York, NY 10118",
        "PO Box 1234, Springfield, IL 62704",
        "P.O. Box 77\nAustin, TX 78701",
        "USNS Brown\nFPO AE 09876",
        "PSC 1234, Box 5678\nAPO AA 34021",
        "Flat 4B, 27 Kings Road, London SW3 4NB",
        "7 Acacia Close, Reading RG1 1AA",
        "Flat 12\nSmith rue\nNew Adam\nE2 8HZ",
        "14 Rose Mews, Bath BA1 2QT",
        "3 Hill Gardens, York YO1 7HH",
        "Studio 7, Morgan Crescent, Leeds LS1 4AP",
    ],
)
def test_english_addresses_are_found_whole(address: str) -> None:
    assert (address, "ADDRESS") in _found(f"Deliver to: {address}. Thanks")


@pytest.mark.parametrize(
    "text",
    [
        "We sold 3 Apple Keys today",
        "she ran 2 Big Run races",
        "Chapter 12 Green Light",
        "the 5 Point Plan",
        "room 101 is on the left",
    ],
)
def test_everyday_suffix_words_are_not_addresses(text: str) -> None:
    assert "ADDRESS" not in _kinds(text)


def test_address_states_and_postcodes_are_checked() -> None:
    assert ("10 Main Street, Springfield", "ADDRESS") in _found("10 Main Street, Springfield XQ 12345")
    found = _found("10 Baker Street, London QA1 1CC")  # Q never starts, C never ends a Royal Mail postcode
    assert ("10 Baker Street, London", "ADDRESS") in found


@pytest.mark.parametrize(
    "text",
    [
        "4490 Jennifer Estate Apt. 512\nNorth Jamesport, CA 90210",
        "12 Smith Ferry, Port Kevin, TX 77001",
        "77 Miller Turnpike, Riverside, CA 92501",
    ],
)
def test_street_and_town_names_are_not_people(text: str) -> None:
    assert "PERSON" not in _kinds(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("please contact ashley harris about it", "ashley harris"),
        ("Dear ashley harris,", "ashley harris"),
        ("Registered: Davis, James", "Davis, James"),
        ("DAVIS, James paid", "DAVIS, James"),
        ("Signed: JOHN SMITH", "JOHN SMITH"),
        ("report by S. Thomas", "S. Thomas"),
        ("Mary Collins's report", "Mary Collins"),
        ('{"name": "Regina Clark", "id": 7}', "Regina Clark"),
        ("INSERT INTO staff (name) VALUES ('Regina Clark')", "Regina Clark"),
        ("Cheers, Regina Clark", "Regina Clark"),
        ("John Michael Smith joined", "John Michael Smith"),
        ("John Q. Smith joined", "John Q. Smith"),
    ],
)
def test_english_name_forms(text: str, name: str) -> None:
    assert (name, "PERSON") in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Virginia Beach is nice in June",
        "Georgia Tech won the game",
        "READ THE MANUAL FIRST",
        "Hello, World",
        "Paris, France",
        "send it to new york office",
        "thanks for the update",
        "contact support team today",
        "The Marine Corps band",
    ],
)
def test_common_words_are_not_names(text: str) -> None:
    assert "PERSON" not in _kinds(text), _found(text)


def test_lower_case_names_in_a_name_column() -> None:
    assert _found("ashley harris", column_name="full_name") == [("ashley harris", "PERSON")]
    assert _found("ashley harris") == []


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Call 617.403.3499 today", "617.403.3499"),
        ("UK mobile +447911123456", "+447911123456"),
        ("BY: +375291234567", "+375291234567"),
        ("ES +34612345678", "+34612345678"),
        ("Tél: +33 1 45 36 41 43", "+33 1 45 36 41 43"),
        ("call 1-617-403-3499", "1-617-403-3499"),
        ("| Ann Lee | +1 617 403 3499 |", "+1 617 403 3499"),
        ("| Ann Lee | 617.403.3499 |", "617.403.3499"),
        ("+44 20 7946 0958 12 items", "+44 20 7946 0958"),
    ],
)
def test_phone_forms(text: str, phone: str) -> None:
    assert (phone, "PHONE") in _found(text)


@pytest.mark.parametrize(
    "text",
    ["version 1.2.3.4", "firmware 26.29.17.1738", "Прошивка 26.29.17.1738", "release 10.20.30.4000", "v 26.29.17"],
)
def test_versions_are_never_phones(text: str) -> None:
    assert "PHONE" not in _kinds(text)


def test_dotted_numbers_need_the_nanp_layout() -> None:
    assert "PHONE" not in _kinds("code 26.29.17.1738 ok")
    assert "PHONE" in _kinds("tel 26.29.17.1738")  # a phone word still makes it a candidate


@pytest.mark.parametrize("text", ["We shipped 2 Nike Air Max today", "Order the Nike Air Max now"])
def test_three_capitalised_words_need_a_surname_at_one_end(text: str) -> None:
    assert "PERSON" not in _kinds(text)


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Мой номер 9161234567", "9161234567"),  # not an organisation's INN: "мой номер" is a phone word
        ("you can reach me on 07700 900123 after 6pm", "07700 900123"),
        (
            "Подскажите, где мой заказ? Ирина, +7 (800) 100-20-30",
            "+7 (800) 100-20-30",
        ),  # order word in another sentence
        ("перезвоните на 8 (916) 700-80-90", "8 (916) 700-80-90"),
    ],
)
def test_phone_words_and_sentence_bounded_negatives(text: str, phone: str) -> None:
    assert (phone, "PHONE") in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Код товара 8 901 234 56 78 9",
        "Part number 512-44-78321-A",
        "Subnet mask 255.255.255.0",
        "заказ 8 916 123 45 67",
    ],
)
def test_pieces_of_longer_codes_and_netmasks_are_not_personal_data(text: str) -> None:
    assert not [kind for _, kind in _found(text) if kind in ("PHONE", "IP_ADDRESS")]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Оператор Мария: уточните, пожалуйста, ваш email", "Мария"),
        ("Agent Tom: could you confirm the phone number?", "Tom"),  # "agent" announces a person
        ("Issued: 15 Jan 2020, expires: 15 Jan 2030", None),
        ("Получатель: Шмидт Анна", "Шмидт Анна"),  # mid-sentence: an unknown surname stays
    ],
)
def test_a_sentence_first_word_is_not_a_surname_and_months_are_not_names(text: str, name: str | None) -> None:
    people = [value for value, kind in _found(text) if kind == "PERSON"]
    assert people == ([name] if name else [])


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("hey its mike, text me", "mike"),
        ("thanks david, i'll call you back", "david"),
        ("ok so its john smith", "john smith"),
        ("Name: Mary-Jane O'Neil, Tel: none", "Mary-Jane O'Neil"),
        ("Jean-Luc Picard will chair the meeting.", "Jean-Luc Picard"),
        ("account holder Sophie de Vries", "Sophie de Vries"),
        ("a recording of Ludwig van Beethoven", "Ludwig van Beethoven"),
        ("signed by Abdul al-Rahman", "Abdul al-Rahman"),
        ("Approved by: R. K. Narayan", "R. K. Narayan"),
        ("a novel by J.R.R. Tolkien", "J.R.R. Tolkien"),
        ("Cardholder: MICHAEL J ANDERSON", "MICHAEL J ANDERSON"),
        ("Review by Jennifer L. - great service!", "Jennifer L."),
        ("Patient YVETTE HUNTER, date of birth unknown", "YVETTE HUNTER"),  # capitals with a person word
    ],
)
def test_lowercase_hyphenated_particle_initial_and_capital_names(text: str, name: str) -> None:
    assert (name, "PERSON") in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "The Lincoln Memorial is in Washington.",
        "Rose and Lily are flowers in the garden.",
        "Jordan and Chad are countries.",
        "U.S. Steel shares fell",
        "Flights to Rio de Janeiro",
        "hi all, thanks again",
        "TOTAL AMOUNT DUE",
    ],
)
def test_english_name_look_alikes_stay_unflagged(text: str) -> None:
    assert not [value for value, kind in _found(text) if kind == "PERSON"]
