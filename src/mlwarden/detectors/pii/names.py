"""PERSON (dictionary + name structure) and ADDRESS (Russian and English postal patterns).

Names have no checksum, so structure carries the confidence: a patronymic ("Иванович"), initials
("И. И. Иванов"), a known first name beside a surname ("John Smith", "Иванов Иван") or a title
("Mr. Smith", "г-н Петров"). A lone first name counts only when it is not an everyday word, and is
weak without a context word. Russian case endings are undone by stripping suffixes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

from mlwarden.detectors.base import Match
from mlwarden.detectors.pii.context import field_context, window
from mlwarden.detectors.pii.patterns import compiled

__all__ = [
    "ambiguous_first_name",
    "dictionary_surname",
    "find_persons",
    "first_name",
    "parts_confidence",
    "patronymic",
    "person_context",
    "ru_surname",
    "stopword",
]

_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "mister", "lady", "lord"})
_RU_TITLES = ("г-н ", "г-жа ", "господин ", "госпожа ", "гражданин ", "гражданка ", "тов. ", "товарищ ")
_CONTEXT = (
    "name", "имя", "фио", "ф.и.о", "зовут", "dear", "уважаем", "клиент", "пациент", "patient", "customer",
    "contact", "signed", "подпис", "from:", "to:", "кому", "автор", "author", "сотрудник", "employee",
    "заявител", "applicant", "holder", "владел", "получател", "recipient", "отправител", "sender",
    "курьер", "водител", "мастер", "оператор", "менеджер", "врач", "истец", "истца", "ответчик", "свидетел",
    "исполнител", "ответственн", "agent", "driver", "courier", "witness", "plaintiff", "defendant", "nurse",
    "контакт", "пользовател", "от:", "студент", "guardian", "caller", "student", "beneficiary",
)  # fmt: skip
_PATRONYMIC_ENDINGS = tuple(
    stem + ending
    for stem, endings in (
        ("ович", ("", "а", "у", "ем", "е")),
        ("евич", ("", "а", "у", "ем", "е")),
        ("ьич", ("", "а", "у", "ом", "е")),
        ("овн", ("а", "ы", "е", "у", "ой")),
        ("евн", ("а", "ы", "е", "у", "ой")),
        ("ичн", ("а", "ы", "е", "у", "ой")),
    )
    for ending in endings
)
_SURNAME_ENDINGS = tuple(
    [base + e for base in ("ов", "ев", "ёв", "ин", "ын") for e in ("", "а", "у", "ым", "е", "ой", "ых", "ыми")]
    + [base + e for base in ("ск", "цк") for e in ("ий", "ая", "ого", "ому", "им", "ом", "ой", "ую", "ие", "их")]
    + ["енко", "ук", "юк", "ых", "их", "швили", "дзе", "янц", "ян"]
    # Latin transliterations: Petrov, Ivanova, Kuznetsova, Kovalenko, Dostoevsky.
    + ["ov", "ova", "ev", "eva", "yov", "yova", "in", "ina", "sky", "skiy", "skii", "skaya", "enko", "vich"]
    + ["shvili", "dze", "yan"]
)
_RU_LEMMA_ADD = ("", "а", "я", "й", "ь", "ия", "ий")
# Case endings of Russian names and surnames (genitive, dative, accusative, instrumental, prepositional).
_RU_CASE_ENDINGS = (
    "а", "я", "у", "ю", "е", "и", "ы", "ом", "ем", "ой", "ей", "ёй", "ою", "ею", "ью", "ым", "им", "ых", "их",
)  # fmt: skip
_IRREGULAR = {"павл": "павел", "льв": "лев", "петр": "пётр"}
# Lowercase words between a first name and a surname ("Sophie de Vries", "Ludwig van Beethoven", "Abdul al-Rahman").
_PARTICLES = frozenset({
    " de ", " van ", " von ", " van der ", " van den ", " von der ", " de la ", " del ", " della ", " da ", " di ",
    " du ", " le ", " la ", " bin ", " ibn ", " al-", " el-", " al ", " ter ", " ten ", " dos ", " das ", " do ",
    " de los ", " y ", " zu ", " ben ",
})  # fmt: skip
_SURNAME_PREFIXES = ("O'", "O’", "Mc", "Mac", "D'", "D’")
# Initials that are abbreviations, not a person ("U.S. Steel", "D.C. Comics").
_ABBREVIATIONS = frozenset({"us", "uk", "eu", "un", "dc", "la", "ny", "nj", "usa", "uae", "рф", "ссср", "сша", "ес"})
# Cities named after people: a lone surname form of these is a place ("в Королёве", "из Кирова").
_TOWNS = frozenset({"киров", "королёв", "королев", "пушкин", "чехов", "лермонтов", "гагарин", "калинин", "жуковский",
                    "дзержинский", "ломоносов", "циолковский", "мичуринск"})  # fmt: skip
# Korean surnames of CIS Koreans ("Ким Ен Су", "Пак Ир Нам"): with two short syllables they are a full name.
_KOREAN = frozenset({"ким", "пак", "ли", "цой", "цхай", "тен", "хан", "шин", "кан", "югай", "огай", "тян", "хегай",
                     "лим", "нам", "чен", "пён", "сон", "юн", "ан", "о", "хон", "чой"})  # fmt: skip


def _load(name: str) -> frozenset[str]:
    text = files("mlwarden.detectors.pii").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    words = (w for line in text.splitlines() if not line.startswith("#") for w in line.split())
    return frozenset(w.lower() for w in words)


@dataclass(frozen=True, slots=True)
class _Dictionary:
    first: frozenset[str]
    ambiguous: frozenset[str]
    surnames: frozenset[str]
    stop: frozenset[str]


@cache
def _dictionary() -> _Dictionary:
    ru_surnames = _load("surnames_ru.txt")
    feminine = {s + "а" for s in ru_surnames if s.endswith(("ов", "ев", "ёв", "ин", "ын"))}
    return _Dictionary(
        first=_load("first_names_ru.txt") | _load("first_names_cis.txt") | _load("first_names_en.txt"),
        ambiguous=_load("ambiguous_first_names.txt"),
        surnames=_load("surnames_en.txt") | ru_surnames | feminine,
        stop=_load("stopwords_capitalised.txt"),
    )


def _lemmas(lowered: str) -> Iterator[str]:
    """The word and the nominatives it can be a case form of ("ивану" -> "иван", "марией" -> "мария").

    Only real case endings are undone, so "версия" is never "вера" nor "германией" "герман".
    """
    yield lowered
    for ending in _RU_CASE_ENDINGS:
        if not lowered.endswith(ending):
            continue
        stem = lowered[: -len(ending)]
        if len(stem) < 2:
            continue
        yield _IRREGULAR.get(stem, stem)
        for add in _RU_LEMMA_ADD[1:]:
            yield stem + add


@lru_cache(maxsize=1 << 16)
def first_name(word: str) -> bool:
    """A known first name, in any Russian case ("Ивану" is Иван)."""
    names = _dictionary().first
    if "-" in word:  # "Mary-Jane", "Анна-Мария", never "Улан-Удэ"
        return all(first_name(part) for part in word.split("-") if part)
    return any(lemma in names for lemma in _lemmas(word.lower()))


def patronymic(word: str) -> bool:
    """A Russian patronymic in any case ("Иванович", "Петровны")."""
    lowered = word.lower()
    return len(lowered) >= 6 and lowered.endswith(_PATRONYMIC_ENDINGS)


@lru_cache(maxsize=1 << 16)
def ru_surname(word: str) -> bool:
    """A surname by dictionary or by a Russian surname ending (only trusted next to other name parts)."""
    lowered = word.lower()
    if any(lemma in _dictionary().surnames for lemma in _lemmas(lowered)):
        return True
    if "-" in word:  # "Римский-Корсаков", "Murphy-Byrne"
        return any(ru_surname(part) for part in word.split("-") if len(part) > 1)
    if _prefixed_surname(word):
        return True
    return len(lowered) >= 5 and lowered.endswith(_SURNAME_ENDINGS)


def _prefixed_surname(word: str) -> bool:
    """ "O'Neil", "McDonald", "MacLeod", "D'Amato": a surname by its prefix."""
    for prefix in _SURNAME_PREFIXES:
        rest = word[len(prefix) :]
        if word.startswith(prefix) and len(rest) >= 2 and rest[0].isupper() and rest[1:].islower():
            return True
    return False


@lru_cache(maxsize=1 << 16)
def dictionary_surname(word: str) -> bool:
    """A surname from the bundled lists (any Russian case), not merely by its ending."""
    return any(lemma in _dictionary().surnames for lemma in _lemmas(word.lower()))


def ambiguous_first_name(word: str) -> bool:
    """A first name that is also an everyday word ("Will", "Grace", "Вера")."""
    return word.lower() in _dictionary().ambiguous


@lru_cache(maxsize=1 << 16)
def stopword(word: str) -> bool:
    """A capitalised word that is never part of a name ("Street", "Monday", "Thanks"; "Республики" in any case)."""
    lowered = word.lower()
    stop = _dictionary().stop
    if lowered in stop or lowered in _TITLES:
        return True
    if not ("а" <= lowered[-1:] <= "я") or first_name(word) or dictionary_surname(word):
        return False
    return any(lemma in stop for lemma in _lemmas(lowered))


def parts_confidence(words: list[str]) -> float:
    """How sure ``words`` ("John", "Q.", "Smith"), title-cased, are one person's name with no other evidence."""
    return _several([_Token(0, 0, w) for w in words], titled=False, context=False)


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    word: str
    after_particle: bool = False  # "Vries" in "Sophie de Vries"

    @property
    def initial(self) -> bool:
        return len(self.word) == 2 and self.word[1] == "."


