# ruff: noqa: E501
"""A blind, hand-written EN/RU personal-data dev set: texts written the way people write them.

Written before looking at what the detectors miss, from how personal data appears in support chats,
forms, HR and medical records, bank details, exports, signatures, logs and JSON/CSV. Each record is
a text and its gold spans ``(kind, exact substring)`` (the first occurrence of the substring). Kinds
are the detector's: a company's INN/OGRN/KPP is ``ORG_ID``; things with no kind here (bank account
numbers, BIK, driver's licences, car plates, foreign passports) are simply not gold.
``NEGATIVES`` are hard look-alikes that hold no personal data at all.

Numbers with a checksum are valid (real texts mostly carry valid numbers); names and places are
invented or common. Used by ``tests/detectors/pii_devset_report.py`` and a regression test.
"""

from __future__ import annotations

Span = tuple[str, str]
Record = tuple[str, tuple[Span, ...]]

P = "PERSON"
PH = "PHONE"
EM = "EMAIL"
DOB = "DATE_OF_BIRTH"
ADDR = "ADDRESS"
PASS = "RU_PASSPORT"
INN = "RU_INN"
SNILS = "RU_SNILS"
ORG = "ORG_ID"
CARD = "CREDIT_CARD"
IBAN = "IBAN"
SSN = "US_SSN"
IP = "IP_ADDRESS"

