"""Russian postal-address vocabulary and RE2 patterns, as data (this module is a data table).

Sources: the Почта России addressing rules (Приказ Минкомсвязи № 221 and ГОСТ Р 6.30-2003: street, house,
building, flat, settlement, district, region, postcode; or the international order, postcode first), and
the ФИАС/ГАР abbreviation list of address-object types ("ул", "пр-кт", "ш", "б-р", "наб", "мкр", "кв-л",
"г", "пгт", "рп", "ст-ца", "р-н", "г.о.", "обл", "Респ", "АО", "д", "корп", "стр", "лит", "кв", "пом"),
written with or without dots, before or after the name ("обл Свердловская"), in any letter case, and
the declined street words people write in sentences ("на улице Ленина, дом 5").

An address is a chain of components joined by commas, spaces or line breaks around a *core*: a street
with a house number, a village with a house number ("д. Горютино, д. 5"), a Zelenograd building
("Зеленоград, корп. 1106") or a PO box with its town. Region, district, settlement, city, country and
postcode may come before or after the core; building, flat, entrance and floor after it.
"""

from __future__ import annotations

__all__ = ["RU_ADDRESS_PATTERNS", "RU_CITIES", "UNIT_STEMS", "UNIT_WORDS"]


def _alt(*parts: str) -> str:
    return "(?:" + "|".join(parts) + ")"


def _words(table: str) -> list[str]:
    return table.split()


# Cities written without "г." in addresses: federal cities, regional centres and the larger towns.
RU_CITIES = _words("""
Москва Санкт-Петербург С.-Петербург СПб Севастополь Зеленоград Новосибирск Екатеринбург Казань Нижний-Новгород
Челябинск Красноярск Самара Уфа Ростов-на-Дону Омск Краснодар Воронеж Пермь Волгоград Саратов Тюмень Тольятти
Ижевск Барнаул Ульяновск Иркутск Хабаровск Махачкала Ярославль Владивосток Оренбург Томск Кемерово Новокузнецк
Рязань Набережные-Челны Астрахань Киров Пенза Балашиха Липецк Чебоксары Калининград Тула Ставрополь Курск Улан-Удэ
Сочи Тверь Магнитогорск Иваново Брянск Белгород Сургут Владимир Чита Архангельск Нижний-Тагил Калуга Симферополь
Смоленск Волжский Якутск Саранск Череповец Курган Вологда Орёл Орел Подольск Грозный Владикавказ Тамбов Мурманск
Петрозаводск Нижневартовск Кострома Стерлитамак Новороссийск Йошкар-Ола Химки Таганрог Комсомольск-на-Амуре
Сыктывкар Нальчик Шахты Дзержинск Нижнекамск Братск Орск Энгельс Ангарск Благовещенск Королёв Королев
Великий-Новгород Старый-Оскол Мытищи Псков Люберцы Бийск Южно-Сахалинск Армавир Балаково Прокопьевск Рыбинск
Абакан Северодвинск Норильск Петропавловск-Камчатский Уссурийск Сызрань Волгодонск Каменск-Уральский Новочеркасск
Златоуст Электросталь Альметьевск Салават Миасс Керчь Копейск Пятигорск Находка Хасавюрт Рубцовск Березники
Коломна Майкоп Одинцово Ковров Красногорск Нефтекамск Кисловодск Серпухов Новочебоксарск Нефтеюганск Дербент
Черкесск Батайск Новомосковск Назрань Обнинск Новый-Уренгой Ноябрьск Ессентуки Евпатория Октябрьский Анадырь
Салехард Ханты-Мансийск Нарьян-Мар Биробиджан Магадан Горно-Алтайск Кызыл Элиста Ялта Феодосия Пушкин Колпино
Петергоф Кронштадт Сестрорецк Гатчина Выборг Всеволожск Реутов Долгопрудный Пушкино Щёлково Щелково Раменское
""")
# Words after a number that make it a quantity, not a house: "ул. Ленина 5 минут", "улица широкая, 5 домов".
# Short units match whole; the stems match any ending ("человека", "машин", "рублей").
UNIT_WORDS = frozenset(_words("лет год раз мин ч сек км м м2 м² га сот чел шт руб р коп тыс млн млрд % экз стр кв.м"))
UNIT_STEMS = tuple(
    _words("""
года году раза минут час секунд метр километр соток человек машин автомоб рубл доллар евро процент штук дома домов
этажей подъездов квартир серии серия сезон мест выход остановк звезд звёзд балл градус гектар дней недел месяц
шаг детей жител гостей вагон страниц
""")
)