def _tokens(text: str) -> Iterator[list[_Token]]:
    """Runs of capitalised words and initials separated by single spaces."""
    run: list[_Token] = []
    for m in compiled("NAME_TOKEN").finditer(text):
        start, end = m.span()
        if start > 0 and (text[start - 1].isalpha() or text[start - 1] in "_@"):
            continue
        word = m.group()
        if word.endswith(("'s", "’s")):  # possessive: "Collins's" is Collins
            word, end = word[:-2], end - 2
        token = _Token(start, end, word)
        if not token.initial and end < len(text) and (text[end].isalnum() or text[end] == "@"):
            continue
        if run and not _adjacent(text, run[-1], token):
            if text[run[-1].end : start] not in _PARTICLES or not _particle_head(run[-1].word):
                yield run
                run = []
            else:
                token = _Token(start, end, word, after_particle=True)
        run.append(token)
    if run:
        yield run


def _particle_head(word: str) -> bool:
    return first_name(word) and not ambiguous_first_name(word)


def _adjacent(text: str, left: _Token, right: _Token) -> bool:
    gap = text[left.end : right.start]
    if gap == " ":
        return True
    return (left.initial and gap == "") or (gap == ". " and left.word.lower() in _TITLES)


def _split_stopwords(run: list[_Token]) -> Iterator[tuple[list[_Token], bool]]:
    """Pieces of a run between stop words; the flag says a title came just before the piece."""
    piece: list[_Token] = []
    titled = False
    for token in run:
        lowered = token.word.lower()
        if lowered in _TITLES or stopword(token.word):
            if piece:
                yield piece, titled
            piece, titled = [], lowered in _TITLES
            continue
        piece.append(token)
    if piece:
        yield piece, titled