RU: list[Record] = [
    # Support chats.
    ("меня зовут Анна, мой номер 8 916 123 45 67", ((P, "Анна"), (PH, "8 916 123 45 67"))),
    (
        "Здравствуйте! Это Сергей Кузнецов, перезвоните мне на +7 (903) 555-12-34",
        ((P, "Сергей Кузнецов"), (PH, "+7 (903) 555-12-34")),
    ),
    ("мой телефон 89261234567, спросить Ольгу", ((PH, "89261234567"), (P, "Ольгу"))),
    ("Добрый день, пишу по поводу доставки. Номер для связи: +79057773311", ((PH, "+79057773311"),)),
    ("Оператор Мария: уточните, пожалуйста, ваш email", ((P, "Мария"),)),
    ("почта для чеков: olga.smirnova85@mail.ru", ((EM, "olga.smirnova85@mail.ru"),)),
    ("звоните на 8-985-120-44-07 после 18:00", ((PH, "8-985-120-44-07"),)),
    ("тел. 8 (495) 123-45-67 доб. 215", ((PH, "8 (495) 123-45-67"),)),
    ("Можно связаться со мной в телеге или по номеру 8 999 010 20 30", ((PH, "8 999 010 20 30"),)),
    (
        "Это снова Дмитрий, номер заказа прежний, телефон поменялся: 8 (916) 700-80-90",
        ((P, "Дмитрий"), (PH, "8 (916) 700-80-90")),
    ),
    (
        "я Екатерина Волкова, пишите на katya_volkova@yandex.ru",
        ((P, "Екатерина Волкова"), (EM, "katya_volkova@yandex.ru")),
    ),
    ("клиент иванов иван просит вернуть деньги на карту", ((P, "иванов иван"),)),
    ("Передайте Петру Сергеевичу, что я перезвоню", ((P, "Петру Сергеевичу"),)),
    (
        "С уважением, Алексей Николаевич Смирнов, тел. +7 912 345-67-89",
        ((P, "Алексей Николаевич Смирнов"), (PH, "+7 912 345-67-89")),
    ),
    ("WhatsApp: +7 921 000 11 22 (Наталья)", ((PH, "+7 921 000 11 22"), (P, "Наталья"))),
    # Forms and letters.
    (
        "ФИО: Иванов Иван Иванович\nДата рождения: 12.03.1985\nТелефон: +7 916 123-45-67",
        ((P, "Иванов Иван Иванович"), (DOB, "12.03.1985"), (PH, "+7 916 123-45-67")),
    ),
    (
        "Иванову Ивану Ивановичу, проживающему по адресу: г. Москва, ул. Тверская, д. 7, кв. 12",
        ((P, "Иванову Ивану Ивановичу"), (ADDR, "г. Москва, ул. Тверская, д. 7, кв. 12")),
    ),
    ("Заявитель: Сидорова Мария Петровна, 1990 г.р.", ((P, "Сидорова Мария Петровна"),)),
    ("От Козлова А. В. — заявление об отпуске", ((P, "Козлова А. В."),)),
    ("Уважаемая Елена Викторовна! Ваша заявка принята.", ((P, "Елена Викторовна"),)),
    ("Кому: И. И. Иванову\nОт: П. С. Соколова", ((P, "И. И. Иванову"), (P, "П. С. Соколова"))),
    ("ИВАНОВ ИВАН ИВАНОВИЧ, 01.01.1970 г.р.", ((P, "ИВАНОВ ИВАН ИВАНОВИЧ"), (DOB, "01.01.1970"))),
    (
        "Получатель: Морозов Денис, 190000, г. Санкт-Петербург, Невский пр., д. 28, кв. 5",
        ((P, "Морозов Денис"), (ADDR, "190000, г. Санкт-Петербург, Невский пр., д. 28, кв. 5")),
    ),
    ("Прошу выдать справку на имя Лебедевой Натальи Сергеевны.", ((P, "Лебедевой Натальи Сергеевны"),)),
    (
        "Я, Новиков Андрей Павлович, паспорт 45 10 123456, выдан ОВД Тверского р-на г. Москвы 12.05.2010",
        ((P, "Новиков Андрей Павлович"), (PASS, "45 10 123456")),
    ),
    (
        "Адрес регистрации: 420111, Республика Татарстан, г. Казань, ул. Баумана, д. 15, кв. 3",
        ((ADDR, "420111, Республика Татарстан, г. Казань, ул. Баумана, д. 15, кв. 3"),),
    ),
    ("Доставьте по адресу Екатеринбург, ул. Малышева 51, кв 40", ((ADDR, "Екатеринбург, ул. Малышева 51, кв 40"),)),
    (
        "адрес: Московская обл., г. Подольск, ул. Ленина, д. 3, корп. 2, кв. 17",
        ((ADDR, "Московская обл., г. Подольск, ул. Ленина, д. 3, корп. 2, кв. 17"),),
    ),
    ("Проживает: Новосибирск, Красный проспект, 25-14", ((ADDR, "Новосибирск, Красный проспект, 25-14"),)),
    # HR records.
    (
        "Петров П.П., д.р. 12.03.1985, паспорт 45 10 123456 выдан ОУФМС",
        ((P, "Петров П.П."), (DOB, "12.03.1985"), (PASS, "45 10 123456")),
    ),
    (
        "Сотрудник: Кузнецова Ольга Игоревна; дата рождения 3 марта 1985 г.; СНИЛС 112-233-445 95",
        ((P, "Кузнецова Ольга Игоревна"), (DOB, "3 марта 1985"), (SNILS, "112-233-445 95")),
    ),
    (
        "Васильев Игорь Олегович родился 14 июля 1979 года в г. Омске",
        ((P, "Васильев Игорь Олегович"), (DOB, "14 июля 1979")),
    ),
    (
        "Приказ №145-к: принять Федорову Анну Михайловну на должность бухгалтера с 01.09.2023",
        ((P, "Федорову Анну Михайловну"),),
    ),
    ("ИНН физлица: 778211673420", ((INN, "778211673420"),)),
    (
        "Паспорт серия 4512 номер 654321, выдан 10.10.2012 ГУ МВД России по г. Москве, код подразделения 770-001",
        ((PASS, "4512 номер 654321"),),
    ),
    ("паспорт: 4508 №123987", ((PASS, "4508 №123987"),)),
    (
        "Данные сотрудника: Соколов Максим, д.р. 03/03/85, тел 8 903 111 22 33",
        ((P, "Соколов Максим"), (DOB, "03/03/85"), (PH, "8 903 111 22 33")),
    ),
    ("Дата рожд.: 05.11.1992", ((DOB, "05.11.1992"),)),
    ("Попова Дарья Андреевна (1988-07-21 г.р.)", ((P, "Попова Дарья Андреевна"), (DOB, "1988-07-21"))),
    (
        "Сведения о работнике: Михайлов Роман, ИНН 770521487740, СНИЛС 503-870-994 97",
        ((P, "Михайлов Роман"), (INN, "770521487740"), (SNILS, "503-870-994 97")),
    ),
    ("СНИЛС: 62776241314", ((SNILS, "62776241314"),)),
    ("Водительское удостоверение 99 99 123456 выдано на имя Орлова Виктора", ((P, "Орлова Виктора"),)),
    ("Кандидат: Зайцев Кирилл, 27 лет, г. Воронеж, +7-951-234-56-78", ((P, "Зайцев Кирилл"), (PH, "+7-951-234-56-78"))),
    (
        "Резюме. Павлова Светлана. Дата рождения: 22 декабря 1990 г. Email: s.pavlova@gmail.com",
        ((P, "Павлова Светлана"), (DOB, "22 декабря 1990"), (EM, "s.pavlova@gmail.com")),
    ),
    ("родилась 1 января 2000 г.", ((DOB, "1 января 2000"),)),
    ("Семенов С.С. (табельный № 00482) уволен по собственному желанию", ((P, "Семенов С.С."),)),
    # Medical and insurance.
    (
        "Пациент: Голубева Татьяна Ивановна, 15.08.1956 г.р., полис ОМС 7755 4410 2233 0011",
        ((P, "Голубева Татьяна Ивановна"), (DOB, "15.08.1956")),
    ),
    ("СНИЛС 118-870-232 69, полис 5012345678901234", ((SNILS, "118-870-232 69"),)),
    ("Больной Виноградов А.С., 64 года, поступил с жалобами на боль в груди", ((P, "Виноградов А.С."),)),
    (
        "Медкарта №12/2024. ФИО пациента: Белова Ирина. Д.р.: 30.04.1975. Тел.: 8-916-555-01-02",
        ((P, "Белова Ирина"), (DOB, "30.04.1975"), (PH, "8-916-555-01-02")),
    ),
    ("страховой номер (СНИЛС) 063-761-072 44", ((SNILS, "063-761-072 44"),)),
    ("Лечащий врач: Тихонов Борис Ефимович", ((P, "Тихонов Борис Ефимович"),)),
    ("Пациентка Комарова, 1962 г. р., направлена на МРТ", ((P, "Комарова"),)),
    (
        "Застрахованное лицо: Егоров Павел Ильич, СНИЛС 408-181-301 51",
        ((P, "Егоров Павел Ильич"), (SNILS, "408-181-301 51")),
    ),
    # Bank.
    ("р/с 40817810099910004312, БИК 044525225, ИНН 7707083893", ((ORG, "7707083893"),)),
    (
        "Получатель: ПАО Сбербанк, ИНН 7707083893, КПП 773601001, ОГРН 1027700132195",
        ((ORG, "7707083893"), (ORG, "773601001"), (ORG, "1027700132195")),
    ),
    ("Номер карты: 4276 3413 0530 4112, держатель IVAN PETROV", ((CARD, "4276 3413 0530 4112"), (P, "IVAN PETROV"))),
    ("переведите на карту 2202700145997935 (Сбер, Мария Ш.)", ((CARD, "2202700145997935"), (P, "Мария Ш."))),
    ("Карта МИР 2202 0242 7562 5913, срок 09/27", ((CARD, "2202 0242 7562 5913"),)),
    ("ООО «Ромашка», ИНН 7784268465, КПП 778401001", ((ORG, "7784268465"), (ORG, "778401001"))),
    (
        "ИП Кузьмин Олег Викторович, ИНН 771385516180, ОГРНИП 304758404715941",
        ((P, "Кузьмин Олег Викторович"), (INN, "771385516180"), (ORG, "304758404715941")),
    ),
    ('Реквизиты: ООО "Вектор" ОГРН 1027778321042 ИНН 7790786666', ((ORG, "1027778321042"), (ORG, "7790786666"))),
    ("Платёж от Смирнова Е. А. по номеру телефона +7 916 222-33-44", ((P, "Смирнова Е. А."), (PH, "+7 916 222-33-44"))),
    ("Выписка: карта *4112, владелец Алексей С.", ((P, "Алексей С."),)),
    (
        "Счёт IBAN DE89 3704 0044 0532 0130 00 (Германия), получатель Шмидт Анна",
        ((IBAN, "DE89 3704 0044 0532 0130 00"), (P, "Шмидт Анна")),
    ),
    ("ИНН/КПП 7721547280/772101001", ((ORG, "7721547280"), (ORG, "772101001"))),
    (
        "Клиент: Григорьев Н.Н., карта 5469 8532 2055 4641, телефон 89167778899",
        ((P, "Григорьев Н.Н."), (CARD, "5469 8532 2055 4641"), (PH, "89167778899")),
    ),
    # E-commerce exports and CSV/JSON.
    (
        "id;фио;телефон;email\n1;Абрамов Олег;+79031234567;abramov@list.ru",
        ((P, "Абрамов Олег"), (PH, "+79031234567"), (EM, "abramov@list.ru")),
    ),
    (
        '{"фио": "Кравченко Ирина Васильевна", "телефон": "+7 (925) 111-22-33", "дата_рождения": "1991-02-14"}',
        ((P, "Кравченко Ирина Васильевна"), (PH, "+7 (925) 111-22-33"), (DOB, "1991-02-14")),
    ),
    (
        '{"name": "Ефимов Артём", "inn": "773587956109", "snils": "586-211-065 88"}',
        ((P, "Ефимов Артём"), (INN, "773587956109"), (SNILS, "586-211-065 88")),
    ),
    (
        "Заказ № 458812 от 12.04.2024. Покупатель: Романова Юлия, тел. 8 917 456-78-90, доставка: г. Самара, ул. Молодогвардейская, д. 204, кв. 8",
        ((P, "Романова Юлия"), (PH, "8 917 456-78-90"), (ADDR, "г. Самара, ул. Молодогвардейская, д. 204, кв. 8")),
    ),
    (
        "Фамилия,Имя,Отчество,Дата рождения\nСоловьёв,Глеб,Аркадьевич,07.07.1977",
        ((P, "Соловьёв,Глеб,Аркадьевич"), (DOB, "07.07.1977")),
    ),
    ("ФИО\tТелефон\nЖукова Вера\t+7 999 888 77 66", ((P, "Жукова Вера"), (PH, "+7 999 888 77 66"))),
    (
        "Получатель: Филиппов Илья Сергеевич | тел.: 8 (812) 345-67-89 | ПВЗ: СПб, ул. Садовая, 12",
        ((P, "Филиппов Илья Сергеевич"), (PH, "8 (812) 345-67-89")),
    ),
    # E-mail signatures and letters.
    (
        "--\nС уважением,\nНиколай Степанов\nменеджер отдела продаж\nтел.: +7 (495) 987-65-43\nn.stepanov@romashka.ru",
        ((P, "Николай Степанов"), (PH, "+7 (495) 987-65-43"), (EM, "n.stepanov@romashka.ru")),
    ),
    (
        "Спасибо!\nАнастасия Королёва\nHR-менеджер\nмоб. 8 926 000-12-12",
        ((P, "Анастасия Королёва"), (PH, "8 926 000-12-12")),
    ),
    ("Коллеги, добрый день! Пересылаю письмо от Виктора Петровича Гусева.", ((P, "Виктора Петровича Гусева"),)),
    ("Копия: Марина Ковалева <m.kovaleva@company.ru>", ((P, "Марина Ковалева"), (EM, "m.kovaleva@company.ru"))),
    # Logs.
    (
        "2024-05-12 10:22:31 INFO вход пользователя ivanov.ii@corp.ru с IP 192.168.10.45",
        ((EM, "ivanov.ii@corp.ru"), (IP, "192.168.10.45")),
    ),
    ("[ERROR] не удалось отправить СМС на +79161112233: таймаут", ((PH, "+79161112233"),)),
    ("Заблокирован вход с адреса 85.143.22.17 для учётной записи petrova", ((IP, "85.143.22.17"),)),
    # Names in varied forms.
    ("Встреча с Ивановым назначена на понедельник; Иван Иванович подтвердил", ((P, "Ивановым"), (P, "Иван Иванович"))),
    ("Ответственный — А.С. Пушкин", ((P, "А.С. Пушкин"),)),
    ("Отчёт подготовила Е.В. Морозова", ((P, "Е.В. Морозова"),)),
    (
        "Договор подписан генеральным директором Сергеем Владимировичем Орловым",
        ((P, "Сергеем Владимировичем Орловым"),),
    ),
    ("спасибо, Ксения! всё получила", ((P, "Ксения"),)),
    ("Звонила Людмила Петровна из бухгалтерии", ((P, "Людмила Петровна"),)),
    ("ФИО: ПЕТРОВА АННА СЕРГЕЕВНА", ((P, "ПЕТРОВА АННА СЕРГЕЕВНА"),)),
    ("Сдал: Кириллов Д.А. Принял: Осипова Т.Н.", ((P, "Кириллов Д.А."), (P, "Осипова Т.Н."))),
    ("Хочу поблагодарить доктора Ахмедова Рустама Маратовича", ((P, "Ахмедова Рустама Маратовича"),)),
    ("Вопрос от пользователя Тимур Хабибуллин: как сменить пароль?", ((P, "Тимур Хабибуллин"),)),
    ("Ким Ен Су, гражданин Республики Корея", ((P, "Ким Ен Су"),)),
    ("Дорогая Галина Степановна, поздравляем с юбилеем!", ((P, "Галина Степановна"),)),
    # Dates of birth, Russian formats.
    ("д.р. 03/03/85", ((DOB, "03/03/85"),)),
    ("г.р. 1985", ()),
    ("дата рождения: 1985-03-03", ((DOB, "1985-03-03"),)),
    ("Дата рождения — 3 мар. 1985 г.", ((DOB, "3 мар. 1985"),)),
    ("Родился 12.03.1985 г. в Москве", ((DOB, "12.03.1985"),)),
    ("ДР 14.02.1996, место рождения г. Тула", ((DOB, "14.02.1996"),)),
    ("Дата и место рождения: 09.09.1969, г. Кострома", ((DOB, "09.09.1969"),)),
    ("родилась 5-го мая 1991 года", ((DOB, "5-го мая 1991"),)),
    ("день рождения 25.12.1988", ((DOB, "25.12.1988"),)),
    ("Иванов И.И., 12.03.1985 г.р.", ((P, "Иванов И.И."), (DOB, "12.03.1985"))),
    # Phones, more Russian shapes.
    ("телефон: +7 916 1234567", ((PH, "+7 916 1234567"),)),
    ("тел.: 8(916)1234567", ((PH, "8(916)1234567"),)),
    ("Контактный телефон 8 800 200 02 00 (бесплатно)", ((PH, "8 800 200 02 00"),)),
    ("моб.: 7 916 123 45 67", ((PH, "7 916 123 45 67"),)),
    ("тел/факс (4722) 33-44-55", ((PH, "(4722) 33-44-55"),)),
    ("номер +7-917-555-44-33, спросить Ивана", ((PH, "+7-917-555-44-33"), (P, "Ивана"))),
    ("звоните 8.916.123.45.67", ((PH, "8.916.123.45.67"),)),
    ("Мой номер 9161234567", ((PH, "9161234567"),)),
    # Passports and other ids.
    ("Паспорт РФ: 4510 123456", ((PASS, "4510 123456"),)),
    ("серия 46 05 № 789012", ((PASS, "46 05 № 789012"),)),
    ("паспорт гражданина РФ 4003 555666 выдан 12.01.2004", ((PASS, "4003 555666"),)),
    ("паспортные данные: 4514 010203", ((PASS, "4514 010203"),)),
    ("ИНН 500100732259", ((INN, "500100732259"),)),
    ("Мой ИНН — 660599564052, СНИЛС — 124-218-811 62", ((INN, "660599564052"), (SNILS, "124-218-811 62"))),
    ("СНИЛС 034-020-865 38", ((SNILS, "034-020-865 38"),)),
    ("snils: 122-926-443 49", ((SNILS, "122-926-443 49"),)),
    ("Загранпаспорт 75 1234567, действителен до 2030", ()),
    # Addresses in prose.
    (
        "Я живу в Москве на улице Профсоюзной, дом 100, квартира 25",
        ((ADDR, "улице Профсоюзной, дом 100, квартира 25"),),
    ),
    (
        "Адрес доставки: 603000, Нижний Новгород, ул. Большая Покровская, д. 10, кв. 4",
        ((ADDR, "603000, Нижний Новгород, ул. Большая Покровская, д. 10, кв. 4"),),
    ),
    (
        "Прописан: Ростовская обл., г. Таганрог, пер. Тургеневский, д. 9",
        ((ADDR, "Ростовская обл., г. Таганрог, пер. Тургеневский, д. 9"),),
    ),
    (
        "Привезите на Ленинский проспект, 45, подъезд 3, кв. 117",
        ((ADDR, "Ленинский проспект, 45, подъезд 3, кв. 117"),),
    ),
    ("Адрес: СПб, наб. реки Фонтанки, д. 90, кв. 6", ((ADDR, "СПб, наб. реки Фонтанки, д. 90, кв. 6"),)),
    # Messenger and marketplace chats, reviews.
    ("Светлана, добрый вечер! Курьер будет у вас к 19:00", ((P, "Светлана"),)),
    ("Отзыв оставил Артур Г., покупка подтверждена", ((P, "Артур Г."),)),
    (
        "напишите мне в вотсап 8 912 000 00 11 или на почту dima1999@bk.ru",
        ((PH, "8 912 000 00 11"), (EM, "dima1999@bk.ru")),
    ),
    (
        "Подскажите, пожалуйста, где мой заказ? Ирина Ивановна, +7 (800) 100-20-30",
        ((P, "Ирина Ивановна"), (PH, "+7 (800) 100-20-30")),
    ),
    (
        "Заявка от: Лысенко Олеся Николаевна, 8-911-222-33-44, olesya.lysenko@inbox.ru",
        ((P, "Лысенко Олеся Николаевна"), (PH, "8-911-222-33-44"), (EM, "olesya.lysenko@inbox.ru")),
    ),
    (
        "Ребёнок: Соколова Алиса, дата рождения 14.06.2015, законный представитель Соколов Игорь",
        ((P, "Соколова Алиса"), (DOB, "14.06.2015"), (P, "Соколов Игорь")),
    ),
    (
        "Арендатор — гр. Тарасов Евгений Олегович, паспорт 4609 112233",
        ((P, "Тарасов Евгений Олегович"), (PASS, "4609 112233")),
    ),
    ("Мой IP 95.165.12.200, не могу зайти в личный кабинет", ((IP, "95.165.12.200"),)),
    ("Алло, Вадим? Это Рита, перезвони", ((P, "Вадим"), (P, "Рита"))),
    ("Курьер: Хасанов Бахтиёр, тел. +998 90 123 45 67", ((P, "Хасанов Бахтиёр"), (PH, "+998 90 123 45 67"))),
    ("Бронирование на имя БЕЛОУСОВА НАТАЛЬЯ, 2 взрослых", ((P, "БЕЛОУСОВА НАТАЛЬЯ"),)),
    (
        "Свидетельство о рождении: Макаров Лев Денисович, родился 30.11.2019",
        ((P, "Макаров Лев Денисович"), (DOB, "30.11.2019")),
    ),
    ("ИНН 7701419314 (ООО «Север»), директор Богданов К.Л.", ((ORG, "7701419314"), (P, "Богданов К.Л."))),
    ("тел. моб.: +7 912 6543210, e-mail: a.fomin@mail.ru", ((PH, "+7 912 6543210"), (EM, "a.fomin@mail.ru"))),
]