_CITY = "(?i:" + "|".join(c.replace(".", r"\.").replace("-", "[ -]") for c in sorted(RU_CITIES, key=len)[::-1]) + ")"

# Name words. A capitalised word (any case after it: "ТВЕРСКАЯ", "Тверская-Ямская"), an initial or a short
# title with a dot ("Л.Толстого", "Ак. Королёва"), an ordinal ("1-я", "3-й"); lower-case joining words only
# between them ("наб. реки Фонтанки", "ул. им. Дзержинского", "проезд Завода Серп и Молот").
_CAP = r"[А-ЯЁ][А-Яа-яЁё\-'’]*"
_ABBR = r"(?:[А-ЯЁ][а-яё]{0,4}\. ?){1,2}" + _CAP
_ORD = r"[0-9]{1,3}-?(?:я|й|ая|ый|ий|ой|го|е|ое)"
_WORD = _alt(_ABBR, _CAP, _ORD)
_JOIN = r"(?:реки|канала|протоки|им\.|имени|им|и|на|де|ла|фон|ван|дер) "
_NUM_PRE = r"[0-9]{1,3} (?:лет )?"  # "ул. 8 Марта", "ул. 50 лет Октября"
_NAME = "(?:" + _JOIN + ")?(?:" + _NUM_PRE + ")?" + _WORD + "(?: (?:" + _JOIN + ")?" + _WORD + "){0,3}"
_LOW = r"[а-яё][а-яё\-]{2,}"
_NAME_LOW = _LOW + "(?: " + _LOW + ")?"
_ADJ = r"[А-ЯЁ][А-Яа-яЁё\-]*(?:ая|яя|ий|ый|ой|ое|ее)"
# Before the type only adjectives, then one word: "Большая Никитская ул.", "Большой Козихинский пер.".
_NAME_BEFORE = "(?:" + _ORD + " )?(?:" + _ADJ + " ){0,2}" + _CAP + "|" + _ORD

_DOTTED = r"(?:\. ?| )"  # "ул. Ленина", "ул.Ленина", FIAS "ул Ленина"
_STREET_ABBR = "(?:ул|пр-т|пр-кт|просп|пер|ш|б-р|бул|наб|пл|мкр|мкрн|пр-д|алл|ал|туп|лин|тер)"
_STREET_FULL = (
    "(?:улица|улице|проспект|проспекте|переулок|переулке|шоссе|бульвар|бульваре|набережная|набережной|площадь"
    "|площади|микрорайон|микрорайоне|проезд|проезде|аллея|аллее|тупик|тупике|линия|линии|тракт|дорога|территория"
    "|спуск|просек|квартал|магистраль)"
)
_STREET_PRE = _alt(_STREET_ABBR + _DOTTED, r"пр\. ?", r"кв-л ", _STREET_FULL + " ")
_STREET_POST = (
    r"(?i:ул\.?|улица|пр-т|пр-кт|пр\.|просп\.?|проспект|пер\.?|переулок|ш\.?|шоссе|б-р|бульвар|наб\.?|набережная"
    r"|пл\.?|площадь|проезд|пр-д|аллея|алл?\.|тупик|туп\.?|линия|лин\.|тракт|мкр\.?|микрорайон|кв-л|квартал)"
    r"(?: В\. ?О\.?)?"
)
_STREET = _alt(
    "(?i:" + _STREET_PRE + ")" + _NAME,
    _STREET_PRE + _NAME_LOW,  # lower-case name only after a lower-case type: "ул тверская", not "Проспект эмиссии"
    "(?:" + _NAME_BEFORE + ") " + _STREET_POST,
    r"(?i:мкр\.?|мкрн\.?|микрорайон|кв-л|квартал) ?[0-9]{1,3}[а-я]?",
)

_HOUSE_TAIL = r"(?:/[0-9]{1,4})?(?:[кКсС][0-9]{1,3}|-?[а-яА-Яa-zA-Z](?:/[0-9]{1,3})?)?(?:-[0-9]{1,4}(?:/[0-9]{1,4})?)?"
_HOUSE_MARK = r"(?i:д\.?|дом|вл\.|влд\.?|владение|зд\.|здание|уч\.|участок) ?(?:№ ?)?"
_HOUSE_MARKED = _HOUSE_MARK + "[0-9]{1,4}" + _HOUSE_TAIL
_HOUSE = _alt(_HOUSE_MARKED, "[0-9]{1,3}" + _HOUSE_TAIL)  # a bare number: at most 3 digits ("ул. Мира, 2021")

