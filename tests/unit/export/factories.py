"""MemoData for the export tests: the roundtable on a law recognising the Red Crescent Society.

Demo text written for these tests (not quotations). Recommendations 1–3 exist in en, ru and kk;
4 lacks Kazakh and 5 exists only in English, so the missing-language path is always exercised.
The Kazakh text holds all nine Kazakh-specific letters in both cases.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from recdraft.schemas.memo import (
    DelphiStats,
    DissentingOpinion,
    LegalReference,
    MemoData,
    Participant,
    PublishedComment,
    Recommendation,
    RecommendationContent,
    Roundtable,
    Signatory,
    VoteResult,
)

HELD_ON = dt.date(2025, 2, 6)
PREPARED_AT = dt.datetime(2025, 3, 3, 9, 30, tzinfo=dt.UTC)
SHA = hashlib.sha256(b"recdraft demo snapshot").hexdigest()
KAZAKH_LETTERS = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"


def roundtable() -> Roundtable:
    return Roundtable(
        title={
            "en": "National Societies of the Red Cross and Red Crescent: Legal Foundations of Their "
            "Activities and Their Role in Implementing the Geneva Conventions",
            "ru": "Национальные общества Красного Креста и Красного Полумесяца: правовые основы "
            "деятельности и роль в имплементации Женевских конвенций",
            "kk": "Қызыл Крест және Қызыл Жарты Ай ұлттық қоғамдары: қызметінің құқықтық негіздері "
            "және Женева конвенцияларын іске асырудағы рөлі",
        },
        venue={
            "en": "Narxoz University, Almaty",
            "ru": "Университет Нархоз, Алматы",
            "kk": "Нархоз университеті, Алматы шаһары",
        },
        organisers={
            "en": "School of Law and Public Administration, Narxoz University",
            "ru": "Школа права и государственного управления Университета Нархоз",
            "kk": "Нархоз университетінің Құқық және мемлекеттік басқару мектебі",
        },
        held_on=HELD_ON,
        executive_summary={
            "en": "Kazakhstan is one of the few States party to the Geneva Conventions without a law on "
            "its National Society. The roundtable agreed on **five recommendations** that would "
            "give the Red Crescent Society of Kazakhstan a clear legal status.\n"
            "- recognition as the single National Society;\n"
            "- protection of the emblem;\n"
            "- facilities for humanitarian work.",
            "ru": "Казахстан — одно из немногих государств — участников Женевских конвенций, где нет "
            "закона о национальном обществе. Участники согласовали **пять рекомендаций**.",
            "kk": "Қазақстан — ұлттық қоғам туралы заңы жоқ Женева конвенцияларына қатысушы "
            "санаулы мемлекеттің бірі. Үкімет пен Парламентке **бес ұсыным** жолданады.",
        },
        background={
            "en": "On 27 September 2024 Kazakhstan joined five other States and the ICRC in launching a "
            "global initiative to strengthen political commitment to *international humanitarian "
            "law*. A recognition law would follow the practice of Kyrgyzstan (2018) and "
            "Tajikistan (2010).",
            "ru": "27 сентября 2024 года Казахстан вместе с пятью государствами и МККК выступил с "
            "глобальной инициативой в поддержку *международного гуманитарного права*.",
            "kk": "2024 жылғы 27 қыркүйекте Қазақстан бес мемлекетпен және ХҚКК-мен бірге "
            "*халықаралық гуманитарлық құқыққа* саяси қолдауды күшейту бастамасын көтерді. "
            "Ғылыми және Әскери-медициналық қауымдастық Өкілдері де қатысты.",
        },
    )


def _rec1() -> Recommendation:
    return Recommendation(
        number=1,
        topic="recognition",
        priority="high",
        content={
            "en": RecommendationContent(
                title="Recognise the Society by law",
                text="Adopt a law recognising the Red Crescent Society of Kazakhstan as the **single** "
                "National Society, auxiliary to the public authorities in the humanitarian field.\n"
                "The law should state:\n"
                "1. its legal status and autonomy;\n"
                "2. the fields in which it supports public services;\n"
                "3. the State's duty to respect the *Fundamental Principles*.\n"
                "> The auxiliary role is a specific and distinctive partnership.",
                rationale="Recognition by law is one of the conditions the Statutes of the Movement set "
                "for a National Society and gives certainty to partners.",
                legal_basis="Statutes of the Movement, Art. 4; Geneva Convention I, Art. 26",
                responsible_body="Government; Mazhilis of the Parliament",
            ),
            "ru": RecommendationContent(
                title="Признать Общество законом",
                text="Принять закон, признающий Общество Красного Полумесяца Республики Казахстан "
                "**единственным** национальным обществом, вспомогательным по отношению к органам "
                "власти в гуманитарной сфере.",
                rationale="Признание законом — одно из условий, установленных Уставом Движения.",
                legal_basis="Устав Движения, ст. 4; I Женевская конвенция, ст. 26",
                responsible_body="Правительство; Мажилис Парламента",
            ),
            "kk": RecommendationContent(
                title="Қоғамды заңмен тану",
                text="Қазақстан Республикасының Қызыл Жарты Ай Қоғамын гуманитарлық салада мемлекеттік "
                "органдарға көмекші **жалғыз** ұлттық қоғам ретінде танитын заң қабылдау.",
                rationale="Заңмен тану — Қозғалыс Жарғысында белгіленген шарттардың бірі.",
                legal_basis="Қозғалыс Жарғысы, 4-бап; I Женева конвенциясы, 26-бап",
                responsible_body="Үкімет; Парламент Мәжілісі",
            ),
        },
        previous={
            "en": RecommendationContent(
                title="Recognise the Society",
                text="Adopt a law recognising the Red Crescent Society of Kazakhstan as a National "
                "Society auxiliary to the public authorities.\n"
                "The law should state:\n"
                "1. its legal status;\n"
                "2. the fields in which it supports public services.",
                rationale="Recognition by law is one of the conditions of the Statutes of the Movement.",
                legal_basis="Statutes of the Movement, Art. 4",
                responsible_body="Government",
            ),
            "ru": RecommendationContent(
                title="Признать Общество",
                text="Принять закон, признающий Общество Красного Полумесяца Республики Казахстан "
                "национальным обществом.",
                legal_basis="Устав Движения, ст. 4",
                responsible_body="Правительство",
            ),
            "kk": RecommendationContent(
                title="Қоғамды тану",
                text="Қазақстан Республикасының Қызыл Жарты Ай Қоғамын ұлттық қоғам ретінде танитын заң қабылдау.",
                legal_basis="Қозғалыс Жарғысы, 4-бап",
                responsible_body="Үкімет",
            ),
        },
        justification={
            "en": "Adds the single-society rule and the duty to respect the Principles.",
            "ru": "Добавлено правило о единственном обществе.",
            "kk": "Жалғыз қоғам туралы ереже қосылды.",
        },
        consensus={
            "en": "Adopted in round 2 (14 for, 1 against).",
            "ru": "Принята во втором туре (14 за, 1 против).",
            "kk": "Екінші турда қабылданды (14 жақтады, 1 қарсы).",
        },
    )


def _rec2() -> Recommendation:
    return Recommendation(
        number=2,
        topic="emblem",
        priority="high",
        content={
            "en": RecommendationContent(
                title="Protect the red crescent emblem",
                text="Regulate the *protective* and the *indicative* use of the emblem and the name, "
                "including the red crystal, and name a competent authority to authorise and "
                "supervise their use.\n"
                "- protective use: medical services of the armed forces;\n"
                "- indicative use: the Society's own premises and activities.",
                rationale="Misuse of the emblem in peacetime weakens its protective value in armed conflict.",
                legal_basis="Geneva Convention I, Arts. 38, 44, 53 and 54; Additional Protocol III",
                responsible_body="Ministry of Defence; Ministry of Justice",
            ),
            "ru": RecommendationContent(
                title="Защитить эмблему красного полумесяца",
                text="Урегулировать *защитное* и *опознавательное* использование эмблемы и наименования.",
                rationale="Злоупотребление эмблемой в мирное время ослабляет её защитную силу.",
                legal_basis="I Женевская конвенция, ст. 38, 44, 53, 54; Дополнительный протокол III",
                responsible_body="Министерство обороны",
            ),
            "kk": RecommendationContent(
                title="Қызыл жарты ай эмблемасын қорғау",
                text="Эмблема мен атауды *қорғаныштық* және *белгілеуші* мақсатта пайдалануды реттеу. "
                "Ғимараттардағы жазу: «ҚАЗАҚСТАН РЕСПУБЛИКАСЫНЫҢ ҚЫЗЫЛ ЖАРТЫ АЙ ҚОҒАМЫ».",
                rationale="Бейбіт уақытта эмблеманы теріс пайдалану оның қорғаныштық күшін әлсіретеді.",
                legal_basis="I Женева конвенциясы, 38, 44, 53, 54-баптар; III Қосымша хаттама",
                responsible_body="Қорғаныс министрлігі",
            ),
        },
        previous=None,
        justification={
            "en": "New recommendation proposed in round 1.",
            "ru": "Новая рекомендация.",
            "kk": "Жаңа ұсыным.",
        },
        consensus={"en": "Adopted by consensus.", "ru": "Принята консенсусом.", "kk": "Консенсуспен қабылданды."},
    )


def _rec3() -> Recommendation:
    same_en = RecommendationContent(
        title="Grant tax and customs facilities",
        text="Exempt humanitarian goods and donations received by the Society from customs duties and VAT.",
        rationale="Facilities let the Society act quickly in emergencies.",
        legal_basis="Additional Protocol I, Art. 81",
        responsible_body="Ministry of Finance",
    )
    return Recommendation(
        number=3,
        topic="facilities",
        priority="medium",
        content={
            "en": same_en,
            "ru": RecommendationContent(
                title="Предоставить налоговые и таможенные льготы",
                text="Освободить гуманитарные грузы и пожертвования Общества от таможенных пошлин и НДС.",
                legal_basis="Дополнительный протокол I, ст. 81",
                responsible_body="Министерство финансов",
            ),
            "kk": RecommendationContent(
                title="Салық және кеден жеңілдіктерін беру",
                text="Қоғам алатын гуманитарлық жүктер мен қайырмалдықтарды кедендік баждар мен ҚҚС-тан "
                "босату. Іс-шаралар төтенше жағдайларда жедел жүргізілуі тиіс.",
                legal_basis="I Қосымша хаттама, 81-бап",
                responsible_body="Қаржы министрлігі",
            ),
        },
        previous={"en": same_en},
    )


def _rec4() -> Recommendation:
    return Recommendation(
        number=4,
        topic="penalties",
        priority="medium",
        content={
            "en": RecommendationContent(
                title="Penalise misuse of the emblem",
                text="Amend the Code of Administrative Offences and the Criminal Code so that misuse of "
                "the emblem, and perfidious use in armed conflict, are punishable.",
                legal_basis="Geneva Convention I, Art. 54; Additional Protocol I, Art. 85(3)(f)",
                responsible_body="Ministry of Justice",
            ),
            "ru": RecommendationContent(
                title="Установить ответственность за злоупотребление эмблемой",
                text="Внести изменения в Кодекс об административных правонарушениях и Уголовный кодекс.",
                legal_basis="I Женевская конвенция, ст. 54",
                responsible_body="Министерство юстиции",
            ),
        },
        previous={"en": RecommendationContent(title="Penalise misuse", text="Amend the Criminal Code.")},
    )


def _rec5() -> Recommendation:
    return Recommendation(
        number=5,
        topic="dissemination",
        priority="low",
        content={
            "en": RecommendationContent(
                title="Teach international humanitarian law",
                text="Include IHL in the curricula of law faculties and of the military academies.",
                legal_basis="GC I Art. 47; GC II Art. 48; GC III Art. 127; GC IV Art. 144; AP I Art. 83",
                responsible_body="Ministry of Science and Higher Education",
            ),
        },
    )


def recommendations() -> list[Recommendation]:
    return [_rec1(), _rec2(), _rec3(), _rec4(), _rec5()]


def votes(numbers: list[int]) -> list[VoteResult]:
    out = []
    for number in numbers:
        out.append(
            VoteResult(
                recommendation_number=number,
                round_number=1,
                mode="delphi",
                eligible=16,
                voted=15,
                votes_for=11,
                votes_against=2,
                abstain=2,
                block=0,
                quorum_met=True,
                rule_met=False,
                outcome="no_consensus",
                delphi=DelphiStats(median=7.0, iqr=2.5, distribution={3: 1, 5: 2, 7: 6, 8: 4, 9: 2}),
                quorum="1/2",
                blocks_prevent_adoption=True,
                delphi_agreement_share="7/10",
                delphi_band=(7, 9),
                delphi_max_iqr="2",
            )
        )
        overridden = number == 3
        out.append(
            VoteResult(
                recommendation_number=number,
                round_number=2,
                mode="simple",
                eligible=16,
                voted=15,
                votes_for=14 - overridden,
                votes_against=1,
                abstain=0,
                block=int(overridden),
                quorum_met=True,
                rule_met=True,
                outcome="adopted",
                quorum="1/2",
                threshold="2/3",
                blocks_prevent_adoption=True,
                block_override_reason="The objection concerns customs practice, not the law." if overridden else None,
            )
        )
    return out


def participants() -> list[Participant]:
    return [
        Participant(
            name="Aigerim Nurlanovna Sadykova",
            organisation="Red Crescent Society of Kazakhstan",
            role="President",
            consent_to_be_named=True,
        ),
        Participant(
            name="Jean-Marc Delcourt",
            organisation="ICRC Regional Delegation for Central Asia",
            role="Head of Delegation",
            consent_to_be_named=True,
        ),
        Participant(
            name="Daniyar Serikbayev",
            organisation="Mazhilis of the Parliament",
            role="Member of the Mazhilis",
            consent_to_be_named=True,
        ),
        Participant(
            name="Һарун Тілеубердіұлы",
            organisation="Narxoz University",
            role="Professor of law",
            consent_to_be_named=True,
        ),
        Participant(name="Madina Ospanova", organisation="Narxoz University", role="Student", consent_to_be_named=True),
        Participant(name="Hidden Person", organisation="Narxoz University", role="Student", consent_to_be_named=False),
        Participant(
            name="Another Hidden", organisation="Ministry of Justice", role="Adviser", consent_to_be_named=False
        ),
    ]


def legal_references() -> list[LegalReference]:
    return [
        LegalReference(
            text={
                "en": "Geneva Convention (I) of 12 August 1949, Arts. 26, 38, 44, 53, 54",
                "ru": "Женевская конвенция (I) от 12 августа 1949 г., ст. 26, 38, 44, 53, 54",
                "kk": "1949 жылғы 12 тамыздағы (I) Женева конвенциясы, 26, 38, 44, 53, 54-баптар",
            }
        ),
        LegalReference(
            text={
                "en": "Additional Protocol III of 2005 (the red crystal)",
                "ru": "Дополнительный протокол III 2005 г.",
                "kk": "2005 жылғы III Қосымша хаттама",
            }
        ),
        LegalReference(
            text={"en": "Statutes of the International Red Cross and Red Crescent Movement, Art. 4"},
            url="https://www.icrc.org/",
        ),
    ]


def comments() -> list[PublishedComment]:
    return [
        PublishedComment(
            recommendation_number=1,
            author="Aliya Bekova",
            published_at=dt.datetime(2025, 2, 20, 10, 15, tzinfo=dt.UTC),
            text="Should the law also name the Society's patron?",
            quote="single",
        ),
        PublishedComment(
            recommendation_number=2,
            author="Timur Akhmetov",
            published_at=dt.datetime(2025, 2, 21, 16, 0, tzinfo=dt.UTC),
            text="Please cite the Model Law on the emblems.",
            quote="a passage that is no longer in the text",
        ),
        PublishedComment(
            recommendation_number=3,
            author="Aliya Bekova",
            published_at=dt.datetime(2025, 2, 22, 9, 0, tzinfo=dt.UTC),
            text="Agreed.",
        ),
    ]


def memo_data(**overrides: Any) -> MemoData:
    """A complete memo; keyword arguments replace top-level fields."""
    recs = recommendations()
    values: dict[str, Any] = {
        "roundtable": roundtable(),
        "recommendations": recs,
        "votes": votes([r.number for r in recs]),
        "dissents": [
            DissentingOpinion(
                recommendation_number=1,
                name="Daniyar Serikbayev",
                organisation="Mazhilis of the Parliament",
                reason="The Society should remain a public association under the general law.",
            ),
            DissentingOpinion(
                recommendation_number=2,
                name=None,
                organisation=None,
                reason="The competent authority should be the Ministry of Health.",
            ),
        ],
        "participants": participants(),
        "legal_references": legal_references(),
        "comments": comments(),
        "is_final": True,
        "blockers": [],
        "snapshot_sha256": SHA,
        "prepared_by": "Editorial group",
        "prepared_at": PREPARED_AT,
        "signatory": Signatory(
            name={"en": "Aigerim Nurlanova", "ru": "Айгерим Нурланова", "kk": "Әйгерім Нұрланқызы"},
            position={"en": "Dean, School of Law", "ru": "Декан Школы права", "kk": "Құқық мектебінің деканы"},
        ),
        "outgoing_number": "№ 01-12/345",
    }
    values.update(overrides)
    return MemoData(**values)


def draft_data(**overrides: Any) -> MemoData:
    values: dict[str, Any] = {
        "is_final": False,
        "snapshot_sha256": None,
        "blockers": ["Recommendation 4 has no Kazakh text", "Vote on recommendation 5 is still open"],
    }
    values.update(overrides)
    return memo_data(**values)


def large_memo(n: int = 200, rounds: int = 3, people: int = 40) -> MemoData:
    """A memo of ``n`` recommendations with full annexes, for the benchmark."""
    base = _rec1()
    recs = []
    for i in range(1, n + 1):
        recs.append(base.model_copy(update={"number": i}))
    vote_rows = []
    for i in range(1, n + 1):
        for k in range(1, rounds + 1):
            vote_rows.append(
                VoteResult(
                    recommendation_number=i,
                    round_number=k,
                    mode="delphi" if k == 1 else "simple",
                    eligible=40,
                    voted=36,
                    votes_for=30,
                    votes_against=3,
                    abstain=2,
                    block=1,
                    quorum_met=True,
                    rule_met=k == rounds,
                    outcome="adopted" if k == rounds else "no_consensus",
                    delphi=DelphiStats(median=7.5, iqr=2.0) if k == 1 else None,
                )
            )
    dissent = [
        DissentingOpinion(
            recommendation_number=i,
            name=None if i % 2 else f"Expert {i}",
            organisation="Narxoz University",
            reason="A different approach is preferable.",
        )
        for i in range(1, n + 1, 4)
    ]
    people_rows = [
        Participant(
            name=f"Participant {i}", organisation=f"Organisation {i % 8}", role="Expert", consent_to_be_named=i % 5 != 0
        )
        for i in range(people)
    ]
    return memo_data(recommendations=recs, votes=vote_rows, dissents=dissent, participants=people_rows, comments=[])
