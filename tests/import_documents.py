"""Realistic recommendation memos built with python-docx (kk, ru, en) for the import tests (issue 16).

Each memo has a title, an introduction, three sections (topics) and 12 recommendations, each with a text,
a rationale and a legal basis; some name a responsible body. The three languages use the three ways
people number items: English an automatic numbered list, Russian headings numbered by hand, Kazakh
«1-ұсыным» paragraphs. ``EXPECTED[lang]`` is what every item must become.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn


@dataclass(frozen=True)
class Expected:
    title: str
    text: str
    rationale: str
    legal_basis: str
    responsible_body: str
    topic: str


_SUBJECTS = {
    "en": [
        "the legal status of the Society",
        "the emblem and its protection",
        "auxiliary status to public authorities",
        "volunteer insurance",
        "state funding of first aid training",
        "tax relief for donations",
        "the Society's role in disaster response",
        "restoring family links",
        "access to detention places",
        "cooperation with the armed forces",
        "reporting to Parliament",
        "the entry into force of the law",
    ],
    "ru": [
        "правовом статусе Общества",
        "эмблеме и её защите",
        "вспомогательной роли при органах власти",
        "страховании добровольцев",
        "финансировании обучения первой помощи",
        "налоговых льготах для пожертвований",
        "роли Общества при ликвидации чрезвычайных ситуаций",
        "восстановлении семейных связей",
        "доступе в места содержания под стражей",
        "сотрудничестве с Вооружёнными силами",
        "отчётности перед Парламентом",
        "вступлении закона в силу",
    ],
    "kk": [
        "Қоғамның құқықтық мәртебесі",
        "эмблема және оны қорғау",
        "мемлекеттік органдар жанындағы көмекші рөл",
        "еріктілерді сақтандыру",
        "алғашқы көмек оқытуын қаржыландыру",
        "қайырмалдықтарға салық жеңілдіктері",
        "төтенше жағдайларды жоюдағы Қоғамның рөлі",
        "отбасылық байланыстарды қалпына келтіру",
        "қамауда ұстау орындарына кіру",
        "Қарулы Күштермен ынтымақтастық",
        "Парламент алдындағы есептілік",
        "заңның күшіне енуі",
    ],
}
_TOPICS = {
    "en": ["Status and emblem", "Volunteers and funding", "Humanitarian activities"],
    "ru": ["Статус и эмблема", "Добровольцы и финансирование", "Гуманитарная деятельность"],
    "kk": ["Мәртебе және эмблема", "Еріктілер және қаржыландыру", "Гуманитарлық қызмет"],
}
_BODIES = {
    "en": "Ministry of Justice",
    "ru": "Министерство юстиции",
    "kk": "Әділет министрлігі",
}


def _item(lang: str, n: int) -> Expected:
    s = _SUBJECTS[lang][n - 1]
    art = n + 4
    if lang == "en":
        return Expected(
            title=f"Clarify the provisions on {s}",
            text=f"Article {art} of the draft law should set out {s} in plain terms.\n\n"
            f"The wording proposed for {s} follows the model law of the Movement.",
            rationale=f"Without this change, {s} remains open to conflicting readings by the authorities.",
            legal_basis=f"Article {art} of the draft law; Geneva Conventions of 1949, common Article 26.",
            responsible_body=_BODIES[lang] if n % 3 == 0 else "",
            topic=_TOPICS[lang][(n - 1) // 4],
        )
    if lang == "ru":
        return Expected(
            title=f"Уточнить положения о {s}",
            text=f"В статье {art} проекта закона следует ясно изложить нормы о {s}.\n\n"
            f"Предлагаемая редакция норм о {s} следует типовому закону Движения.",
            rationale=f"Без этого изменения нормы о {s} допускают противоречивое толкование органами власти.",
            legal_basis=f"Статья {art} проекта закона; Женевские конвенции 1949 года, общая статья 26.",
            responsible_body=_BODIES[lang] if n % 3 == 0 else "",
            topic=_TOPICS[lang][(n - 1) // 4],
        )
    return Expected(
        title=f"{s.capitalize()} туралы ережелерді нақтылау",
        text=f"Заң жобасының {art}-бабында {s} туралы нормаларды анық жазу қажет.\n\n"
        f"{s.capitalize()} туралы ұсынылған редакция Қозғалыстың үлгілік заңына сәйкес келеді.",
        rationale=f"Бұл өзгеріссіз {s} туралы нормалар мемлекеттік органдардың әртүрлі түсіндіруіне жол береді.",
        legal_basis=f"Заң жобасының {art}-бабы; 1949 жылғы Женева конвенциялары, ортақ 26-бап.",
        responsible_body=_BODIES[lang] if n % 3 == 0 else "",
        topic=_TOPICS[lang][(n - 1) // 4],
    )


EXPECTED = {lang: [_item(lang, n) for n in range(1, 13)] for lang in ("kk", "ru", "en")}
LABELS = {
    "en": ("Rationale", "Legal basis", "Responsible body"),
    "ru": ("Обоснование", "Правовая основа", "Ответственный орган"),
    "kk": ("Негіздеме", "Құқықтық негіз", "Жауапты орган"),
}
_HEAD = {
    "en": (
        "Recommendations of the roundtable on the draft law on the National Red Crescent Society",
        "The roundtable was held at the School of Law on 12 November. The participants agreed on the following.",
    ),
    "ru": (
        "Рекомендации круглого стола по проекту закона о Национальном обществе Красного Полумесяца",
        "Круглый стол прошёл в Школе права 12 ноября. Участники согласовали следующие рекомендации.",
    ),
    "kk": (
        "Ұлттық Қызыл Жарты Ай қоғамы туралы заң жобасы бойынша дөңгелек үстелдің ұсынымдары",
        "Дөңгелек үстел 12 қарашада Құқық мектебінде өтті. Қатысушылар келесі ұсынымдарды келісті.",
    ),
}


def memo(lang: str) -> docx.Document:
    """The 12-item memo in ``lang`` as a python-docx Document."""
    d = docx.Document()
    title, intro = _HEAD[lang]
    d.add_paragraph(title, style="Title")
    d.add_paragraph(intro)
    rationale, legal, body = LABELS[lang]
    for n, item in enumerate(EXPECTED[lang], start=1):
        if (n - 1) % 4 == 0:
            d.add_heading(item.topic, level=1)
        if lang == "en":
            d.add_paragraph(item.title, style="List Number")
        elif lang == "ru":
            d.add_heading(f"{n}. {item.title}", level=2)
        else:
            p = d.add_paragraph()
            p.add_run(f"{n}-ұсыным. {item.title}").bold = True
        for para in item.text.split("\n\n"):
            d.add_paragraph(para)
        label = d.add_paragraph()
        label.add_run(rationale).bold = True
        d.add_paragraph(item.rationale)
        # The legal basis on the label's own line ("Legal basis: ..."), as people often write it.
        p = d.add_paragraph()
        p.add_run(f"{legal}: ").bold = True
        p.add_run(item.legal_basis)
        if item.responsible_body:
            d.add_paragraph(f"{body}: {item.responsible_body}")
    return d


def to_bytes(document: docx.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def memo_bytes(lang: str) -> bytes:
    return to_bytes(memo(lang))


def tracked_insertion(paragraph, text: str, author: str = "Aigerim") -> None:
    """Append ``text`` to a paragraph as a tracked insertion (python-docx has no API for it)."""
    ins = OxmlElement("w:ins")
    ins.set(qn("w:id"), "901")
    ins.set(qn("w:author"), author)
    ins.set(qn("w:date"), "2026-11-20T10:00:00Z")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    ins.append(run)
    paragraph._p.append(ins)


def tracked_deletion(paragraph, text: str, author: str = "Aigerim") -> None:
    """Append ``text`` to a paragraph as a tracked deletion."""
    dele = OxmlElement("w:del")
    dele.set(qn("w:id"), "902")
    dele.set(qn("w:author"), author)
    dele.set(qn("w:date"), "2026-11-20T10:00:00Z")
    run = OxmlElement("w:r")
    t = OxmlElement("w:delText")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    dele.append(run)
    paragraph._p.append(dele)