def person_context(text: str, start: int, end: int) -> bool:
    """A word around ``text[start:end]`` (or its field) announces a person ("Контакт:", "Patient", "ФИО")."""
    return _has_context(text, start, end)


def _has_context(text: str, start: int, end: int) -> bool:
    if "PERSON" in field_context(start, end):
        return True
    return _mentions_person(window(text, start, end, before=32, after=8))


@lru_cache(maxsize=16384)
def _mentions_person(around: str) -> bool:
    return any(word in around for word in _CONTEXT)


def _ru_titled(text: str, start: int) -> bool:
    before = text[max(0, start - 12) : start].lower()
    return before.endswith(_RU_TITLES)


def _single(text: str, token: _Token, titled: bool) -> float:
    """Confidence for a lone capitalised word."""
    if titled:
        return 0.85 if not token.initial else 0.0
    if token.initial:
        return 0.0
    lowered = token.word.lower()
    if lowered in _MONTHS and _in_date(text, token):
        return 0.0  # "15 Jan 2020", "June 3, 1985"
    context = _has_context(text, token.start, token.end)
    if first_name(token.word):
        if lowered in _dictionary().ambiguous:
            return 0.7 if context else 0.0
        return 0.85 if context else 0.6
    if context and ru_surname(token.word):
        return 0.7
    return 0.65 if _lone_surname(text, token) else 0.0


def _lone_surname(text: str, token: _Token) -> bool:
    """ "Встреча с Ивановым": a Russian surname from the list, mid-sentence, is a person on its own."""
    word = token.word
    if len(word) < 5 or not ("а" <= word[-1:] <= "я") or _sentence_start(text, token.start):
        return False
    if text[token.start - 1 : token.start] in "«\"“„'":  # «Иванов и партнёры»: a company
        return False
    if not dictionary_surname(word) or ambiguous_first_name(word):
        return False
    return not any(lemma in _TOWNS for lemma in _lemmas(word.lower()))


_MONTHS = frozenset({"jan", "feb", "mar", "apr", "may", "jun", "june", "jul", "july", "aug", "august", "sep", "sept",
                     "oct", "nov", "dec"})  # fmt: skip


def _in_date(text: str, token: _Token) -> bool:
    before = text[max(0, token.start - 3) : token.start].strip(" ,.")
    after = text[token.end : token.end + 3].strip(" ,.")
    return before[-1:].isdigit() or after[:1].isdigit()


