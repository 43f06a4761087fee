"""Russian classes: addresses, names, dates of birth; positives and look-alikes."""

from __future__ import annotations

from datetime import date

import pytest
from tests.detectors.data.ru_addresses import HELD_OUT_NEGATIVES, HELD_OUT_POSITIVES, NEGATIVES, POSITIVES

from mlwarden.detectors.detector_set import DetectorSet
from mlwarden.detectors.pii.dates import parse_date
from mlwarden.detectors.pii.names import first_name

DETECTORS = DetectorSet.default()


def _found(text: str, **kwargs: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.kind) for m in DETECTORS.detect(text, **kwargs)]


def _kinds(text: str) -> set[str]:
    return {kind for _, kind in _found(text)}


@pytest.mark.parametrize(
    "address",
    [
        "Россия, Чукотский АО, г. Анадырь, ул. Ленина, д. 54а, кв. 3",
        "Московская обл., г. Химки, пр-т Мира, дом 52к3",
        "Респ. Татарстан, г. Казань, пер. Энергетический, 165-287",
        "г. Сургут, наб. Южная, д. 1/9, 628400",
        "Краснодарский край, ст-ца Динская, ш. Советское, д. 5, корп. 1",
        "ул. Л.Толстого, д. 7, стр. 2",
        "б-р Победы, д. 12",
        "пл. Ленина, д. 1",
        "мкр. Северный, д. 14, кв. 88",
        "123456, Новосибирская область, с. Каменка, ул. Молодёжная, д. 3",
        "г. Москва, Тверская ул., д. 7, кв. 12",
        "Республика Саха, г. Якутск, пр-т Ленина, д. 10",
    ],
)
def test_russian_addresses_are_found_whole(address: str) -> None:
    assert (address, "ADDRESS") in _found(f"Адрес: {address}. Спасибо")


@pytest.mark.parametrize(
    "text",
    ["ул. Ленина без номера дома", "Московская обл. большая", "д. 5 и кв. 3", "улица широкая, 5 домов"],
)
def test_russian_address_look_alikes(text: str) -> None:
    assert "ADDRESS" not in _kinds(text)


@pytest.mark.parametrize(("text", "address"), POSITIVES + HELD_OUT_POSITIVES)
def test_russian_address_list_is_found(text: str, address: str) -> None:
    """Every form on the list, as one span with at least half of the address (the benchmark's rule)."""
    start = text.index(address)
    spans = [(m.start, m.end) for m in DETECTORS.detect(text) if m.kind == "ADDRESS"]
    assert any(min(end, start + len(address)) - max(begin, start) >= len(address) / 2 for begin, end in spans), spans


@pytest.mark.parametrize(("text", "address"), POSITIVES)
def test_russian_address_list_is_found_whole(text: str, address: str) -> None:
    assert (address, "ADDRESS") in _found(text)


@pytest.mark.parametrize("text", NEGATIVES + HELD_OUT_NEGATIVES)
def test_russian_address_list_look_alikes(text: str) -> None:
    assert "ADDRESS" not in _kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "до ул. Ленина 5 минут пешком",
        "на улице Ленина 3 человека ждали автобус",
        "площадь квартиры 54 кв. м",
        "квартал 3, 2022 г.",
        "The full report, pr. Main 45, was sent",
    ],
)
def test_a_number_with_a_unit_or_in_a_year_is_not_a_house(text: str) -> None:
    assert "ADDRESS" not in _kinds(text)


def test_house_letter_is_not_taken_from_the_next_word() -> None:
    text = "ул. Ленина, д. 5 Иван"
    assert ("ул. Ленина, д. 5", "ADDRESS") in _found(text)


def test_street_named_after_a_person_is_not_a_person() -> None:
    assert "PERSON" not in _kinds("ул. Л.Толстого, д. 7")
    assert "PERSON" not in _kinds("встреча на ул. Л.Толстого у входа")
    assert "PERSON" not in _kinds("проспект Мира, д. 5")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Капитон Зимин пришёл", "Капитон Зимин"),
        ("Нестеров Гаврила подписал", "Нестеров Гаврила"),
        ("Евлампий Сидоров", "Евлампий Сидоров"),
        ("ИВАНОВ ИВАН ИВАНОВИЧ", "ИВАНОВ ИВАН ИВАНОВИЧ"),
        ("Иванов, Пётр", "Иванов, Пётр"),
        ("Агафья Лыкова", "Агафья Лыкова"),
    ],
)
def test_russian_name_forms(text: str, name: str) -> None:
    assert (name, "PERSON") in _found(text)


@pytest.mark.parametrize("text", ["Вера и Надежда", "Москва Сити", "ГОСТ Р 7.0.97", "Лев Толстой и Роза"])
def test_russian_everyday_words_are_not_full_names(text: str) -> None:
    assert ("Москва Сити", "PERSON") not in _found(text)
    assert ("Вера и Надежда", "PERSON") not in _found(text)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Иванов И.И. (12.04.1972 г. р.)", "12.04.1972"),
        ("Иванов И.И., 12.04.1972г.р.", "12.04.1972"),
        ("Иванов И.И., 12.04.1972 г.р.", "12.04.1972"),
        ("дата рождения 03.04.1985", "03.04.1985"),
        ("Дата рождения: 1985-04-03", "1985-04-03"),
        ("родился 12 марта 1985 года", "12 марта 1985"),
        ("ФИО;Дата рождения;Телефон\nИванов Иван;03.04.1985;+7 916 123-45-67", "03.04.1985"),
    ],
)
def test_russian_dates_of_birth(text: str, date: str) -> None:
    assert (date, "DATE_OF_BIRTH") in _found(text)