_SETTLEMENT_TYPE = (
    r"(?i:г\. ?|г |город |гор\. ?|пос\. ?|п\. ?|посёлок |поселок |пгт\.? ?|рп\.? ?|р\.п\. ?|с\. ?|село |д\. ?|д "
    r"|дер\. ?|деревня |ст-ца |станица |х\. ?|хут\. ?|хутор |аул |сл\. ?|слобода |снт |днт |тер\. ?|ж/р |жилой район "
    r"|мкр\.? ?|микрорайон |ст\. ?|станция |клх |колхоз |свх |совхоз )"
)
# A region in brackets may follow the name: "г. Троицк (Челябинская обл.)", "г. Кропоткин (Краснод.)".
_SETTLEMENT = (
    _SETTLEMENT_TYPE + _alt(_CAP + "(?: " + _CAP + "){0,2}", _LOW) + r"(?: \([А-ЯЁ][А-Яа-яЁё\-]*\.?(?: [а-яё]+\.?)?\))?"
)
_REGION_POST = (
    r"(?:(?i:обл\.?|область|край|автономный округ|автономная область|респ\.?|республика|р-н|район|у\.|улус|г\.о\."
    r"|городской округ|м\.о\.|муниципальный округ|м\.р-н|муниципальный район|с/с|сельсовет|с\.п\.|сельское поселение"
    r"|г\.п\.|городское поселение)|АО)"
)
_REGION_PRE = r"(?i:обл\.? ?|респ\.? ?|республика |край |р-н |район |г\.о\. ?|м\.о\. ?)"
_REGION_TAIL = r"(?: \([А-ЯЁ][А-Яа-яЁё]+\))?(?: ?- ?(?:Югра|Кузбасс|Чувашия|Якутия|Алания|Адыгея))?"
_REGION = (
    _alt(
        _alt(_CAP, r"[а-яё][А-Яа-яЁё\-]*(?:ая|ий|ой|ый)") + " " + _REGION_POST,
        _REGION_PRE + _CAP + "(?: " + _CAP + ")?",
    )
    + _REGION_TAIL
)
_COUNTRY = "(?:Россия|Российская Федерация|РФ)"
_INDEX = "[0-9]{6}"
# "к" and "с" alone only glued or with a dot ("к1", "с. 2"): "д. 5 с 10 до 18" holds no building "с 10".
_BUILDING = (
    r"(?i:корп\.? ?|корпус ?|к\. ?|к|стр\.? ?|строение ?|с\. ?|с|соор\.? ?|сооружение ?|блок ?)[0-9]{1,4}[а-яА-Я]?"
    r"(?:/[0-9]{1,3})?"
)
_LETTER = r"(?i:лит\.?|литера|литер) ?[А-ЯЁ]"
_FLAT = r"(?i:кв\.?|квартира|кварт\.|оф\.?|офис|пом\.?|помещение|комн\.?|комната|ком\.|каб\.?|кабинет) ?(?:№ ?)?" + (
    r"(?:[0-9]{1,4}[а-яА-Я]?(?:-?[НнH])?|[IVX]{1,4})"
)
_EXTRA = r"(?i:подъезд|под\.|этаж|эт\.) ?[0-9]{1,2}|[0-9]{1,2}(?:-?й)? (?i:подъезд|этаж)"

_SEP = r"(?:[ \t]*[,\n][ \t]*\n?[ \t]*|[ \t]+)"
_BEFORE = _alt(_INDEX, _COUNTRY, _REGION, _SETTLEMENT, _CITY)
_AFTER = _alt(_BUILDING, _LETTER, _FLAT, _EXTRA, _INDEX, _COUNTRY, _REGION, _SETTLEMENT, _CITY)
_TOWN = _alt(_SETTLEMENT, _CITY, _INDEX)
_CORE = _alt(
    _STREET + ",? ?" + _HOUSE,
    _SETTLEMENT + _SEP + _HOUSE_MARKED,  # a village without streets: "д. Горютино, д. 5"
    r"(?:(?i:г\.? ?|город )?Зеленоград)" + _SEP + r"(?i:корп\.?|корпус|к\.?) ?[0-9]{3,4}",
    r"(?i:а/я|абонентский ящик) ?(?:№ ?)?[0-9]{1,6}" + _SEP + _TOWN,
)