def _several(piece: list[_Token], titled: bool, context: bool) -> float:
    """Confidence for two to four adjacent name parts."""
    words = [t for t in piece if not t.initial]
    if not words:
        return 0.0
    if len(words) >= 2 and any(patronymic(t.word) for t in words[1:]):
        return 0.95
    if len(words) == 3 == len(piece) and words[0].word.lower() in _KOREAN and all(len(t.word) <= 3 for t in words[1:]):
        return 0.85  # "Ким Ен Су"
    firsts = [t for t in words if first_name(t.word)]
    surnames = [t for t in words if ru_surname(t.word) or t.after_particle]
    if len(words) < len(piece):  # initials with a surname
        return _with_initials(piece, words, firsts, surnames, (titled, context))
    framed = words[-1] in surnames or words[0] in surnames  # three words need a surname at one end
    if firsts and ((len(words) >= 3 and framed) or any(t not in firsts for t in surnames)):
        return 0.9
    if firsts and len(words) == 2:
        unknown_surname = next(t for t in words if t is not firsts[0])
        return 0.8 if unknown_surname is words[-1] else 0.55
    if context and len(words) == 2 == len(surnames) + 1 and all(_cyrillic(t.word) for t in words):
        given = next(t.word for t in words if t not in surnames)
        return (
            0.0 if given.lower().endswith(_ADJECTIVE_ENDINGS) else 0.75
        )  # "Контакт: Ширяев Натан": a rare given name beside a Russian surname
    return 0.85 if titled else 0.0


_ADJECTIVE_ENDINGS = ("ый", "ая", "ое", "ые", "ого", "кий", "ской", "ный")


def _cyrillic(word: str) -> bool:
    return "а" <= word[-1:].lower() <= "я" or word[-1:] == "ё"


def _with_initials(
    piece: list[_Token], words: list[_Token], firsts: list[_Token], surnames: list[_Token], cues: tuple[bool, bool]
) -> float:
    """ "И. И. Иванов", and with no known surname "R. K. Narayan", "J.R.R. Tolkien", "Jennifer L."."""
    initials = [t for t in piece if t.initial]
    if "".join(t.word[0] for t in initials).lower() in _ABBREVIATIONS:
        return 0.0  # "U.S. Steel"
    if surnames:
        return 0.9
    titled, context = cues
    structure = 0.0
    if len(words) == 1 and not stopword(words[0].word):
        if len(initials) >= 2 and piece[-1] is words[0]:
            structure = 0.8  # two initials then a capitalised word
        elif piece[0] is words[0] and len(initials) == 1 and firsts and not ambiguous_first_name(words[0].word):
            structure = 0.8  # a first name and a surname's initial
    return structure or (0.85 if titled else 0.7 if context else 0.0)


_STREET_BEFORE = ("ул.", "улица", "пр-т", "пр.", "просп.", "проспект", "пер.", "переулок", "пл.", "площадь", "б-р",
                  "бульвар", "наб.", "набережная", "ш.", "шоссе", "им.", "имени", "мкр.", "проезд")  # fmt: skip


def _after_street(text: str, start: int) -> bool:
    """ "ул. Л.Толстого", "проспект Мира": a street named after a person is a street."""
    return text[max(0, start - 12) : start].lower().rstrip().endswith(_STREET_BEFORE)


def _sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 8) : start].rstrip(" \t")
    return not before or before[-1] in ".!?\n"


def _capitalised_by_position(text: str, piece: list[_Token]) -> bool:
    """ "Оператор Мария", "Agent Tom", "Пациентка Комарова": a sentence's first word, known as no name part,
    before a first name or a Russian surname."""
    head, second = piece[0].word, piece[1].word
    if head.isupper() or not _sentence_start(text, piece[0].start):
        return False
    if not (first_name(second) or (dictionary_surname(second) and "а" <= second[-1:] <= "я")):
        return False
    return not (first_name(head) or ru_surname(head) or dictionary_surname(head))


def _piece_match(text: str, piece: list[_Token], titled: bool) -> Match | None:
    piece = piece[:4]
    if _after_street(text, piece[0].start):
        return None
    if len(piece) == 2 and not titled and _capitalised_by_position(text, piece):
        piece = piece[1:]
    titled = titled or _ru_titled(text, piece[0].start)
    if len(piece) == 1:
        confidence = _single(text, piece[0], titled)
    else:
        context = _has_context(text, piece[0].start, piece[-1].end)
        confidence = _several(piece, titled, context)
        if context and confidence > 0:
            confidence = min(0.97, round(confidence + 0.05, 2))
    if confidence <= 0:
        return None
    return Match(start=piece[0].start, end=piece[-1].end, kind="PERSON", confidence=confidence)


def find_persons(text: str) -> Iterator[Match]:
    """Person names: Russian full names with patronymics, initials, first name + surname, titles."""
    for run in _tokens(text):
        for piece, titled in _split_stopwords(run):
            found = _piece_match(text, piece, titled)
            if found is not None:
                yield found