@pytest.mark.parametrize(
    ("text", "birth", "other"),
    [
        ("Петров, 12.04.1972г.р., принят на работу с 25/09/2018", "12.04.1972", "25/09/2018"),
        ("Дата рождения: 03.04.1985, полис выдан 20.09.2024", "03.04.1985", "20.09.2024"),
        ("born 01/02/1980, hired 03/04/2010", "01/02/1980", "03/04/2010"),
    ],
)
def test_only_the_nearest_date_is_the_birth_date(text: str, birth: str, other: str) -> None:
    found = _found(text)
    assert (birth, "DATE_OF_BIRTH") in found
    assert (other, "DATE_OF_BIRTH") not in found


@pytest.mark.parametrize("text", ["usage 12.03.2020 page", "stubborn 12.03.2020", "срок до 12.03.2020"])
def test_dates_without_a_birth_word_are_not_births(text: str) -> None:
    assert "DATE_OF_BIRTH" not in _kinds(text)


def test_birth_column_needs_no_word_and_signup_column_is_not_birth() -> None:
    assert _found("1990-03-12", column_name="дата_рождения") == [("1990-03-12", "DATE_OF_BIRTH")]
    assert _found("12.03.1990", column_name="dob") == [("12.03.1990", "DATE_OF_BIRTH")]
    assert _found("12.03.1990 birth", column_name="signup_at") == []


@pytest.mark.parametrize(
    ("word", "is_name"),
    [
        ("Данные", False),  # not "Дана" with three letters cut
        ("Версия", False),  # not "Вера"
        ("Германией", False),  # not "Герман"
        ("Ромашка", False),  # not "Рома"
        ("Ивану", True),
        ("Натальи", True),
        ("Сергеем", True),
        ("Ильёй", True),
        ("Марией", True),
        ("Льва", True),
    ],
)
def test_only_real_case_endings_make_a_first_name(word: str, is_name: bool) -> None:
    assert first_name(word) is is_name


@pytest.mark.parametrize(
    "text",
    ["Версия 4.12.3, сборка 20240512", "Победа над Германией была одержана в 1945 году.", "Данные сотрудника: нет"],
)
def test_everyday_words_are_not_names(text: str) -> None:
    assert "PERSON" not in _kinds(text)


@pytest.mark.parametrize(
    ("text", "birth"),
    [
        ("д.р. 03/03/85", "03/03/85"),
        ("родился 12.03.85", "12.03.85"),
        ("Дата рождения — 3 мар. 1985 г.", "3 мар. 1985"),
        ("родилась 5-го мая 1991 года", "5-го мая 1991"),
        ("дата рождения: 7 сент 1990", "7 сент 1990"),
        ("DOB: 07-22-1983", "07-22-1983"),  # month first: 22 cannot be a month
        ("Date of birth: 3rd of March, 1985", "3rd of March, 1985"),
    ],
)
def test_more_birth_date_formats(text: str, birth: str) -> None:
    assert (birth, "DATE_OF_BIRTH") in _found(text)


@pytest.mark.parametrize("text", ["версия 01.02.15, born 1985", "dob 12.03-85", "version 03.10.12 dob", "д.р. 3.10.12"])
def test_two_digit_years_need_a_clean_date(text: str) -> None:
    assert "DATE_OF_BIRTH" not in _kinds(text)


def test_two_digit_birth_years_are_in_the_last_century() -> None:
    assert parse_date("03/03/85") == date(1985, 3, 3)
    assert parse_date("03/03/07") == date(2007, 3, 3)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("клиент иванов иван просит вернуть деньги", "иванов иван"),
        ("это саша, перезвоню", "саша"),
        ("Фамилия,Имя,Отчество\nСоловьёв,Глеб,Аркадьевич", "Соловьёв,Глеб,Аркадьевич"),
        ("Встреча с Ивановым в понедельник", "Ивановым"),
        ("Курьер: Хасанов Бахтиёр", "Хасанов Бахтиёр"),
        ("Ким Ен Су, гражданин Республики Корея", "Ким Ен Су"),
        ("Пациентка Комарова, 1962 г. р.", "Комарова"),
        ("Отзыв оставил Артур Г., покупка подтверждена", "Артур Г."),
        ("Исполнитель: Гаджиев Магомед", "Гаджиев Магомед"),
        ("Заявитель: Нурсултанова Айгерим", "Нурсултанова Айгерим"),
        ("Отдел продаж, Беридзе Нино", "Беридзе Нино"),
        ("ЗАЯВИТЕЛЬ: ПЕТРОВА АННА СЕРГЕЕВНА", "ПЕТРОВА АННА СЕРГЕЕВНА"),
        ("Контакт: Ширяев Натан, +7 915 881 02 90", "Ширяев Натан"),  # a rare given name beside a surname
    ],
)
def test_russian_and_cis_names_in_chat_forms_and_cells(text: str, name: str) -> None:
    assert (name, "PERSON") in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ок, понял, спасибо",
        "это роман о войне",
        "Завод в Королёве закрыли",
        "Поставщик «Иванов и партнёры» не отвечает",
        "Волков бояться — в лес не ходить",
        "Рейс в Улан-Удэ задерживается",
        "Поля формы обязательны",
        "Тема: отчёт за май",
        "Контакт: Ростов Великий",
        "Пользователь Админ Системы",
    ],
)
def test_russian_name_look_alikes_stay_unflagged(text: str) -> None:
    assert not [value for value, kind in _found(text) if kind == "PERSON"]