# Transliterated addresses ("ul. Lenina, d. 5, kv. 10, Moscow"): the same chain in Latin letters.
_L_CAP = r"[A-Z][a-zA-Z\-']+"
_L_STREET_PRE = (
    r"(?i:ul\. ?|ul |ulitsa |ulica |pr-t |pr-kt |prosp\. ?|prospekt |pr\. ?|per\. ?|pereulok |sh\. ?|shosse "
    r"|bul\. ?|b-r |bulvar |nab\. ?|naberezhnaya |pl\. ?|ploshchad |proezd |mkr\.? ?|mikrorayon )"
)
_L_STREET_POST = r"(?i:ulitsa|ul\.|prospekt|prosp\.|pr\.|pr-t|pereulok|shosse|sh\.|bulvar|naberezhnaya|nab\.|proezd)"
_L_NAME = "(?:[0-9]{1,2}-?(?:ya|y|iy|aya) )?" + _L_CAP + "(?: " + _L_CAP + "){0,2}"
_L_STREET = _alt(_L_STREET_PRE + _L_NAME, "(?:" + _L_CAP + " )?" + _L_CAP + " " + _L_STREET_POST)
_L_HOUSE = r"(?:(?i:d\.|dom|house) ?[0-9]{1,4}|[0-9]{1,3})(?:/[0-9]{1,4})?[a-zA-Z]?(?:-[0-9]{1,4})?"
_L_CITY = (
    "(?:Moscow|Moskva|Saint[ -]Petersburg|St\\.? Petersburg|Sankt-Peterburg|Kazan|Novosibirsk|(?:Ye|E)katerinburg"
    "|Nizhny Novgorod|Samara|Omsk|Chelyabinsk|Rostov-on-Don|Rostov-na-Donu|Ufa|Krasnoyarsk|Perm|Voronezh"
    "|Volgograd|Krasnodar|Saratov|Tyumen|Tolyatti|Izhevsk|Barnaul|Irkutsk|Khabarovsk|Vladivostok|Yaroslavl|Tomsk"
    "|Orenburg|Kemerovo|Ryazan|Penza|Lipetsk|Tula|Kaliningrad|Sochi|Tver|Murmansk|Arkhangelsk|Sevastopol|Kursk"
    "|Kirov|Cheboksary|Makhachkala|Zelenograd)"
)
_L_TOWN = r"(?:(?i:g\. ?|gorod |pos\. ?|s\. ?|der\. ?|pgt )" + _L_CAP + "|" + _L_CITY + ")"
_L_REGION = (
    _L_CAP + r" (?i:oblast|obl\.|krai|kray|region|rayon|raion|district|r-n)|(?i:Respublika|Republic of) " + _L_CAP
)
_L_COUNTRY = "(?:Russia|Russian Federation|Rossiya|Rossiyskaya Federatsiya)"
_L_BEFORE = _alt(_INDEX, _L_COUNTRY, _L_REGION, _L_TOWN)
_L_AFTER = _alt(
    r"(?i:korp\.?|korpus|k\.|str\.|stroenie|bldg\.?|building) ?[0-9]{1,4}[a-zA-Z]?",
    r"(?i:kv\.?|kvartira|apt\.?|apartment|of\.|ofis|office) ?[0-9]{1,4}[a-zA-Z]?",
    _INDEX,
    _L_COUNTRY,
    _L_REGION,
    _L_TOWN,
)

RU_ADDRESS_PATTERNS: dict[str, str] = {
    # [before, ]* core [, after]*: one span from the postcode or region to the flat or the trailing postcode.
    # The first group is the character before the address (not a letter or digit): finditer never starts
    # inside a word, and the finder drops it from the span.
    "ADDRESS_RU": r"(?:^|[^А-Яа-яЁёA-Za-z0-9])((?:" + _BEFORE + _SEP + ")*" + _CORE + "(?:" + _SEP + _AFTER + ")*)",
    "ADDRESS_RU_LATIN": r"(?:^|[^A-Za-z0-9])((?:"
    + _L_BEFORE
    + _SEP
    + ")*"
    + _L_STREET
    + ",? ?"
    + _L_HOUSE
    + "(?:"
    + _SEP
    + _L_AFTER
    + ")*)",
}