EN: list[Record] = [
    # Support chats.
    ("call me at (415) 555-0132 ext. 12", ((PH, "(415) 555-0132"),)),
    ("Hi, this is Sarah Johnson, my number is 212-555-0187", ((P, "Sarah Johnson"), (PH, "212-555-0187"))),
    ("you can reach me on 07700 900123 after 6pm", ((PH, "07700 900123"),)),
    ("my email is jdoe1984@gmail.com, thanks", ((EM, "jdoe1984@gmail.com"),)),
    ("hey its mike, text me at 617.555.0199", ((P, "mike"), (PH, "617.555.0199"))),
    ("Agent Tom: Could you confirm the phone number on the account?", ((P, "Tom"),)),
    (
        "Customer: Emily Clark\nPhone: +1 (646) 555-0143\nEmail: emily.clark@outlook.com",
        ((P, "Emily Clark"), (PH, "+1 (646) 555-0143"), (EM, "emily.clark@outlook.com")),
    ),
    ("I'm calling on behalf of my mother, Margaret O'Brien.", ((P, "Margaret O'Brien"),)),
    ("please update my number to +44 7700 900456", ((PH, "+44 7700 900456"),)),
    ("thanks david, i'll call you back at 555-0175", ((P, "david"), (PH, "555-0175"))),
    ("Name: Mary-Jane O'Neil, Tel: +1 202 555 0164", ((P, "Mary-Jane O'Neil"), (PH, "+1 202 555 0164"))),
    ("My wife Jennifer will pick up the order.", ((P, "Jennifer"),)),
    ("ok so its john smith, j-o-h-n", ((P, "john smith"),)),
    ("contact: Ahmed Khan, WhatsApp +971 50 123 4567", ((P, "Ahmed Khan"), (PH, "+971 50 123 4567"))),
    ("Please call Dr. John Smith Jr. at 555-867-5309", ((P, "John Smith Jr."), (PH, "555-867-5309"))),
    # Forms and letters.
    ("Dear Mr. Thompson,\nThank you for your application.", ((P, "Thompson"),)),
    (
        "Full name: Robert James Wilson\nDate of birth: 04/15/1978\nSSN: 512-44-7832",
        ((P, "Robert James Wilson"), (DOB, "04/15/1978"), (SSN, "512-44-7832")),
    ),
    (
        "Applicant: Linda Martinez, DOB 1985-03-03, 742 Evergreen Terrace, Springfield, IL 62704",
        ((P, "Linda Martinez"), (DOB, "1985-03-03"), (ADDR, "742 Evergreen Terrace, Springfield, IL 62704")),
    ),
    ("Sincerely,\nPatricia Anne Brown", ((P, "Patricia Anne Brown"),)),
    (
        "Ship to: Kevin Lee, 1600 Amphitheatre Parkway, Mountain View, CA 94043",
        ((P, "Kevin Lee"), (ADDR, "1600 Amphitheatre Parkway, Mountain View, CA 94043")),
    ),
    ("Mailing address: 221B Baker Street, London NW1 6XE", ((ADDR, "221B Baker Street, London NW1 6XE"),)),
    (
        "Please send the documents to Ms. Karen White at 350 Fifth Avenue, New York, NY 10118.",
        ((P, "Karen White"), (ADDR, "350 Fifth Avenue, New York, NY 10118")),
    ),
    ("Emergency contact: Daniel Garcia (brother), 310-555-0122", ((P, "Daniel Garcia"), (PH, "310-555-0122"))),
    ("Patient name: WILLIAMS, JESSICA  DOB: 11/02/1990", ((P, "WILLIAMS, JESSICA"), (DOB, "11/02/1990"))),
    ("I, Christopher Davis, born 3rd March 1985, hereby declare", ((P, "Christopher Davis"), (DOB, "3rd March 1985"))),
    ("To whom it may concern: Ms Olivia Taylor has worked with us since 2019.", ((P, "Olivia Taylor"),)),
    ("Address: 10 Downing Street, London SW1A 2AA", ((ADDR, "10 Downing Street, London SW1A 2AA"),)),
    (
        "Home address: 4821 Oak Ridge Dr, Apt 3B, Austin, TX 78731",
        ((ADDR, "4821 Oak Ridge Dr, Apt 3B, Austin, TX 78731"),),
    ),
    # HR records.
    (
        "Employee: Anthony Moore | DOB: 07-22-1983 | SSN: 301-62-9945 | Phone: (503) 555-0110",
        ((P, "Anthony Moore"), (DOB, "07-22-1983"), (SSN, "301-62-9945"), (PH, "(503) 555-0110")),
    ),
    ("New hire: Jessica Nguyen, start date 2024-02-01, born 1995-06-30", ((P, "Jessica Nguyen"), (DOB, "1995-06-30"))),
    ("Social Security Number: 455 19 3306", ((SSN, "455 19 3306"),)),
    ("SSN 455-19-3306 on file", ((SSN, "455-19-3306"),)),
    ("ssn:512447832", ((SSN, "512447832"),)),
    ("Manager: Brian O'Connor; Reports to: Susan McAllister", ((P, "Brian O'Connor"), (P, "Susan McAllister"))),
    ("Termination letter for Mr. Gregory Hall, effective 31 March 2024", ((P, "Gregory Hall"),)),
    ("Date of Birth: March 3, 1985", ((DOB, "March 3, 1985"),)),
    ("D.O.B. 3/3/1985", ((DOB, "3/3/1985"),)),
    ("born on 12 Feb 1979 in Leeds", ((DOB, "12 Feb 1979"),)),
    ("birthday: 1992/08/14", ((DOB, "1992/08/14"),)),
    ("DOB 19850303", ()),
    ("Age 39 (DOB 14.07.1985)", ((DOB, "14.07.1985"),)),
    ("He was born in 1985.", ()),
    ("b. 22 June 1961, d. 2019", ((DOB, "22 June 1961"),)),
    ("Date of birth: 3rd of March, 1985", ((DOB, "3rd of March, 1985"),)),
    # Medical and insurance.
    ("Pt: Harold Green, 67M, DOB 02/14/1957, MRN 00456789", ((P, "Harold Green"), (DOB, "02/14/1957"))),
    ("Referred by Dr. Priya Patel, cardiology", ((P, "Priya Patel"),)),
    ("Insured: Nancy Adams; Policy no. HX-4421-009; DOB: Jan 5, 1970", ((P, "Nancy Adams"), (DOB, "Jan 5, 1970"))),
    ("Seen by Dr. Chen today; patient Laura Scott reports improvement.", ((P, "Chen"), (P, "Laura Scott"))),
    ("Next of kin: Paul Walker, tel 020 7946 0958", ((P, "Paul Walker"), (PH, "020 7946 0958"))),
    # Bank.
    ("Card number: 4111 3262 1340 5084 exp 09/26", ((CARD, "4111 3262 1340 5084"),)),
    ("Please charge my Visa 4276-2328-4893-9151", ((CARD, "4276-2328-4893-9151"),)),
    ("Amex 3718 677475 26997, CVV on file", ((CARD, "3718 677475 26997"),)),
    ("card: 5469297268470106", ((CARD, "5469297268470106"),)),
    ("IBAN: GB29 NWBK 6016 1331 9268 19", ((IBAN, "GB29 NWBK 6016 1331 9268 19"),)),
    (
        "Pay to NL91ABNA0417164300, account holder Sophie de Vries",
        ((IBAN, "NL91ABNA0417164300"), (P, "Sophie de Vries")),
    ),
    (
        "Beneficiary: Marco Rossi, IBAN IT60 X054 2811 1010 0000 0123 456",
        ((P, "Marco Rossi"), (IBAN, "IT60 X054 2811 1010 0000 0123 456")),
    ),
    ("Refund to FR14 2004 1010 0505 0001 3M02 606 please", ((IBAN, "FR14 2004 1010 0505 0001 3M02 606"),)),
    (
        "Account: ES9121000418450200051332 (Carlos Fernández)",
        ((IBAN, "ES9121000418450200051332"), (P, "Carlos Fernández")),
    ),
    ("Cardholder: MICHAEL J ANDERSON", ((P, "MICHAEL J ANDERSON"),)),
    # E-commerce exports, JSON, CSV.
    (
        '{"customer": {"first_name": "Ashley", "last_name": "Harris", "email": "ashley.harris@yahoo.com", "phone": "+1-415-555-0198"}}',
        ((P, "Ashley"), (P, "Harris"), (EM, "ashley.harris@yahoo.com"), (PH, "+1-415-555-0198")),
    ),
    (
        "order_id,name,email,phone\n100234,James Walker,jwalker@example.com,(312) 555-0147",
        ((P, "James Walker"), (EM, "jwalker@example.com"), (PH, "(312) 555-0147")),
    ),
    (
        "name,dob,ssn\nJoseph King,1980-12-01,455-19-3306",
        ((P, "Joseph King"), (DOB, "1980-12-01"), (SSN, "455-19-3306")),
    ),
    (
        '{"user": "melissa.young", "email": "melissa.young@protonmail.com", "last_ip": "203.0.113.54"}',
        ((EM, "melissa.young@protonmail.com"), (IP, "203.0.113.54")),
    ),
    (
        "Order #A-100492 placed by Steven Wright (steven.wright@icloud.com)",
        ((P, "Steven Wright"), (EM, "steven.wright@icloud.com")),
    ),
    (
        "billing_address: 500 Market St Apt 12, San Francisco, CA 94105",
        ((ADDR, "500 Market St Apt 12, San Francisco, CA 94105"),),
    ),
    (
        "first_name\tlast_name\tphone\nRachel\tGreen\t+1 917 555 0133",
        ((P, "Rachel"), (P, "Green"), (PH, "+1 917 555 0133")),
    ),
    # E-mail signatures.
    (
        "Best regards,\nDavid Miller\nSenior Account Manager\nAcme Corp\nM: +1 (408) 555-0176\ndavid.miller@acme.com",
        ((P, "David Miller"), (PH, "+1 (408) 555-0176"), (EM, "david.miller@acme.com")),
    ),
    (
        "Cheers,\nTom\n--\nTom Baker | Head of Ops | +44 (0)20 7946 0011",
        ((P, "Tom Baker"), (PH, "+44 (0)20 7946 0011")),
    ),
    ("Kind regards, Hannah Schmidt\nTel. +49 30 12345678", ((P, "Hannah Schmidt"), (PH, "+49 30 12345678"))),
    ("Thanks,\nLuis\nSent from my iPhone", ((P, "Luis"),)),
    (
        "From: Rebecca Turner <rturner@lawfirm.com>\nTo: Mark Evans <mark.evans@client.org>",
        ((P, "Rebecca Turner"), (EM, "rturner@lawfirm.com"), (P, "Mark Evans"), (EM, "mark.evans@client.org")),
    ),
    # Logs.
    (
        "2024-03-01T12:00:03Z login ok user=alice.wong@corp.example.com ip=10.0.4.17",
        ((EM, "alice.wong@corp.example.com"), (IP, "10.0.4.17")),
    ),
    ('127.0.0.1 - - [10/Oct/2023:13:55:36 +0000] "GET /index.html HTTP/1.1" 200 2326', ((IP, "127.0.0.1"),)),
    ("Failed password for root from 198.51.100.23 port 22 ssh2", ((IP, "198.51.100.23"),)),
    ("client 2001:db8:85a3::8a2e:370:7334 connected", ((IP, "2001:db8:85a3::8a2e:370:7334"),)),
    ("WARN mailer: bounce for bob.k@example.org (550 user unknown)", ((EM, "bob.k@example.org"),)),
    ("X-Forwarded-For: 203.0.113.195, 70.41.3.18", ((IP, "203.0.113.195"), (IP, "70.41.3.18"))),
    # Phones in many formats.
    ("Phone: +14155550132", ((PH, "+14155550132"),)),
    ("tel: 415-555-0132", ((PH, "415-555-0132"),)),
    ("Call 1-800-555-0199 for support", ((PH, "1-800-555-0199"),)),
    ("mobile +44 (0) 7911 123456", ((PH, "+44 (0) 7911 123456"),)),
    ("Tel: 030 12345678", ((PH, "030 12345678"),)),
    ("Telefon: +49 (0)89 1234 5678", ((PH, "+49 (0)89 1234 5678"),)),
    ("phone 06 12 34 56 78", ((PH, "06 12 34 56 78"),)),
    ("+33 1 45 36 41 43", ((PH, "+33 1 45 36 41 43"),)),
    ("Reach me: 202.555.0111", ((PH, "202.555.0111"),)),
    ("cell (917)555-0102", ((PH, "(917)555-0102"),)),
    # Names in varied forms.
    (
        "Meeting notes: attendees were Sarah Connor, Kyle Reese and J. Smith.",
        ((P, "Sarah Connor"), (P, "Kyle Reese"), (P, "J. Smith")),
    ),
    ("Approved by: R. K. Narayan", ((P, "R. K. Narayan"),)),
    ("SMITH, JOHN A.", ((P, "SMITH, JOHN A."),)),
    ("Jean-Luc Picard will chair the meeting.", ((P, "Jean-Luc Picard"),)),
    ("Mrs. Elizabeth Windsor-Jones", ((P, "Elizabeth Windsor-Jones"),)),
    ("Ask Ken or Barbara in accounting.", ((P, "Ken"), (P, "Barbara"))),
    ("Signed: Charles Xavier McDonald III", ((P, "Charles Xavier McDonald III"),)),
    ("Author: Nikolai Petrov (n.petrov@uni.edu)", ((P, "Nikolai Petrov"), (EM, "n.petrov@uni.edu"))),
    ("i talked to jessica brown yesterday about it", ((P, "jessica brown"),)),
    ("Photo by Maria Gonzalez", ((P, "Maria Gonzalez"),)),
    ("Prof. Alan Turing's notes", ((P, "Alan Turing"),)),
    # Chats, reviews, records.
    ("Review by Jennifer L. - great service!", ((P, "Jennifer L."),)),
    ("Hi Amanda, your appointment is confirmed for Tuesday.", ((P, "Amanda"),)),
    ("Text STOP to opt out. Questions? Call Megan at 347-555-0126.", ((P, "Megan"), (PH, "347-555-0126"))),
    ("Guest: Mr. and Mrs. Patel, room 1204, phone +1 (702) 555-0181", ((P, "Patel"), (PH, "+1 (702) 555-0181"))),
    ("Driver: Jamal Robinson, License #D1234567, DOB 08/09/1990", ((P, "Jamal Robinson"), (DOB, "08/09/1990"))),
    (
        "Tenant: Oksana Kovalenko, previous address 77 Elm Street, Boston, MA 02118",
        ((P, "Oksana Kovalenko"), (ADDR, "77 Elm Street, Boston, MA 02118")),
    ),
    ("My name is Wei Zhang and my email is wei.zhang88@qq.com", ((P, "Wei Zhang"), (EM, "wei.zhang88@qq.com"))),
    ("Student: Fatima Al-Sayed, born 2003-09-17, ID 20231145", ((P, "Fatima Al-Sayed"), (DOB, "2003-09-17"))),
    ("@here can someone ping Brandon Hughes about the deploy?", ((P, "Brandon Hughes"),)),
    (
        "Lead: Samantha Reed | samantha.reed@startup.io | +1 628 555 0190",
        ((P, "Samantha Reed"), (EM, "samantha.reed@startup.io"), (PH, "+1 628 555 0190")),
    ),
    ("Policyholder DOB: 12 Aug 1966; SSN ending 6789", ((DOB, "12 Aug 1966"),)),
    (
        "Account opened for Giovanni Bianchi, IBAN CH93 0076 2011 6238 5295 7",
        ((P, "Giovanni Bianchi"), (IBAN, "CH93 0076 2011 6238 5295 7")),
    ),
    (
        "Witness statement of Alan Cooper, 45 Victoria Road, Manchester M14 5RT",
        ((P, "Alan Cooper"), (ADDR, "45 Victoria Road, Manchester M14 5RT")),
    ),
    ("Visitor log: 09:14 Peter Novak (guest of Lisa Ray)", ((P, "Peter Novak"), (P, "Lisa Ray"))),
    ("Fwd: message from nicole.baker@gmail.com about the invoice", ((EM, "nicole.baker@gmail.com"),)),
    ("Please wire to DE44 5001 0517 5407 3249 31, ref. rent May", ((IBAN, "DE44 5001 0517 5407 3249 31"),)),
]

