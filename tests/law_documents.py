"""A draft law on the National Red Crescent Society with 3 chapters and 25 articles, in kk, ru and en, as
python-docx documents (issue 16). ``bill(lang, version=2)`` is the second version: article 23 removed (so
24 and 25 become 23 and 24) and the wording of article 5 changed."""

from __future__ import annotations

import docx

CHAPTERS = {  # first article of each chapter
    1: 1,
    2: 9,
    3: 18,
}
_CH_TITLES = {
    "en": ["General provisions", "Activities of the Society", "Final provisions"],
    "ru": ["Общие положения", "Деятельность Общества", "Заключительные положения"],
    "kk": ["Жалпы ережелер", "Қоғамның қызметі", "Қорытынды ережелер"],
}


def _chapter_head(lang: str, n: int) -> str:
    title = _CH_TITLES[lang][n - 1]
    return {"en": f"Chapter {n}. {title}", "ru": f"Глава {n}. {title}", "kk": f"{n}-тарау. {title}"}[lang]


def _article_head(lang: str, number: int, title: str) -> str:
    return {"en": f"Article {number}. {title}", "ru": f"Статья {number}. {title}", "kk": f"{number}-бап. {title}"}[lang]


def article_title(lang: str, n: int) -> str:
    return {"en": f"Provision {n} on the Society", "ru": f"Положение {n} об Обществе", "kk": f"Қоғам туралы {n}-ереже"}[
        lang
    ]


def paragraph_text(lang: str, n: int, k: int, version: int = 1) -> str:
    changed = version == 2 and n == 5 and k == 1
    if lang == "en":
        return f"The Society shall carry out task {n}.{k} in peacetime and in armed conflict" + (
            ", in cooperation with the Ministry of Emergency Situations." if changed else "."
        )
    if lang == "ru":
        return f"Общество выполняет задачу {n}.{k} в мирное время и в период вооружённого конфликта" + (
            " во взаимодействии с Министерством по чрезвычайным ситуациям." if changed else "."
        )
    return f"Қоғам {n}.{k}-міндетті бейбіт уақытта және қарулы қақтығыс кезінде орындайды" + (
        ", Төтенше жағдайлар министрлігімен бірлесіп." if changed else "."
    )


def sub_text(lang: str, n: int, s: int) -> str:
    return {"en": f"measure {s} of article {n};", "ru": f"мера {s} статьи {n};", "kk": f"{n}-баптың {s}-шарасы;"}[lang]


def shape(n: int) -> tuple[int, bool]:
    """(number of paragraphs, whether paragraph 1 has sub-paragraphs) of the article first numbered ``n``."""
    return (n % 3) + 1, n % 4 == 0


def bill(lang: str, version: int = 1) -> docx.Document:
    d = docx.Document()
    d.add_paragraph(
        {
            "en": "Law of the Republic of Kazakhstan on the National Red Crescent Society (draft)",
            "ru": "Закон Республики Казахстан о Национальном обществе Красного Полумесяца (проект)",
            "kk": "Ұлттық Қызыл Жарты Ай қоғамы туралы Қазақстан Республикасының Заңы (жоба)",
        }[lang],
        style="Title",
    )
    originals = [n for n in range(1, 26) if not (version == 2 and n == 23)]
    for printed, n in enumerate(originals, start=1):
        chapter = next((c for c, first in CHAPTERS.items() if first == n), None)
        if chapter:
            d.add_heading(_chapter_head(lang, chapter), level=1)
        d.add_heading(_article_head(lang, printed, article_title(lang, n)), level=2)
        count, subs = shape(n)
        if count == 1:
            d.add_paragraph(paragraph_text(lang, n, 1, version))
        for k in range(1, count + 1 if count > 1 else 1):
            d.add_paragraph(f"{k}. {paragraph_text(lang, n, k, version)}")
            if subs and k == 1:
                for s in range(1, 4):
                    d.add_paragraph(f"{s}) {sub_text(lang, n, s)}")
        if count == 1 and subs:
            for s in range(1, 4):
                d.add_paragraph(f"{s}) {sub_text(lang, n, s)}")
    return d