NEGATIVES: list[str] = [
    # Order, invoice, tracking and ticket numbers.
    "Order #4589201377 has shipped",
    "Заказ № 1234567890 передан в службу доставки",
    "Invoice INV-2024-000123, total $1,249.00",
    "Tracking number: 1Z999AA10123456784",
    "Трек-номер: RA123456789RU",
    "Ticket 88213409 closed by support",
    "Номер заявки 202405120034",
    "PO 4500012345 approved",
    "Накладная № 0000123456 от 12.04.2024",
    "Transaction id 7384920184756302",
    "Ваш заказ 89161234567 собран",
    "Booking reference: 4510 123456",
    "Confirmation code 5551234",
    "Артикул 4607001234567",
    "SKU 4006381333931",
    "Код товара 8 901 234 56 78 9",
    # Versions, builds, timestamps.
    "Upgraded to version 10.2.15.1234",
    "Build 2024.05.12.1045 passed",
    "Firmware 1.0.255.255 is available",
    "released v192.168.1.1 of the router tool",
    "timestamp=1715512345 level=info",
    "epoch 1700000000123",
    "2024-05-12 10:22:31,456 INFO started in 12.34s",
    "Версия 4.12.3, сборка 20240512",
    "commit 4f2a9c1e8b7d6054321fedcba9876543210abcde",
    "Python 3.11.4 (main, Jun  7 2023, 12:45:35)",
    "docker image sha256:9b2a5c1d4e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b",
    # Prices, amounts, math.
    "Итого к оплате: 12 345 678 руб.",
    "Revenue grew to $4,510,123,456 in 2023",
    "Price: 1 299 990 ₽",
    "The answer is 3.14159265358979",
    "Compute 1234 5678 + 9012 3456 = 10246 9134",
    "x = 415 * 555 - 132",
    "Population of Moscow: 13 010 112 people",
    "Площадь: 112,5 кв. м, цена 15 600 000 руб.",
    "Matrix [[12, 34], [56, 78]] has determinant -560",
    "avg latency 12.03 ms, p99 19.85 ms",
    # ISBNs, GUIDs, hashes, codes.
    "ISBN 978-5-389-07435-4",
    "ISBN 0-306-40615-2",
    "GUID 123e4567-e89b-12d3-a456-426614174000",
    "request_id=9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0",
    "md5: d41d8cd98f00b204e9800998ecf8427e",
    "ОКПО 12345678, ОКВЭД 62.01",
    "БИК 044525225",
    "к/с 30101810400000000225",
    "Код подразделения 770-001",
    "EAN-13: 4600123456789",
    "Error code 0x80070005",
    "License key: ABCD-1234-EFGH-5678",
    "Part number 512-44-78321-A",
    # Postal codes, cities, streets in prose, company names.
    "Индекс 101000",
    "ZIP 94105",
    "London is bigger than Paris.",
    "Москва — столица России.",
    "We walked along Baker Street in the rain.",
    "Улица Ленина есть почти в каждом городе.",
    "Apple Inc. and Microsoft Corporation reported earnings.",
    "ООО «Ромашка» объявляет о ребрендинге",
    "Газпром и Сбербанк выросли на торгах",
    "The Lincoln Memorial is in Washington.",
    "Tesla Model 3 and Ford Mustang Mach-E",
    "Washington Post, New York Times and Wall Street Journal",
    "Санкт-Петербург, Казань и Новосибирск вошли в рейтинг",
    "Victoria Station to King's Cross takes 20 minutes",
    "Красная площадь закрыта для посещения",
    "Oxford Street is the busiest shopping street in Europe",
    # Dates that are not birth dates.
    "Meeting on 12.03.2024 at 15:00",
    "Договор от 03.03.1985 расторгнут",
    "Срок действия карты до 09/27",
    "The company was founded on March 3, 1985.",
    "Акция действует с 1 по 31 марта 2024 года",
    "Payment due 2024-06-30",
    "Приказ от 12.03.2019 № 45-к",
    "Last login: Mon May 13 09:12:44 2024",
    "Issued: 15 Jan 2020, expires: 15 Jan 2030",
    "Дата выдачи: 12.05.2010",
    "Delivery date: 03/03/2025",
    "Happy birthday to our company: 25 years since 1999!",
    "The Berlin Wall fell on 9 November 1989.",
    "Report for the period 01.01.2023–31.12.2023",
    # Common words that look like names.
    "Will you send the report by Friday?",
    "Grace period ends in May.",
    "Rose and Lily are flowers in the garden.",
    "Вера и Надежда — хорошие слова.",
    "Люба, Роза и Лилия продаются в цветочном.",
    "Jordan and Chad are countries.",
    "Mark the box and Bill the customer later.",
    "Frank discussion about Sterling performance",
    "Победа над Германией была одержана в 1945 году.",
    "Поставщик «Иванов и партнёры» не отвечает",
    "Ford and Chrysler make trucks",
    "Saint Petersburg, Florida",
    "The Smith & Wesson Model 29",
    "Ivanov reaction in organic chemistry",
    "По закону Ома ток пропорционален напряжению.",
    "Hello World program in Python",
    "Dear Sir or Madam,",
    "Customer Service Team",
    "Привет, команда! Отчёт готов.",
    "Thank You For Your Order",
    # Numbers near personal-data words that are not personal data.
    "Phone model: iPhone 15 Pro, 256 GB",
    "Call center handled 12 345 calls in Q1",
    "Страница 4510 из 123456",
    "Passport Office opening hours: 9-17",
    "Паспорт объекта недвижимости",
    "IP rating IP67, version 2.0.1",
    "Email marketing campaign #1234567 sent",
    "Телефонный код Москвы 495",
    "Серия книг «Жизнь замечательных людей», том 12",
    "Card game: 21 points wins",
    "SNMP OID 1.3.6.1.2.1.1.5.0",
    "Subnet mask 255.255.255.0 and prefix /24",
    "Coordinates: 55.7558, 37.6173",
    "ratio 1:2:3:4:5:6:7",
    "Table 1234567890 rows scanned",
    "Room 221B",
    "Flight SU 1234 departs at 10:45",
    "Гостиница на 150 номеров, телефонная линия 24/7",
    "Loan amount 4 276 341 305 rubles",
    "Sequence: 1, 12, 123, 1234, 12345, 123456",
    "The 2022-2023 season ended 4-2",
    "Test case 415-555 failed",
    "Модель ноутбука ASUS X515EA-BQ1234",
    "Call stack depth 16384",
    "HTTP/1.1 404 Not Found",
    "Score 98.76 at step 123456",
    "Размер 1920x1080, 60 Гц",
]

POSITIVES: list[Record] = RU + EN
