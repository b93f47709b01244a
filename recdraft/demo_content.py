"""Content of the demo roundtable loaded by ``recdraft demo``: pure data, no logic.

The demo reproduces, with fictional participants, the roundtable held on 6 February 2025 at the
School of Law and Public Administration of Narxoz University (Almaty) on the legal foundations of
National Red Cross and Red Crescent Societies. Every person below is fictional.

Shapes
------
``ROUNDTABLE``
    Localised fields are ``{"en": ..., "ru": ..., "kk": ...}``; ``background`` paragraphs are
    separated by a blank line; ``legal_references`` is a list of English strings.
``PEOPLE``
    Demo accounts: ``username``, ``display_name``, ``role``, ``organisation``, ``group`` (label used
    in vote tallies), ``consent_named`` (may the memo name the person) and ``email``.
``RECOMMENDATIONS``
    ``key``, ``topic``, ``priority``, ``author`` (a username) and ``content``: language →
    ``{title, text, rationale, legal_basis, responsible_body}``. Optional ``revisions``: later
    versions, oldest first, each ``{"author", "note", "content"}`` with the full content of that
    version (every language it has). Texts use the memo's small formatting subset: ``**bold**``,
    ``*italic*``, lines starting with ``- `` or ``1. `` and ``> `` quotation lines.
``AMENDMENTS``
    ``rec`` (key), ``proposer``, ``content`` (full proposed content), ``justification``,
    ``outcome`` ("open" / "accepted" / "rejected") and ``reason`` for a rejection.
``COMMENTS``
    ``rec``, ``author``, ``body``, ``state`` ("published", "pending", "hidden", "rejected" or
    "flagged" = published with an open flag); optional ``quote`` (an exact passage of the
    recommendation's final text), ``reply_to`` (index of an earlier comment on the same
    recommendation), ``moderation_reason`` (hidden/rejected), ``flag_reason`` (flagged),
    ``resolution`` ("addressed" / "declined") and ``resolution_reason`` (declined).
``OPEN_ROUND_KEYS``
    Recommendations still under discussion in an open round: the only ones carrying pending
    comments, open flags and open amendments, so the final memo is not blocked by them.
``DELPHI_CARRIED_KEY``
    Reaches no consensus in the Delphi round and is carried forward.
``REJECTED_KEY``
    Rejected in the simple vote. All other recommendations are adopted.
"""

from __future__ import annotations

from typing import Any

# ---------------------------------------------------------------------------------------------
# The roundtable
# ---------------------------------------------------------------------------------------------

ROUNDTABLE: dict[str, Any] = {
    "title": {
        "en": (
            "National Societies of the Red Cross and Red Crescent: Legal Foundations of Their "
            "Activities and Their Role in Implementing the Geneva Conventions on the Protection "
            "of War Victims"
        ),
        "ru": (
            "Национальные общества Красного Креста и Красного Полумесяца: правовые основы "
            "деятельности и роль в имплементации Женевских конвенций о защите жертв войны"
        ),
        "kk": (
            "Қызыл Крест және Қызыл Жарты Ай ұлттық қоғамдары: қызметінің құқықтық негіздері "
            "және соғыс құрбандарын қорғау туралы Женева конвенцияларын іске асырудағы рөлі"
        ),
    },
    "held_on": "2025-02-06",
    "venue": {
        "en": "School of Law and Public Administration, Narxoz University, Almaty",
        "ru": "Школа права и государственного управления, Университет Нархоз, Алматы",
        "kk": "Нархоз университетінің Құқық және мемлекеттік басқару мектебі, Алматы",
    },
    "organisers": {
        "en": (
            "School of Law and Public Administration, Narxoz University, with the participation "
            "of the ICRC Regional Delegation for Central Asia and the Red Crescent Society of "
            "Kazakhstan"
        ),
        "ru": (
            "Школа права и государственного управления Университета Нархоз при участии "
            "Региональной делегации Международного Комитета Красного Креста в Центральной Азии "
            "и Общества Красного Полумесяца Республики Казахстан"
        ),
        "kk": (
            "Нархоз университетінің Құқық және мемлекеттік басқару мектебі — Халықаралық Қызыл "
            "Крест комитетінің Орталық Азиядағы өңірлік делегациясы мен Қазақстан "
            "Республикасының Қызыл Жарты Ай Қоғамының қатысуымен"
        ),
    },
    "addressee": {
        "en": "Mazhilis of the Parliament of the Republic of Kazakhstan",
        "ru": "Мажилис Парламента Республики Казахстан",
        "kk": "Қазақстан Республикасы Парламентінің Мәжілісі",
    },
    "background": {
        "en": (
            "On 6 February 2025 the School of Law and Public Administration of Narxoz University "
            "held a roundtable on the legal foundations of the activities of National Red Cross "
            "and Red Crescent Societies and their role in implementing the Geneva Conventions. "
            "The participants included the Head of the ICRC Regional Delegation for Central Asia, "
            "the Head of the ICRC Mission in Kazakhstan, the President of the Red Crescent Society "
            "of Kazakhstan, a Member of the Mazhilis, and faculty and students of the School."
            "\n\n"
            "On 27 September 2024 Kazakhstan, together with Brazil, Jordan, China, France and "
            "South Africa and with the ICRC, launched a global initiative to galvanise political "
            "commitment to international humanitarian law. Kazakhstan nevertheless remains among "
            "the few States party to the Geneva Conventions that have no law on their National "
            "Society: the status and auxiliary role of the Red Crescent Society of Kazakhstan are "
            "not set out in a dedicated statute."
            "\n\n"
            "Points of comparison exist in the region. Kyrgyzstan adopted a law on its National "
            "Society in 2018 (No. 19) and Tajikistan in 2010 (No. 592); a federal law of the "
            "Russian Federation on its National Society entered into force on 1 February 2026. "
            "Laws on the use and protection of the emblems have been adopted in Uzbekistan (2004), "
            "Belarus (2000), Tajikistan (2001) and Kyrgyzstan (2000). The recommendations below "
            "are intended to help restart the legislative process."
        ),
        "ru": (
            "6 февраля 2025 г. Школа права и государственного управления Университета Нархоз "
            "провела круглый стол, посвящённый правовым основам деятельности национальных обществ "
            "Красного Креста и Красного Полумесяца и их роли в имплементации Женевских конвенций. "
            "В нём приняли участие глава Региональной делегации МККК в Центральной Азии, глава "
            "Миссии МККК в Казахстане, президент Общества Красного Полумесяца Республики Казахстан, "
            "депутат Мажилиса, а также преподаватели и студенты Школы."
            "\n\n"
            "27 сентября 2024 г. Казахстан вместе с Бразилией, Иорданией, Китаем, Францией и "
            "Южно-Африканской Республикой и совместно с МККК выступил с глобальной инициативой, "
            "направленной на укрепление политической приверженности международному гуманитарному "
            "праву. Вместе с тем Казахстан остаётся одним из немногих государств — участников "
            "Женевских конвенций, в которых нет закона о национальном обществе: статус и "
            "вспомогательная роль Общества Красного Полумесяца Республики Казахстан не закреплены "
            "в специальном законе."
            "\n\n"
            "Ориентиры для сравнения имеются в регионе. Кыргызстан принял закон о своём "
            "национальном обществе в 2018 г. (№ 19), Таджикистан — в 2010 г. (№ 592); федеральный "
            "закон Российской Федерации о её национальном обществе вступил в силу 1 февраля 2026 г. "
            "Законы об использовании и защите эмблем приняты в Узбекистане (2004 г.), Беларуси "
            "(2000 г.), Таджикистане (2001 г.) и Кыргызстане (2000 г.). Настоящие рекомендации "
            "призваны содействовать возобновлению законодательной работы."
        ),
        "kk": (
            "2025 жылғы 6 ақпанда Нархоз университетінің Құқық және мемлекеттік басқару мектебі "
            "Қызыл Крест және Қызыл Жарты Ай ұлттық қоғамдары қызметінің құқықтық негіздеріне және "
            "олардың Женева конвенцияларын іске асырудағы рөліне арналған дөңгелек үстел өткізді. "
            "Оған Халықаралық Қызыл Крест комитетінің Орталық Азиядағы өңірлік делегациясының "
            "басшысы, Халықаралық Қызыл Крест комитетінің Қазақстандағы миссиясының басшысы, "
            "Қазақстан Республикасының Қызыл Жарты Ай Қоғамының президенті, Мәжіліс депутаты, "
            "сондай-ақ Мектептің оқытушылары мен студенттері қатысты."
            "\n\n"
            "2024 жылғы 27 қыркүйекте Қазақстан Бразилиямен, Иорданиямен, Қытаймен, Франциямен "
            "және Оңтүстік Африка Республикасымен бірге, сондай-ақ Халықаралық Қызыл Крест "
            "комитетімен бірлесіп, халықаралық гуманитарлық құқықты сақтауға қатысты саяси "
            "ерік-жігерді жұмылдыруға бағытталған жаһандық бастама көтерді. Алайда Қазақстан "
            "Женева конвенцияларына қатысушы мемлекеттердің ішінде ұлттық қоғамы туралы заңы жоқ "
            "санаулы елдердің бірі болып отыр: Қазақстан Республикасының Қызыл Жарты Ай Қоғамының "
            "мәртебесі мен көмекші рөлі арнайы заңда бекітілмеген."
            "\n\n"
            "Өңірде салыстыруға болатын үлгілер бар. Қырғызстан ұлттық қоғамы туралы заңды 2018 "
            "жылы (№ 19), Тәжікстан 2010 жылы (№ 592) қабылдады; Ресей Федерациясының ұлттық "
            "қоғамы туралы федералдық заңы 2026 жылғы 1 ақпанда күшіне енді. Эмблемаларды "
            "пайдалану және қорғау туралы заңдар Өзбекстанда (2004), Беларусьте (2000), "
            "Тәжікстанда (2001) және Қырғызстанда (2000) қабылданған. Төменде берілген ұсыныстар "
            "заң шығару жұмысын қайта бастауға жәрдемдесуге арналған."
        ),
    },
    "summary": {
        "en": (
            "The participants recommend that Parliament adopt a dedicated law on the Red Crescent "
            "Society of Kazakhstan. The law should recognise the Society as the country's single "
            "National Society and an auxiliary to the public authorities in the humanitarian "
            "field, guarantee its autonomy in keeping with the Fundamental Principles, and "
            "regulate the use and protection of the emblems, with proportionate penalties for "
            "their misuse. It should also define the Society's role in emergencies and armed "
            "conflict, tracing, the dissemination of international humanitarian law, disaster "
            "management, first aid and health, together with the protection of its volunteers."
        ),
        "ru": (
            "Участники рекомендуют Парламенту принять специальный закон об Обществе Красного "
            "Полумесяца Республики Казахстан. Закон должен признать Общество единственным "
            "национальным обществом страны, вспомогательным по отношению к государственным "
            "органам в гуманитарной области, гарантировать его самостоятельность в соответствии "
            "с Основополагающими принципами и урегулировать использование и защиту эмблем, "
            "предусмотрев соразмерную ответственность за их неправомерное использование. Закону "
            "следует также определить роль Общества в чрезвычайных ситуациях и вооружённых "
            "конфликтах, в розыске, распространении знаний о международном гуманитарном праве, "
            "снижении риска бедствий, оказании первой помощи и охране здоровья, а также защиту "
            "его добровольцев."
        ),
        "kk": (
            "Қатысушылар Парламентке Қазақстан Республикасының Қызыл Жарты Ай Қоғамы туралы "
            "арнайы заң қабылдауды ұсынады. Заң Қоғамды елдің жалғыз ұлттық қоғамы әрі "
            "гуманитарлық салада мемлекеттік органдарға көмекші ұйым ретінде тануға, оның Негізгі "
            "қағидаттарға сәйкес дербестігіне кепілдік беруге және эмблемаларды пайдалану мен "
            "қорғауды реттеп, оларды заңсыз пайдаланғаны үшін мөлшерлес жауапкершілік белгілеуге "
            "тиіс. Сондай-ақ заң Қоғамның төтенше жағдайлар мен қарулы қақтығыс кезіндегі, "
            "іздестіру, халықаралық гуманитарлық құқықты тарату, апаттарды басқару, алғашқы көмек "
            "пен денсаулық сақтау салаларындағы рөлін, сондай-ақ еріктілерін қорғау шараларын "
            "айқындауға тиіс."
        ),
    },
    "closing_formula": {
        "en": (
            "The School of Law and Public Administration of Narxoz University stands ready to "
            "assist Parliament and any working group it may establish in preparing the draft law, "
            "and to provide further expert analysis on request."
        ),
        "ru": (
            "Школа права и государственного управления Университета Нархоз готова оказать "
            "содействие Парламенту и любой создаваемой им рабочей группе в подготовке "
            "законопроекта, а также представить дополнительные экспертные заключения по запросу."
        ),
        "kk": (
            "Нархоз университетінің Құқық және мемлекеттік басқару мектебі Парламентке және ол "
            "құратын кез келген жұмыс тобына заң жобасын әзірлеуге жәрдем көрсетуге, сондай-ақ "
            "сұрау бойынша қосымша сараптамалық қорытындылар ұсынуға дайын."
        ),
    },
    "legal_references": [
        "Geneva Convention (I) for the Amelioration of the Condition of the Wounded and Sick in "
        "Armed Forces in the Field, 12 August 1949 — Arts. 26, 38, 44, 47, 53, 54",
        "Geneva Convention (II) for the Amelioration of the Condition of Wounded, Sick and "
        "Shipwrecked Members of Armed Forces at Sea, 12 August 1949 — Art. 48",
        "Geneva Convention (III) relative to the Treatment of Prisoners of War, 12 August 1949 — "
        "Art. 127",
        "Geneva Convention (IV) relative to the Protection of Civilian Persons in Time of War, "
        "12 August 1949 — Arts. 25, 26, 30, 63, 144",
        "Protocol Additional to the Geneva Conventions of 12 August 1949, and relating to the "
        "Protection of Victims of International Armed Conflicts (Protocol I), 8 June 1977 — "
        "Arts. 81, 83, 85(3)(f)",
        "Protocol Additional to the Geneva Conventions of 12 August 1949, and relating to the "
        "Adoption of an Additional Distinctive Emblem (Protocol III), 8 December 2005",
        "Statutes of the International Red Cross and Red Crescent Movement — Arts. 2, 4",
        "Fundamental Principles of the International Red Cross and Red Crescent Movement (1965)",
        "30th International Conference of the Red Cross and Red Crescent (2007), Resolution 2",
        "31st International Conference of the Red Cross and Red Crescent (2011), Resolution 4",
        "32nd International Conference of the Red Cross and Red Crescent (2015), Resolutions 5 and 6",
        "ICRC Model Law on the emblems",
        "Kyrgyz Republic: Law on the National Society, 2018, No. 19",
        "Republic of Tajikistan: Law on the National Society, 2010, No. 592",
    ],
}

# ---------------------------------------------------------------------------------------------
# Demo accounts (fictional people)
# ---------------------------------------------------------------------------------------------

# ---------------------------------------------------------------------------------------------
# Topics: the roundtable's list, labelled in every language (issue 10, item 7). A recommendation
# below names its topic by the English label; the loader stores the key.
# ---------------------------------------------------------------------------------------------

TOPICS: list[dict[str, Any]] = [
    {"key": "recognition", "labels": {
        "en": "Recognition and auxiliary status",
        "ru": "Признание и вспомогательный статус",
        "kk": "Тану және көмекші мәртебе"}},
    {"key": "auxiliary-role", "labels": {
        "en": "Auxiliary role",
        "ru": "Вспомогательная роль",
        "kk": "Көмекші рөл"}},
    {"key": "autonomy", "labels": {
        "en": "Autonomy and the Fundamental Principles",
        "ru": "Автономия и Основополагающие принципы",
        "kk": "Дербестік және Іргелі қағидаттар"}},
    {"key": "emblem", "labels": {
        "en": "Emblem: use and protection",
        "ru": "Эмблема: использование и защита",
        "kk": "Эмблема: пайдалану және қорғау"}},
    {"key": "emblem-penalties", "labels": {
        "en": "Penalties for misuse and perfidy",
        "ru": "Ответственность за неправомерное использование и вероломство",
        "kk": "Заңсыз пайдалану және опасыздық үшін жауаптылық"}},
    {"key": "emblem-authority", "labels": {
        "en": "Competent authority for the emblem",
        "ru": "Уполномоченный орган по эмблеме",
        "kk": "Эмблема жөніндегі уәкілетті орган"}},
    {"key": "tax-customs", "labels": {
        "en": "Tax, customs and VAT facilities",
        "ru": "Налоговые и таможенные льготы, НДС",
        "kk": "Салық, кеден және ҚҚС жеңілдіктері"}},
    {"key": "access", "labels": {
        "en": "Access in emergencies and armed conflict",
        "ru": "Доступ при чрезвычайных ситуациях и вооружённых конфликтах",
        "kk": "Төтенше жағдайлар мен қарулы қақтығыс кезіндегі қолжетімділік"}},
    {"key": "family-links", "labels": {
        "en": "Tracing and restoring family links",
        "ru": "Розыск и восстановление семейных связей",
        "kk": "Іздестіру және отбасылық байланыстарды қалпына келтіру"}},
    {"key": "medical-services", "labels": {
        "en": "Support to the medical services of the armed forces",
        "ru": "Содействие медицинской службе вооружённых сил",
        "kk": "Қарулы Күштердің медициналық қызметіне жәрдемдесу"}},
    {"key": "ihl-dissemination", "labels": {
        "en": "Dissemination of international humanitarian law",
        "ru": "Распространение знаний о международном гуманитарном праве",
        "kk": "Халықаралық гуманитарлық құқық туралы білімді тарату"}},
    {"key": "disasters", "labels": {
        "en": "Disaster management and civil protection",
        "ru": "Реагирование на бедствия и гражданская защита",
        "kk": "Апаттарға әрекет ету және азаматтық қорғау"}},
    {"key": "first-aid-health", "labels": {
        "en": "First aid, public health and blood donation",
        "ru": "Первая помощь, общественное здравоохранение и донорство крови",
        "kk": "Алғашқы көмек, қоғамдық денсаулық сақтау және қан донорлығы"}},
    {"key": "volunteers", "labels": {
        "en": "Volunteers: status, insurance and safety",
        "ru": "Добровольцы: статус, страхование и безопасность",
        "kk": "Еріктілер: мәртебе, сақтандыру және қауіпсіздік"}},
]

TOPIC_KEYS: dict[str, str] = {t["labels"]["en"]: t["key"] for t in TOPICS}


_SCHOOL = "Narxoz University — School of Law and Public Administration"
_ICRC = "International Committee of the Red Cross (ICRC)"
_RCSK = "Red Crescent Society of Kazakhstan"
_MAZHILIS = "Mazhilis of the Parliament of the Republic of Kazakhstan"

PEOPLE: list[dict[str, Any]] = [
    {
        "username": "admin",
        "display_name": "Saule Temirbekova",
        "role": "admin",
        "organisation": _SCHOOL,
        "group": "Faculty",
        "consent_named": True,
        "email": "s.temirbekova@example.org",
    },
    {
        "username": "moderator",
        "display_name": "Yerlan Abdikadyrov",
        "role": "moderator",
        "organisation": _SCHOOL,
        "group": "Faculty",
        "consent_named": True,
        "email": "y.abdikadyrov@example.org",
    },
    {
        "username": "expert1",
        "display_name": "Jonas Aebischer",
        "role": "expert",
        "organisation": _ICRC,
        "group": "ICRC",
        "consent_named": True,
        "email": "j.aebischer@example.org",
    },
    {
        "username": "expert2",
        "display_name": "Dilnaz Yesmagambetova",
        "role": "expert",
        "organisation": _ICRC,
        "group": "ICRC",
        "consent_named": True,
        "email": "d.yesmagambetova@example.org",
    },
    {
        "username": "expert3",
        "display_name": "Bolat Zhakupbekov",
        "role": "expert",
        "organisation": _RCSK,
        "group": "Red Crescent Society",
        "consent_named": True,
        "email": "b.zhakupbekov@example.org",
    },
    {
        "username": "expert4",
        "display_name": "Irina Kovalenko",
        "role": "expert",
        "organisation": _RCSK,
        "group": "Red Crescent Society",
        "consent_named": True,
        "email": "i.kovalenko@example.org",
    },
    {
        "username": "expert5",
        "display_name": "Aizhan Mukhtarkyzy",
        "role": "expert",
        "organisation": _SCHOOL,
        "group": "Faculty",
        "consent_named": True,
        "email": "a.mukhtarkyzy@example.org",
    },
    {
        # Declines to be named in the memo: listed as "a participant" of the Parliament group.
        "username": "expert6",
        "display_name": "Serik Tleuberdin",
        "role": "expert",
        "organisation": _MAZHILIS,
        "group": "Parliament",
        "consent_named": False,
        "email": "s.tleuberdin@example.org",
    },
    {
        "username": "observer",
        "display_name": "Timur Yermekov",
        "role": "observer",
        "organisation": _SCHOOL,
        "group": "Students",
        "consent_named": True,
        "email": "t.yermekov@example.org",
    },
]

# ---------------------------------------------------------------------------------------------
# Recommendations
# ---------------------------------------------------------------------------------------------

RECOMMENDATIONS: list[dict[str, Any]] = [
    # 1 ------------------------------------------------------------------------------------
    {
        "key": "recognition",
        "topic": "Recognition and auxiliary status",
        "priority": "high",
        "author": "expert3",
        "content": {
            "en": {
                "title": "Recognise the Red Crescent Society of Kazakhstan by law",
                "text": (
                    "Parliament should adopt a law that recognises the Red Crescent Society of "
                    "Kazakhstan as the single National Society on the territory of the Republic of "
                    "Kazakhstan. The law should describe the Society as a voluntary aid society, "
                    "auxiliary to the public authorities in the humanitarian field. No other "
                    "organisation should be recognised or allowed to present itself as the National "
                    "Society."
                ),
                "rationale": (
                    "Recognition by the Government as a voluntary aid society auxiliary to the "
                    "public authorities is one of the conditions of recognition under the Statutes "
                    "of the Movement. A dedicated law would make the Society's status clear and "
                    "stable."
                ),
                "legal_basis": "Statutes of the Movement Art. 4 (ten conditions of recognition)",
                "responsible_body": "Mazhilis; Government of the Republic of Kazakhstan",
            },
        },
        "revisions": [
            {
                "author": "moderator",
                "note": (
                    "Tightened the single-society rule, added the right to the name and emblem, "
                    "and added GC I Art. 26 to the legal basis (comment by expert1)."
                ),
                "content": {
                    "en": {
                        "title": "Recognise the Red Crescent Society of Kazakhstan by law",
                        "text": (
                            "Parliament should adopt a law that recognises the Red Crescent Society "
                            "of Kazakhstan as the **single** National Society on the territory of "
                            "the Republic of Kazakhstan, auxiliary to the public authorities in the "
                            "humanitarian field. The law should confirm the Society's legal "
                            "personality and its right to use the name and emblem of the red "
                            "crescent. No other organisation may be recognised as, or present "
                            "itself as, the National Society."
                        ),
                        "rationale": (
                            "Among the conditions of recognition in Art. 4 of the Statutes of the "
                            "Movement are that the Society be the only National Society in its "
                            "State and be duly recognised by its legal government as a voluntary "
                            "aid society, auxiliary to the public authorities in the humanitarian "
                            "field. A dedicated law sets out that status in one act and makes it "
                            "stable and foreseeable for both the State and the Society. GC I "
                            "Art. 26 likewise presupposes that the National Society is duly "
                            "recognised and authorised by its Government."
                        ),
                        "legal_basis": (
                            "Statutes of the Movement Art. 4 (ten conditions of recognition); "
                            "GC I Art. 26"
                        ),
                        "responsible_body": (
                            "Mazhilis; Government of the Republic of Kazakhstan "
                            "(Ministry of Foreign Affairs)"
                        ),
                    },
                },
            },
            {
                "author": "expert3",
                "note": "Added the Russian and Kazakh versions; the English text is unchanged.",
                "content": {
                    "en": {
                        "title": "Recognise the Red Crescent Society of Kazakhstan by law",
                        "text": (
                            "Parliament should adopt a law that recognises the Red Crescent Society "
                            "of Kazakhstan as the **single** National Society on the territory of "
                            "the Republic of Kazakhstan, auxiliary to the public authorities in the "
                            "humanitarian field. The law should confirm the Society's legal "
                            "personality and its right to use the name and emblem of the red "
                            "crescent. No other organisation may be recognised as, or present "
                            "itself as, the National Society."
                        ),
                        "rationale": (
                            "Among the conditions of recognition in Art. 4 of the Statutes of the "
                            "Movement are that the Society be the only National Society in its "
                            "State and be duly recognised by its legal government as a voluntary "
                            "aid society, auxiliary to the public authorities in the humanitarian "
                            "field. A dedicated law sets out that status in one act and makes it "
                            "stable and foreseeable for both the State and the Society. GC I "
                            "Art. 26 likewise presupposes that the National Society is duly "
                            "recognised and authorised by its Government."
                        ),
                        "legal_basis": (
                            "Statutes of the Movement Art. 4 (ten conditions of recognition); "
                            "GC I Art. 26"
                        ),
                        "responsible_body": (
                            "Mazhilis; Government of the Republic of Kazakhstan "
                            "(Ministry of Foreign Affairs)"
                        ),
                    },
                    "ru": {
                        "title": "Признать Общество Красного Полумесяца Республики Казахстан законом",
                        "text": (
                            "Парламенту следует принять закон, признающий Общество Красного "
                            "Полумесяца Республики Казахстан **единственным** национальным "
                            "обществом на территории Республики Казахстан, вспомогательным по "
                            "отношению к государственным органам в гуманитарной области. Закон "
                            "должен подтвердить правосубъектность Общества и его право использовать "
                            "наименование и эмблему красного полумесяца. Никакая иная организация "
                            "не может быть признана национальным обществом или выступать в этом "
                            "качестве."
                        ),
                        "rationale": (
                            "Среди условий признания, установленных статьёй 4 Устава Движения, — "
                            "то, что общество является единственным национальным обществом в своём "
                            "государстве и должным образом признано законным правительством в "
                            "качестве добровольного общества помощи, вспомогательного по отношению "
                            "к государственным органам в гуманитарной области. Специальный закон "
                            "закрепляет этот статус в одном акте и делает его стабильным и "
                            "предсказуемым как для государства, так и для Общества. Статья 26 "
                            "I Женевской конвенции также исходит из того, что национальное "
                            "общество должным образом признано и уполномочено своим правительством."
                        ),
                        "legal_basis": (
                            "Устав Движения, ст. 4 (десять условий признания); "
                            "I Женевская конвенция, ст. 26"
                        ),
                        "responsible_body": (
                            "Мажилис; Правительство Республики Казахстан "
                            "(Министерство иностранных дел)"
                        ),
                    },
                    "kk": {
                        "title": "Қазақстан Республикасының Қызыл Жарты Ай Қоғамын заңмен тану",
                        "text": (
                            "Парламент Қазақстан Республикасының Қызыл Жарты Ай Қоғамын Қазақстан "
                            "Республикасының аумағындағы **жалғыз** ұлттық қоғам әрі гуманитарлық "
                            "салада мемлекеттік органдарға көмекші ұйым ретінде танитын заң "
                            "қабылдауға тиіс. Заң Қоғамның құқық субъектілігін және оның қызыл "
                            "жарты ай атауы мен эмблемасын пайдалану құқығын бекітуі қажет. Ешбір "
                            "басқа ұйым ұлттық қоғам ретінде танылмауға және өзін ұлттық қоғам деп "
                            "атамауға тиіс."
                        ),
                        "rationale": (
                            "Қозғалыс Жарғысының 4-бабында белгіленген тану шарттарының қатарында "
                            "қоғамның өз мемлекетіндегі жалғыз ұлттық қоғам болуы және заңды "
                            "үкіметтің оны гуманитарлық салада мемлекеттік органдарға көмекші "
                            "ерікті көмек қоғамы ретінде тиісінше тануы бар. Арнайы заң бұл "
                            "мәртебені бір актіде бекітіп, оны мемлекет үшін де, Қоғам үшін де "
                            "тұрақты әрі болжамды етеді. I Женева конвенциясының 26-бабы да ұлттық "
                            "қоғамның өз үкіметі тарапынан тиісінше танылып, уәкілеттік алғанын "
                            "көздейді."
                        ),
                        "legal_basis": (
                            "Қозғалыс Жарғысының 4-бабы (танудың он шарты); "
                            "I Женева конвенциясының 26-бабы"
                        ),
                        "responsible_body": (
                            "Мәжіліс; Қазақстан Республикасының Үкіметі "
                            "(Сыртқы істер министрлігі)"
                        ),
                    },
                },
            },
        ],
    },
    # 2 ------------------------------------------------------------------------------------
    {
        "key": "auxiliary_role",
        "topic": "Auxiliary role",
        "priority": "high",
        "author": "expert4",
        "content": {
            "en": {
                "title": "Define the fields of the auxiliary role",
                "text": (
                    "The law should state that the Society supports the public authorities in the "
                    "humanitarian field while remaining free to decline tasks that are incompatible "
                    "with the Fundamental Principles. It should list the main fields in which the "
                    "Society supplements public services:\n"
                    "- assistance to people affected by emergencies and armed conflict;\n"
                    "- first aid training and health promotion;\n"
                    "- tracing and restoring family links;\n"
                    "- dissemination of international humanitarian law.\n"
                    "The list should remain open, so that the Government and the Society can agree "
                    "further tasks in writing."
                ),
                "rationale": (
                    "The auxiliary role is a specific partnership: the State may rely on the "
                    "Society, but the Society is not a state body. The resolutions of the 30th and "
                    "31st International Conferences describe the auxiliary role as a specific and "
                    "balanced partnership with mutual responsibilities. A list in the law gives "
                    "public bodies a clear basis for cooperation without closing off new areas of "
                    "work."
                ),
                "legal_basis": "30th International Conference Res. 2 (2007); 31st Res. 4 (2011)",
                "responsible_body": "Mazhilis; Government of the Republic of Kazakhstan",
            },
            "ru": {
                "title": "Определить сферы вспомогательной роли",
                "text": (
                    "Закон должен установить, что Общество содействует государственным органам в "
                    "гуманитарной области, сохраняя право отказаться от задач, несовместимых с "
                    "Основополагающими принципами. В законе следует перечислить основные сферы, в "
                    "которых Общество дополняет государственные услуги:\n"
                    "- помощь пострадавшим от чрезвычайных ситуаций и вооружённых конфликтов;\n"
                    "- обучение первой помощи и укрепление здоровья;\n"
                    "- розыск и восстановление семейных связей;\n"
                    "- распространение знаний о международном гуманитарном праве.\n"
                    "Перечень должен оставаться открытым, чтобы Правительство и Общество могли "
                    "согласовывать иные задачи в письменной форме."
                ),
                "rationale": (
                    "Вспомогательная роль — это особое партнёрство: государство может опираться на "
                    "Общество, но Общество не является государственным органом. Резолюции 30-й и "
                    "31-й Международных конференций описывают вспомогательную роль как особое и "
                    "сбалансированное партнёрство со взаимными обязанностями. Перечень в законе "
                    "даёт государственным органам ясную основу для сотрудничества, не закрывая "
                    "новых направлений работы."
                ),
                "legal_basis": (
                    "30-я Международная конференция, рез. 2 (2007 г.); "
                    "31-я Международная конференция, рез. 4 (2011 г.)"
                ),
                "responsible_body": "Мажилис; Правительство Республики Казахстан",
            },
        },
    },
    # 3 ------------------------------------------------------------------------------------
    {
        "key": "autonomy",
        "topic": "Autonomy and the Fundamental Principles",
        "priority": "high",
        "author": "expert1",
        "content": {
            "en": {
                "title": "Guarantee the Society's autonomy",
                "text": (
                    "The law should oblige the public authorities to respect at all times the "
                    "Society's adherence to the Fundamental Principles, in particular neutrality, "
                    "impartiality and independence. Suggested wording:\n"
                    "> The public authorities shall respect at all times the adherence of the Red "
                    "Crescent Society of Kazakhstan to the Fundamental Principles of the "
                    "International Red Cross and Red Crescent Movement.\n"
                    "The Society should determine its governance, membership and programmes under "
                    "its own statutes, and public funding should not be made conditional on any "
                    "departure from the Principles."
                ),
                "rationale": (
                    "The Statutes of the Movement require States to respect at all times the "
                    "adherence of all components of the Movement to the Fundamental Principles. "
                    "Autonomy is what allows the Society to be trusted by all and to reach people "
                    "in need, especially in times of tension and armed conflict. Cooperation with "
                    "the State and public funding are compatible with autonomy as long as the "
                    "Society keeps control of its own decisions."
                ),
                "legal_basis": "Fundamental Principles (1965); Statutes Art. 2",
                "responsible_body": "Mazhilis",
            },
        },
    },
    # 4 ------------------------------------------------------------------------------------
    {
        "key": "emblem_use",
        "topic": "Emblem: use and protection",
        "priority": "high",
        "author": "expert1",
        "content": {
            "en": {
                "title": "Regulate the use and protection of the emblem",
                "text": (
                    "The law should set out who may use the red cross, red crescent and red "
                    "crystal emblems and the names “Red Cross” and “Red Crescent”, and for what "
                    "purpose. It should distinguish the use of the emblem as a protective sign "
                    "from its use as an indicative sign. Any use not authorised by the law should "
                    "be prohibited."
                ),
                "rationale": (
                    "Confusion between protective and indicative use weakens the protection that "
                    "the emblem gives in armed conflict. Clear rules adopted in peacetime make it "
                    "easier to prevent and stop misuse."
                ),
                "legal_basis": "GC I Arts. 38, 44, 53, 54",
                "responsible_body": "Mazhilis; Ministry of Defence; Ministry of Health",
            },
            "ru": {
                "title": "Урегулировать использование и защиту эмблемы",
                "text": (
                    "Закон должен определить, кто и с какой целью вправе использовать эмблемы "
                    "красного креста, красного полумесяца и красного кристалла, а также "
                    "наименования «Красный Крест» и «Красный Полумесяц». Закон должен разграничить "
                    "защитное и опознавательное использование эмблемы. Любое использование, не "
                    "разрешённое законом, должно быть запрещено."
                ),
                "rationale": (
                    "Смешение защитного и опознавательного использования ослабляет защиту, которую "
                    "эмблема обеспечивает во время вооружённого конфликта. Ясные правила, "
                    "установленные в мирное время, облегчают предотвращение и пресечение "
                    "злоупотреблений."
                ),
                "legal_basis": "I Женевская конвенция, ст. 38, 44, 53, 54",
                "responsible_body": "Мажилис; Министерство обороны; Министерство здравоохранения",
            },
        },
        "revisions": [
            {
                "author": "expert2",
                "note": (
                    "Set out protective and indicative use as two numbered cases, added the red "
                    "crystal and AP III, and added the Kazakh version."
                ),
                "content": {
                    "en": {
                        "title": "Regulate the use and protection of the emblem",
                        "text": (
                            "The law should set out who may use the red cross, red crescent and red "
                            "crystal emblems and the names “Red Cross”, “Red Crescent” and “Red "
                            "Crystal”, and for what purpose. It should distinguish two uses:\n"
                            "1. **Protective use**, a visible sign of the protection given by the "
                            "Geneva Conventions: permitted, under the control of the State, for the "
                            "medical services of the armed forces and other authorised medical "
                            "units, personnel and transports.\n"
                            "2. **Indicative use**, showing a link with the Movement: permitted for "
                            "the Society and the international components of the Movement, within "
                            "the limits set by GC I Art. 44.\n"
                            "Any use not authorised by the law should be prohibited."
                        ),
                        "rationale": (
                            "Confusion between protective and indicative use weakens the protection "
                            "that the emblem gives in armed conflict. Kazakhstan ratified AP III in "
                            "2009, so the law should also cover the red crystal. Clear rules "
                            "adopted in peacetime make it easier to prevent misuse and to stop it "
                            "when it occurs."
                        ),
                        "legal_basis": "GC I Arts. 38, 44, 53, 54; AP III (red crystal)",
                        "responsible_body": "Mazhilis; Ministry of Defence; Ministry of Health",
                    },
                    "ru": {
                        "title": "Урегулировать использование и защиту эмблемы",
                        "text": (
                            "Закон должен определить, кто и с какой целью вправе использовать "
                            "эмблемы красного креста, красного полумесяца и красного кристалла, а "
                            "также наименования «Красный Крест», «Красный Полумесяц» и «Красный "
                            "Кристалл». Следует разграничить два вида использования:\n"
                            "1. **Защитное использование** — видимый знак защиты, предоставляемой "
                            "Женевскими конвенциями: под контролем государства оно разрешается "
                            "медицинской службе вооружённых сил и другим уполномоченным "
                            "медицинским формированиям, персоналу и транспортным средствам.\n"
                            "2. **Опознавательное использование** — указание на связь с Движением: "
                            "оно разрешается Обществу и международным компонентам Движения в "
                            "пределах, установленных статьёй 44 I Женевской конвенции.\n"
                            "Любое использование, не разрешённое законом, должно быть запрещено."
                        ),
                        "rationale": (
                            "Смешение защитного и опознавательного использования ослабляет защиту, "
                            "которую эмблема обеспечивает во время вооружённого конфликта. "
                            "Казахстан ратифицировал Дополнительный протокол III в 2009 г., поэтому "
                            "закон должен охватывать и красный кристалл. Ясные правила, "
                            "установленные в мирное время, облегчают предотвращение "
                            "злоупотреблений и их пресечение."
                        ),
                        "legal_basis": (
                            "I Женевская конвенция, ст. 38, 44, 53, 54; "
                            "Дополнительный протокол III (красный кристалл)"
                        ),
                        "responsible_body": (
                            "Мажилис; Министерство обороны; Министерство здравоохранения"
                        ),
                    },
                    "kk": {
                        "title": "Эмблеманы пайдалану мен қорғауды реттеу",
                        "text": (
                            "Заң қызыл крест, қызыл жарты ай және қызыл кристалл эмблемаларын, "
                            "сондай-ақ «Қызыл Крест», «Қызыл Жарты Ай» және «Қызыл Кристалл» "
                            "атауларын кімнің және қандай мақсатта пайдалана алатынын айқындауға "
                            "тиіс. Пайдаланудың екі түрін ажырату қажет:\n"
                            "1. **Қорғаныштық пайдалану** — Женева конвенцияларында көзделген "
                            "қорғаудың көрінетін белгісі: мемлекеттің бақылауымен қарулы күштердің "
                            "медициналық қызметіне және басқа да уәкілетті медициналық "
                            "құрамаларға, персоналға және көлік құралдарына рұқсат етіледі.\n"
                            "2. **Тиесілілікті көрсету үшін пайдалану** — Қозғалыспен байланысты "
                            "көрсетеді: Қоғамға және Қозғалыстың халықаралық құрамдас бөліктеріне "
                            "I Женева конвенциясының 44-бабында белгіленген шектерде рұқсат "
                            "етіледі.\n"
                            "Заңда рұқсат етілмеген кез келген пайдалануға тыйым салынуға тиіс."
                        ),
                        "rationale": (
                            "Қорғаныштық пайдалану мен тиесілілікті көрсету үшін пайдалануды "
                            "шатастыру эмблеманың қарулы қақтығыс кезіндегі қорғау күшін "
                            "әлсіретеді. Қазақстан III Қосымша хаттаманы 2009 жылы ратификациялады, "
                            "сондықтан заң қызыл кристалды да қамтуы қажет. Бейбіт уақытта "
                            "белгіленген айқын қағидалар теріс пайдаланудың алдын алуды және оны "
                            "тоқтатуды жеңілдетеді."
                        ),
                        "legal_basis": (
                            "I Женева конвенциясының 38, 44, 53, 54-баптары; "
                            "III Қосымша хаттама (қызыл кристалл)"
                        ),
                        "responsible_body": (
                            "Мәжіліс; Қорғаныс министрлігі; Денсаулық сақтау министрлігі"
                        ),
                    },
                },
            },
        ],
    },
    # 5 ------------------------------------------------------------------------------------
    {
        "key": "emblem_penalties",
        "topic": "Penalties for misuse and perfidy",
        "priority": "high",
        "author": "expert5",
        "content": {
            "en": {
                "title": "Make misuse of the emblem an offence",
                "text": (
                    "Parliament should make any unauthorised use of the emblems, of the names "
                    "“Red Cross”, “Red Crescent” and “Red Crystal”, and of imitations likely to "
                    "cause confusion, an offence. Liability should be graded:\n"
                    "- administrative liability for commercial and other misuse in peacetime;\n"
                    "- criminal liability for perfidious use of the emblem in armed conflict "
                    "causing death or serious injury to body or health.\n"
                    "The courts should be able to order the removal of the sign and the "
                    "confiscation of goods bearing it."
                ),
                "rationale": (
                    "GC I Art. 54 requires States to take measures at all times to prevent and "
                    "repress misuse of the emblem, and AP I Art. 85(3)(f) treats perfidious use of "
                    "the emblem, committed wilfully and causing death or serious injury, as a grave "
                    "breach. Graded liability keeps the response proportionate: peacetime misuse, "
                    "often commercial, calls for a different response than perfidy in armed "
                    "conflict."
                ),
                "legal_basis": "GC I Art. 54; AP I Art. 85(3)(f)",
                "responsible_body": "Mazhilis; Ministry of Justice",
            },
            "ru": {
                "title": "Установить ответственность за неправомерное использование эмблемы",
                "text": (
                    "Парламенту следует признать правонарушением любое несанкционированное "
                    "использование эмблем, наименований «Красный Крест», «Красный Полумесяц» и "
                    "«Красный Кристалл», а также сходных с ними обозначений, способных ввести в "
                    "заблуждение. Ответственность должна быть дифференцированной:\n"
                    "- административная — за коммерческое и иное неправомерное использование в "
                    "мирное время;\n"
                    "- уголовная — за вероломное использование эмблемы во время вооружённого "
                    "конфликта, повлёкшее смерть или тяжкий вред здоровью.\n"
                    "Суд должен иметь возможность обязать удалить обозначение и конфисковать "
                    "товары, на которые оно нанесено."
                ),
                "rationale": (
                    "Статья 54 I Женевской конвенции обязывает государства во всякое время "
                    "принимать меры для предотвращения и пресечения злоупотреблений эмблемой, а "
                    "статья 85(3)(f) Дополнительного протокола I относит умышленное вероломное "
                    "использование эмблемы, повлёкшее смерть или тяжкий вред здоровью, к серьёзным "
                    "нарушениям. Дифференцированная ответственность обеспечивает соразмерность: "
                    "злоупотребления в мирное время, нередко коммерческие, требуют иной реакции, "
                    "чем вероломство во время вооружённого конфликта."
                ),
                "legal_basis": "I Женевская конвенция, ст. 54; Дополнительный протокол I, ст. 85(3)(f)",
                "responsible_body": "Мажилис; Министерство юстиции",
            },
        },
    },
    # 6 ------------------------------------------------------------------------------------
    {
        "key": "competent_authority",
        "topic": "Competent authority for the emblem",
        "priority": "low",
        "author": "expert6",
        "content": {
            "en": {
                "title": "Designate a single authority for every use of the emblem",
                "text": (
                    "The law should designate the Ministry of Justice as the single competent "
                    "authority that authorises and supervises every use of the emblems, including "
                    "the indicative use by the Society. The Ministry should keep a register of "
                    "authorised users, carry out inspections and report annually to the Government "
                    "on the misuse it has detected."
                ),
                "rationale": (
                    "A single authority with one register would make supervision simple and "
                    "transparent. The ICRC Model Law on the emblems provides for a competent "
                    "authority that authorises and supervises the use of the emblem."
                ),
                "legal_basis": "ICRC Model Law on the emblems",
                "responsible_body": (
                    "Mazhilis; Government of the Republic of Kazakhstan (Ministry of Justice)"
                ),
            },
        },
    },
    # 7 ------------------------------------------------------------------------------------
    {
        "key": "tax_facilities",
        "topic": "Tax, customs and VAT facilities",
        "priority": "medium",
        "author": "expert6",
        "content": {
            "en": {
                "title": "Grant tax and customs facilities",
                "text": (
                    "The law should exempt the Society from corporate income tax, VAT and customs "
                    "duties on all its activities and on all goods it imports. Donations to the "
                    "Society should be fully deductible for individual and corporate donors."
                ),
                "rationale": (
                    "Facilities allow the Society to direct more of its resources to people in "
                    "need. AP I Art. 81 requires parties to a conflict to grant their National "
                    "Societies the facilities needed for their humanitarian activities."
                ),
                "legal_basis": "AP I Art. 81",
                "responsible_body": "Mazhilis; Ministry of Finance (State Revenue Committee)",
            },
        },
        "revisions": [
            {
                "author": "expert6",
                "note": (
                    "Narrowed the facilities to humanitarian goods and donations after the "
                    "discussion on fiscal cost; moved the details to tax and customs legislation; "
                    "added the Russian version."
                ),
                "content": {
                    "en": {
                        "title": "Grant targeted tax and customs facilities",
                        "text": (
                            "The law should provide targeted facilities for the Society's "
                            "humanitarian activities:\n"
                            "1. exemption from customs duties and VAT for humanitarian goods "
                            "imported for relief operations;\n"
                            "2. expedited customs clearance of relief consignments in emergencies;\n"
                            "3. a tax deduction for donations to the Society.\n"
                            "The detailed rules should be placed in the Tax Code and customs "
                            "legislation, not in the law on the Society itself."
                        ),
                        "rationale": (
                            "AP I Art. 81 requires parties to a conflict to grant their National "
                            "Societies the facilities needed for their humanitarian activities, and "
                            "such facilities are best prepared in peacetime. Limiting relief to "
                            "humanitarian goods and donations keeps the fiscal cost foreseeable and "
                            "answers the objection that a general exemption would be hard to "
                            "justify."
                        ),
                        "legal_basis": "AP I Art. 81",
                        "responsible_body": (
                            "Mazhilis; Ministry of Finance (State Revenue Committee)"
                        ),
                    },
                    "ru": {
                        "title": "Предоставить целевые налоговые и таможенные льготы",
                        "text": (
                            "Закон должен предусмотреть целевые льготы для гуманитарной "
                            "деятельности Общества:\n"
                            "1. освобождение от таможенных пошлин и НДС гуманитарных грузов, "
                            "ввозимых для оказания помощи;\n"
                            "2. ускоренное таможенное оформление грузов помощи в чрезвычайных "
                            "ситуациях;\n"
                            "3. налоговый вычет для пожертвований Обществу.\n"
                            "Конкретные нормы следует включить в Налоговый кодекс и таможенное "
                            "законодательство, а не в сам закон об Обществе."
                        ),
                        "rationale": (
                            "Статья 81 Дополнительного протокола I обязывает стороны в конфликте "
                            "предоставлять своим национальным обществам возможности, необходимые "
                            "для их гуманитарной деятельности, и такие возможности лучше "
                            "подготовить в мирное время. Ограничение льгот гуманитарными грузами и "
                            "пожертвованиями делает бюджетные последствия предсказуемыми и снимает "
                            "возражение о том, что общее освобождение от налогов трудно обосновать."
                        ),
                        "legal_basis": "Дополнительный протокол I, ст. 81",
                        "responsible_body": (
                            "Мажилис; Министерство финансов (Комитет государственных доходов)"
                        ),
                    },
                },
            },
        ],
    },
    # 8 ------------------------------------------------------------------------------------
    {
        "key": "access_conflict",
        "topic": "Access in emergencies and armed conflict",
        "priority": "high",
        "author": "expert2",
        "content": {
            "en": {
                "title": "Secure access to people in need",
                "text": (
                    "The law should guarantee the Society's personnel, vehicles and relief goods "
                    "rapid and unimpeded access to people in need during emergencies and armed "
                    "conflict, subject only to genuine security requirements. It should oblige the "
                    "authorities to give the Society the facilities it needs to visit and assist "
                    "protected persons. The Society's personnel should be able to identify "
                    "themselves with a service card recognised by all state bodies."
                ),
                "rationale": (
                    "GC IV Art. 30 requires the authorities to grant National Societies all "
                    "facilities for assisting protected persons, and Art. 63 allows a recognised "
                    "Society to pursue its activities in occupied territory. Access has to be "
                    "prepared in peacetime: procedures, identity documents and contact points "
                    "cannot be improvised in a crisis."
                ),
                "legal_basis": "GC IV Arts. 30, 63",
                "responsible_body": (
                    "Mazhilis; Ministry of Emergency Situations; Ministry of Defence"
                ),
            },
        },
    },
    # 9 ------------------------------------------------------------------------------------
    {
        "key": "tracing_rfl",
        "topic": "Tracing and restoring family links",
        "priority": "high",
        "author": "expert4",
        "content": {
            "en": {
                "title": "Entrust the Society with tracing",
                "text": (
                    "The law should recognise the Society's tracing service as the national service "
                    "for restoring contact between family members separated by armed conflict, "
                    "disasters or migration. State bodies should answer the Society's tracing "
                    "requests within set time limits."
                ),
                "rationale": (
                    "GC IV Arts. 25–26 protect the exchange of family news and require the parties "
                    "to facilitate enquiries made by members of families dispersed by war. A "
                    "designated service makes the Society a reliable partner for families and for "
                    "the authorities."
                ),
                "legal_basis": "GC IV Arts. 25–26",
                "responsible_body": "Mazhilis; Government of the Republic of Kazakhstan",
            },
            "kk": {
                "title": "Іздестіру қызметін Қоғамға жүктеу",
                "text": (
                    "Заң Қоғамның іздестіру қызметін қарулы қақтығыс, апаттар немесе көші-қон "
                    "салдарынан бір-бірінен айырылып қалған отбасы мүшелері арасындағы байланысты "
                    "қалпына келтіретін ұлттық қызмет ретінде тануға тиіс. Мемлекеттік органдар "
                    "Қоғамның іздестіру сұрауларына белгіленген мерзімде жауап беруге тиіс."
                ),
                "rationale": (
                    "IV Женева конвенциясының 25–26-баптары отбасылық хабар алмасуды қорғайды және "
                    "тараптарды соғыс салдарынан бытырап кеткен отбасы мүшелерінің сұрауларына "
                    "жәрдемдесуге міндеттейді. Арнайы айқындалған қызмет Қоғамды отбасылар үшін де, "
                    "мемлекеттік органдар үшін де сенімді әріптеске айналдырады."
                ),
                "legal_basis": "IV Женева конвенциясының 25–26-баптары",
                "responsible_body": "Мәжіліс; Қазақстан Республикасының Үкіметі",
            },
        },
        "revisions": [
            {
                "author": "expert4",
                "note": (
                    "Added a data-protection safeguard and time limits set by the Government "
                    "(comment by expert2); added the Russian version."
                ),
                "content": {
                    "en": {
                        "title": "Entrust the Society with tracing and restoring family links",
                        "text": (
                            "The law should recognise the Society's tracing service as the national "
                            "service for restoring contact between family members separated by "
                            "armed conflict, disasters or migration. State bodies should answer the "
                            "Society's tracing requests within time limits set by the Government. "
                            "Personal data collected for tracing should be used only for "
                            "humanitarian purposes and should not be disclosed for any other "
                            "purpose without the consent of the person concerned."
                        ),
                        "rationale": (
                            "GC IV Arts. 25–26 protect the exchange of family news and require the "
                            "parties to facilitate enquiries made by members of families dispersed "
                            "by war. A designated service with clear data-protection rules makes "
                            "the Society a reliable partner for families and for the authorities."
                        ),
                        "legal_basis": "GC IV Arts. 25–26",
                        "responsible_body": "Mazhilis; Government of the Republic of Kazakhstan",
                    },
                    "ru": {
                        "title": "Поручить Обществу розыск и восстановление семейных связей",
                        "text": (
                            "Закон должен признать службу розыска Общества национальной службой "
                            "восстановления связей между членами семей, разлучёнными вооружённым "
                            "конфликтом, бедствиями или миграцией. Государственные органы должны "
                            "отвечать на запросы Общества о розыске в сроки, установленные "
                            "Правительством. Персональные данные, собранные для розыска, должны "
                            "использоваться только в гуманитарных целях и не раскрываться для иных "
                            "целей без согласия лица, которого они касаются."
                        ),
                        "rationale": (
                            "Статьи 25–26 IV Женевской конвенции защищают обмен семейными "
                            "известиями и обязывают стороны содействовать розыску, предпринимаемому "
                            "членами семей, разобщённых войной. Определённая законом служба с "
                            "ясными правилами защиты данных делает Общество надёжным партнёром и "
                            "для семей, и для государственных органов."
                        ),
                        "legal_basis": "IV Женевская конвенция, ст. 25–26",
                        "responsible_body": "Мажилис; Правительство Республики Казахстан",
                    },
                    "kk": {
                        "title": (
                            "Іздестіру және отбасылық байланыстарды қалпына келтіру қызметін "
                            "Қоғамға жүктеу"
                        ),
                        "text": (
                            "Заң Қоғамның іздестіру қызметін қарулы қақтығыс, апаттар немесе "
                            "көші-қон салдарынан бір-бірінен айырылып қалған отбасы мүшелері "
                            "арасындағы байланысты қалпына келтіретін ұлттық қызмет ретінде тануға "
                            "тиіс. Мемлекеттік органдар Қоғамның іздестіру сұрауларына Үкімет "
                            "белгілеген мерзімде жауап беруге тиіс. Іздестіру үшін жиналған дербес "
                            "деректер тек гуманитарлық мақсатта пайдаланылуға және адамның "
                            "келісімінсіз өзге мақсатта жария етілмеуге тиіс."
                        ),
                        "rationale": (
                            "IV Женева конвенциясының 25–26-баптары отбасылық хабар алмасуды "
                            "қорғайды және тараптарды соғыс салдарынан бытырап кеткен отбасы "
                            "мүшелерінің сұрауларына жәрдемдесуге міндеттейді. Дербес деректерді "
                            "қорғаудың айқын қағидалары бар арнайы қызмет Қоғамды отбасылар үшін "
                            "де, мемлекеттік органдар үшін де сенімді әріптеске айналдырады."
                        ),
                        "legal_basis": "IV Женева конвенциясының 25–26-баптары",
                        "responsible_body": "Мәжіліс; Қазақстан Республикасының Үкіметі",
                    },
                },
            },
        ],
    },
    # 10 -----------------------------------------------------------------------------------
    {
        "key": "armed_forces_medical",
        "topic": "Support to the medical services of the armed forces",
        "priority": "medium",
        "author": "expert1",
        "content": {
            "en": {
                "title": "Prepare in peacetime to support the medical services of the armed forces",
                "text": (
                    "The law should allow the Society, with the consent of the Government, to place "
                    "personnel and units at the disposal of the medical services of the armed "
                    "forces. While so employed, those personnel should be subject to military laws "
                    "and regulations and should be trained for this role in peacetime."
                ),
                "rationale": (
                    "GC I Art. 26 places the staff of a recognised National Society employed on "
                    "the same duties as military medical personnel on the same footing, provided "
                    "they are subject to military laws and regulations. This works in practice "
                    "only if training and arrangements are in place before a crisis."
                ),
                "legal_basis": "GC I Art. 26",
                "responsible_body": "Mazhilis; Ministry of Defence",
            },
        },
    },
    # 11 -----------------------------------------------------------------------------------
    {
        "key": "ihl_dissemination",
        "topic": "Dissemination of international humanitarian law",
        "priority": "low",
        "author": "expert2",
        "content": {
            "en": {
                "title": "Support the dissemination of international humanitarian law",
                "text": (
                    "The law should recognise the Society's role in disseminating international "
                    "humanitarian law and the Fundamental Principles, in cooperation with the "
                    "public authorities. The State remains responsible for including the study of "
                    "international humanitarian law in:\n"
                    "- military training and the training of law enforcement personnel;\n"
                    "- higher education programmes in law and public administration;\n"
                    "- school and civic education, where appropriate.\n"
                    "The Society should be able to contribute training materials and instructors "
                    "to these programmes."
                ),
                "rationale": (
                    "Under the four Geneva Conventions and AP I, States undertake to disseminate "
                    "the texts as widely as possible, in particular by including their study in "
                    "military and, where possible, civilian instruction. The Society can support "
                    "public bodies in this task, but the obligation remains with the State."
                ),
                "legal_basis": (
                    "GC I Art. 47, GC II Art. 48, GC III Art. 127, GC IV Art. 144, AP I Art. 83"
                ),
                "responsible_body": "Government of the Republic of Kazakhstan; Ministry of Defence",
            },
            "ru": {
                "title": "Содействовать распространению знаний о международном гуманитарном праве",
                "text": (
                    "Закон должен признать роль Общества в распространении знаний о международном "
                    "гуманитарном праве и Основополагающих принципах во взаимодействии с "
                    "государственными органами. Государство по-прежнему отвечает за включение "
                    "изучения международного гуманитарного права:\n"
                    "- в военную подготовку и подготовку сотрудников правоохранительных органов;\n"
                    "- в программы высшего образования по праву и государственному управлению;\n"
                    "- в школьное и гражданское образование, где это уместно.\n"
                    "Общество должно иметь возможность предоставлять для этих программ учебные "
                    "материалы и преподавателей."
                ),
                "rationale": (
                    "В соответствии с четырьмя Женевскими конвенциями и Дополнительным протоколом I "
                    "государства обязуются как можно шире распространять их тексты, в частности "
                    "включать их изучение в программы военной и, по возможности, гражданской "
                    "подготовки. Общество может поддерживать государственные органы в этой работе, "
                    "однако обязанность остаётся за государством."
                ),
                "legal_basis": (
                    "I Женевская конвенция, ст. 47; II Женевская конвенция, ст. 48; "
                    "III Женевская конвенция, ст. 127; IV Женевская конвенция, ст. 144; "
                    "Дополнительный протокол I, ст. 83"
                ),
                "responsible_body": "Правительство Республики Казахстан; Министерство обороны",
            },
            "kk": {
                "title": "Халықаралық гуманитарлық құқықты таратуға жәрдемдесу",
                "text": (
                    "Заң Қоғамның мемлекеттік органдармен өзара іс-қимыл жасай отырып, халықаралық "
                    "гуманитарлық құқық пен Негізгі қағидаттарды таратудағы рөлін тануға тиіс. "
                    "Халықаралық гуманитарлық құқықты оқытуды мыналарға енгізу үшін мемлекет "
                    "жауапты болып қала береді:\n"
                    "- әскери даярлыққа және құқық қорғау органдары қызметкерлерін даярлауға;\n"
                    "- құқық және мемлекеттік басқару бойынша жоғары білім беру бағдарламаларына;\n"
                    "- қажет болған жағдайда мектептегі және азаматтық білім беруге.\n"
                    "Қоғам бұл бағдарламалар үшін оқу материалдары мен оқытушыларды ұсына алуы "
                    "қажет."
                ),
                "rationale": (
                    "Төрт Женева конвенциясына және I Қосымша хаттамаға сәйкес мемлекеттер олардың "
                    "мәтіндерін мүмкіндігінше кең таратуға, атап айтқанда оларды оқып-үйренуді "
                    "әскери және мүмкіндігінше азаматтық оқыту бағдарламаларына енгізуге "
                    "міндеттенеді. Қоғам бұл жұмыста мемлекеттік органдарға қолдау көрсете алады, "
                    "алайда міндет мемлекетте қалады."
                ),
                "legal_basis": (
                    "I Женева конвенциясының 47-бабы; II Женева конвенциясының 48-бабы; "
                    "III Женева конвенциясының 127-бабы; IV Женева конвенциясының 144-бабы; "
                    "I Қосымша хаттаманың 83-бабы"
                ),
                "responsible_body": "Қазақстан Республикасының Үкіметі; Қорғаныс министрлігі",
            },
        },
    },
    # 12 -----------------------------------------------------------------------------------
    {
        "key": "disaster_management",
        "topic": "Disaster management and civil protection",
        "priority": "medium",
        "author": "expert3",
        "content": {
            "en": {
                "title": "Give the Society a defined place in civil protection",
                "text": (
                    "The law should recognise the Society as a partner of the state civil "
                    "protection system in disaster preparedness, response and recovery. The "
                    "Society should be represented in the relevant coordination bodies and "
                    "included in national and local emergency plans, while keeping its own "
                    "decision-making. The relationship should be one of *coordination, not "
                    "subordination*."
                ),
                "rationale": (
                    "The 32nd International Conference addressed the strengthening of legal "
                    "frameworks for disaster response, risk reduction and first aid, including the "
                    "role of National Societies. Roles agreed in advance avoid duplication and "
                    "delay when an emergency occurs."
                ),
                "legal_basis": "32nd International Conference Res. 6 (2015)",
                "responsible_body": "Mazhilis; Ministry of Emergency Situations",
            },
        },
    },
    # 13 -----------------------------------------------------------------------------------
    # Drafted in Russian and Kazakh only: an English memo shows a missing-language warning.
    {
        "key": "first_aid_health",
        "topic": "First aid, public health and blood donation",
        "priority": "medium",
        "author": "expert3",
        "content": {
            "kk": {
                "title": (
                    "Қоғамның алғашқы көмекке оқытудағы, қоғамдық денсаулықты сақтаудағы және қан "
                    "донорлығын дамытудағы рөлін бекіту"
                ),
                "text": (
                    "Заң Қоғамның халықты алғашқы көмекке оқыту құқығын және денсаулық сақтау "
                    "саласындағы уәкілетті органмен келісілген бағдарламалар бойынша оқудан "
                    "өткені туралы құжаттар беру құқығын тануға тиіс. Қоғамның қоғамдық денсаулықты "
                    "сақтау бағдарламаларына қатысуға және ерікті өтеусіз қан донорларын тартуға "
                    "жәрдемдесуге мүмкіндігі болуы қажет. Қажетті өзгерістерді салалық заңнамаға, "
                    "ең алдымен Қазақстан Республикасының «Халық денсаулығы және денсаулық сақтау "
                    "жүйесі туралы» кодексіне енгізу қажет."
                ),
                "rationale": (
                    "Медицина қызметкерлері келгенге дейін көрсетілген алғашқы көмек адам өмірін "
                    "сақтап қалады, ал ұлттық қоғамдар халықты алғашқы көмекке оқытумен дәстүрлі "
                    "түрде айналысады. Бұл рөлді заңда бекіту Қоғамның денсаулық сақтау және білім "
                    "беру ұйымдарымен, сондай-ақ жұмыс берушілермен ынтымақтастығын жеңілдетеді. "
                    "Өтеусіз донорлыққа жәрдемдесу қоғамдық денсаулық сақтау міндеттеріне сай "
                    "келеді және мемлекеттік қан қызметін алмастырмайды."
                ),
                "legal_basis": (
                    "Салалық заңнама (Қазақстан Республикасының «Халық денсаулығы және денсаулық "
                    "сақтау жүйесі туралы» кодексі)"
                ),
                "responsible_body": "Мәжіліс; Қазақстан Республикасының Денсаулық сақтау министрлігі",
            },
            "ru": {
                "title": (
                    "Закрепить роль Общества в обучении первой помощи, охране здоровья и донорстве "
                    "крови"
                ),
                "text": (
                    "Закон должен признать право Общества обучать население первой помощи и "
                    "выдавать документы об обучении по программам, согласованным с уполномоченным "
                    "органом в области здравоохранения. Общество должно иметь возможность "
                    "участвовать в программах охраны общественного здоровья и содействовать "
                    "привлечению добровольных безвозмездных доноров крови. Необходимые изменения "
                    "следует внести в отраслевое законодательство, прежде всего в Кодекс "
                    "Республики Казахстан «О здоровье народа и системе здравоохранения»."
                ),
                "rationale": (
                    "Первая помощь, оказанная до прибытия медицинских работников, спасает жизни, а "
                    "национальные общества традиционно занимаются обучением населения первой "
                    "помощи. Закрепление этой роли в законе облегчит сотрудничество Общества с "
                    "организациями здравоохранения и образования, а также с работодателями. "
                    "Содействие безвозмездному донорству отвечает задачам общественного "
                    "здравоохранения и не заменяет государственную службу крови."
                ),
                "legal_basis": (
                    "Отраслевое законодательство (Кодекс Республики Казахстан «О здоровье народа и "
                    "системе здравоохранения»)"
                ),
                "responsible_body": "Мажилис; Министерство здравоохранения Республики Казахстан",
            },
        },
    },
    # 14 -----------------------------------------------------------------------------------
    {
        "key": "volunteers",
        "topic": "Volunteers: status, insurance and safety",
        "priority": "medium",
        "author": "expert4",
        "content": {
            "en": {
                "title": "Protect the Society's volunteers",
                "text": (
                    "The law should recognise the status of the Society's volunteers and "
                    "coordinate it with the general rules on volunteering. Volunteers engaged in "
                    "emergency response should be insured against accidents and given the training "
                    "and protective equipment their tasks require. Volunteers' rights at work or "
                    "in education should not be restricted because they took part in an emergency "
                    "response organised by the Society."
                ),
                "rationale": (
                    "Much of the Society's work depends on volunteers, who are often among the "
                    "first to reach people affected by an emergency. The 32nd International "
                    "Conference addressed the safety and security of humanitarian volunteers. "
                    "Insurance, training and protection of their rights at work or in education "
                    "are what make volunteering possible in practice."
                ),
                "legal_basis": "32nd International Conference Res. 5",
                "responsible_body": "Mazhilis; Ministry of Emergency Situations",
            },
            "kk": {
                "title": "Қоғамның еріктілерін қорғау",
                "text": (
                    "Заң Қоғам еріктілерінің мәртебесін тануға және оны волонтерлік қызмет туралы "
                    "жалпы қағидалармен үйлестіруге тиіс. Төтенше жағдайларға ден қоюға қатысатын "
                    "еріктілер жазатайым оқиғалардан сақтандырылуға, сондай-ақ міндеттеріне сай "
                    "даярлықтан өтіп, қорғаныш жабдықтарымен қамтамасыз етілуге тиіс. Қоғам "
                    "ұйымдастырған төтенше жағдайларға ден қою шараларына қатысқаны үшін "
                    "еріктілердің жұмыс немесе оқу орнындағы құқықтары шектелмеуге тиіс."
                ),
                "rationale": (
                    "Қоғам жұмысының едәуір бөлігі еріктілерге сүйенеді, олар төтенше жағдайдан "
                    "зардап шеккен адамдарға көбінесе алғашқылардың бірі болып жетеді. Қызыл Крест "
                    "пен Қызыл Жарты Айдың 32-Халықаралық конференциясы гуманитарлық еріктілердің "
                    "қауіпсіздігі мәселесін қарады. Сақтандыру, даярлық және жұмыс пен оқу "
                    "орнындағы құқықтардың қорғалуы еріктілікті іс жүзінде мүмкін етеді."
                ),
                "legal_basis": "32-Халықаралық конференцияның 5-қарары",
                "responsible_body": "Мәжіліс; Төтенше жағдайлар министрлігі",
            },
        },
    },
]

# ---------------------------------------------------------------------------------------------
# Amendments
# ---------------------------------------------------------------------------------------------

AMENDMENTS: list[dict[str, Any]] = [
    {
        "rec": "auxiliary_role",
        "proposer": "expert5",
        "content": {
            "en": {
                "title": "Define the fields of the auxiliary role",
                "text": (
                    "The law should state that the Society supports the public authorities in the "
                    "humanitarian field while remaining free to decline tasks that are incompatible "
                    "with the Fundamental Principles. It should list, without limiting them, the "
                    "main fields in which the Society supplements public services:\n"
                    "- assistance to people affected by emergencies and armed conflict;\n"
                    "- first aid training and health promotion;\n"
                    "- social support to older persons, persons with disabilities and migrants in "
                    "need;\n"
                    "- tracing and restoring family links;\n"
                    "- dissemination of international humanitarian law.\n"
                    "Further tasks should be agreed between the Government and the Society in "
                    "writing and may not be imposed on the Society unilaterally."
                ),
                "rationale": (
                    "The auxiliary role is a specific partnership: the State may rely on the "
                    "Society, but the Society is not a state body. The resolutions of the 30th and "
                    "31st International Conferences describe the auxiliary role as a specific and "
                    "balanced partnership with mutual responsibilities. A list in the law gives "
                    "public bodies a clear basis for cooperation without closing off new areas of "
                    "work."
                ),
                "legal_basis": "30th International Conference Res. 2 (2007); 31st Res. 4 (2011)",
                "responsible_body": "Mazhilis; Government of the Republic of Kazakhstan",
            },
            "ru": {
                "title": "Определить сферы вспомогательной роли",
                "text": (
                    "Закон должен установить, что Общество содействует государственным органам в "
                    "гуманитарной области, сохраняя право отказаться от задач, несовместимых с "
                    "Основополагающими принципами. В законе следует перечислить, не ограничиваясь "
                    "ими, основные сферы, в которых Общество дополняет государственные услуги:\n"
                    "- помощь пострадавшим от чрезвычайных ситуаций и вооружённых конфликтов;\n"
                    "- обучение первой помощи и укрепление здоровья;\n"
                    "- социальная поддержка нуждающихся пожилых людей, лиц с инвалидностью и "
                    "мигрантов;\n"
                    "- розыск и восстановление семейных связей;\n"
                    "- распространение знаний о международном гуманитарном праве.\n"
                    "Иные задачи согласовываются Правительством и Обществом в письменной форме и "
                    "не могут возлагаться на Общество в одностороннем порядке."
                ),
                "rationale": (
                    "Вспомогательная роль — это особое партнёрство: государство может опираться на "
                    "Общество, но Общество не является государственным органом. Резолюции 30-й и "
                    "31-й Международных конференций описывают вспомогательную роль как особое и "
                    "сбалансированное партнёрство со взаимными обязанностями. Перечень в законе "
                    "даёт государственным органам ясную основу для сотрудничества, не закрывая "
                    "новых направлений работы."
                ),
                "legal_basis": (
                    "30-я Международная конференция, рез. 2 (2007 г.); "
                    "31-я Международная конференция, рез. 4 (2011 г.)"
                ),
                "responsible_body": "Мажилис; Правительство Республики Казахстан",
            },
        },
        "justification": (
            "Social support to vulnerable groups is a substantial field of the Society's work and "
            "belongs in the list. The last sentence makes clear that further tasks require the "
            "Society's agreement and cannot be imposed on it."
        ),
        "outcome": "accepted",
    },
    {
        "rec": "armed_forces_medical",
        "proposer": "expert3",
        "content": {
            "en": {
                "title": "Prepare in peacetime to support the medical services of the armed forces",
                "text": (
                    "The law should allow the Society, with the consent of the Government, to place "
                    "personnel and units at the disposal of the medical services of the armed "
                    "forces. While so employed, those personnel should be subject to military laws "
                    "and regulations and entitled to the protection given to military medical "
                    "personnel. The Ministry of Defence and the Society should conclude a written "
                    "agreement in peacetime on training, equipment, identification and the tasks "
                    "concerned."
                ),
                "rationale": (
                    "GC I Art. 26 places the staff of a recognised National Society employed on "
                    "the same duties as military medical personnel on the same footing, provided "
                    "they are subject to military laws and regulations. This works in practice "
                    "only if training and arrangements are in place before a crisis."
                ),
                "legal_basis": "GC I Art. 26",
                "responsible_body": "Mazhilis; Ministry of Defence",
            },
        },
        "justification": (
            "Without an agreement concluded in peacetime the provision would remain declaratory. "
            "The amendment also states the consequence that matters most to the personnel "
            "concerned: the protection they enjoy."
        ),
        "outcome": "accepted",
    },
    {
        "rec": "emblem_penalties",
        "proposer": "expert5",
        "content": {
            "en": {
                "title": "Make misuse of the emblem a criminal offence",
                "text": (
                    "Parliament should make any unauthorised use of the emblems, of the names "
                    "“Red Cross”, “Red Crescent” and “Red Crystal”, and of imitations likely to "
                    "cause confusion, a criminal offence, whether committed in peacetime or in "
                    "armed conflict. Perfidious use causing death or serious injury to body or "
                    "health should be an aggravated offence. The courts should be able to order "
                    "the removal of the sign and the confiscation of goods bearing it."
                ),
                "rationale": (
                    "GC I Art. 54 requires States to take measures at all times to prevent and "
                    "repress misuse of the emblem. Administrative fines have little deterrent "
                    "effect on commercial users."
                ),
                "legal_basis": "GC I Art. 54; AP I Art. 85(3)(f)",
                "responsible_body": "Mazhilis; Ministry of Justice",
            },
        },
        "justification": (
            "A single criminal offence would signal how seriously the State takes the protection "
            "of the emblem and would be simpler to apply than two regimes."
        ),
        "outcome": "rejected",
        "reason": (
            "Criminal liability for every commercial misuse would be disproportionate and hard to "
            "enforce. The graded approach, with criminal liability reserved for perfidy, is kept."
        ),
    },
    {
        "rec": "disaster_management",
        "proposer": "expert6",
        "content": {
            "en": {
                "title": "Make the Society part of the civil protection system",
                "text": (
                    "The law should make the Society part of the state civil protection system. "
                    "During emergencies the Society's response teams should act under the "
                    "operational command of the Ministry of Emergency Situations and be included "
                    "in national and local emergency plans."
                ),
                "rationale": (
                    "A single chain of command avoids duplication and gaps during an emergency "
                    "response."
                ),
                "legal_basis": "32nd International Conference Res. 6 (2015)",
                "responsible_body": "Mazhilis; Ministry of Emergency Situations",
            },
        },
        "justification": "One chain of command is easier to manage in an emergency.",
        "outcome": "rejected",
        "reason": (
            "Operational subordination to a ministry would be incompatible with the Society's "
            "autonomy (see the recommendation on autonomy). Coordination through the relevant "
            "bodies and plans is preferred."
        ),
    },
    {
        "rec": "access_conflict",
        "proposer": "expert1",
        "content": {
            "en": {
                "title": "Secure access to people in need",
                "text": (
                    "The law should guarantee the Society's personnel, vehicles and relief goods "
                    "rapid and unimpeded access to people in need during emergencies and armed "
                    "conflict, subject only to genuine security requirements. It should oblige the "
                    "authorities to give the Society the facilities it needs to visit and assist "
                    "protected persons. Should any part of the territory come under the control of "
                    "a foreign power, the Society should remain able to pursue its activities there "
                    "in accordance with GC IV Art. 63. The Society's personnel should be able to "
                    "identify themselves with a service card recognised by all state bodies."
                ),
                "rationale": (
                    "GC IV Art. 30 requires the authorities to grant National Societies all "
                    "facilities for assisting protected persons, and Art. 63 allows a recognised "
                    "Society to pursue its activities in occupied territory. Access has to be "
                    "prepared in peacetime: procedures, identity documents and contact points "
                    "cannot be improvised in a crisis."
                ),
                "legal_basis": "GC IV Arts. 30, 63",
                "responsible_body": (
                    "Mazhilis; Ministry of Emergency Situations; Ministry of Defence"
                ),
            },
        },
        "justification": (
            "GC IV Art. 63 is one of the two anchors of this recommendation, but the text does not "
            "reflect it. A neutral, conditional sentence closes the gap."
        ),
        "outcome": "open",
    },
]

# ---------------------------------------------------------------------------------------------
# Comments (list index = the number used by ``reply_to``)
# ---------------------------------------------------------------------------------------------

COMMENTS: list[dict[str, Any]] = [
    # 0
    {
        "rec": "recognition",
        "author": "expert1",
        "body": (
            "The legal basis should also cite GC I Art. 26, which presupposes that the National "
            "Society is duly recognised and authorised by its Government. It would also help to "
            "state expressly that the Society may use the name and the emblem."
        ),
        "state": "published",
        "resolution": "addressed",
    },
    # 1
    {
        "rec": "recognition",
        "author": "expert6",
        "body": (
            "I support the single-society rule. It should be drafted so that it does not affect "
            "other humanitarian associations that use neither the name nor the emblem."
        ),
        "quote": "No other organisation",
        "state": "published",
    },
    # 2
    {
        "rec": "recognition",
        "author": "expert3",
        "reply_to": 1,
        "body": (
            "Agreed. The rule concerns only recognition as the National Society and the use of "
            "the name and emblem; other associations are not affected."
        ),
        "state": "published",
    },
    # 3
    {
        "rec": "recognition",
        "author": "expert5",
        "body": (
            "Not about the text, but could whoever booked the seminar room make sure the projector "
            "works next time? We lost twenty minutes this morning."
        ),
        "state": "hidden",
        "moderation_reason": "Off-topic personal remark",
    },
    # 4
    {
        "rec": "auxiliary_role",
        "author": "expert2",
        "body": (
            "This safeguard is essential. Without it the auxiliary role could be read as a duty to "
            "carry out any task the authorities assign."
        ),
        "quote": "free to decline tasks that are incompatible with the Fundamental Principles",
        "state": "published",
    },
    # 5
    {
        "rec": "auxiliary_role",
        "author": "expert5",
        "body": (
            "The list leaves out social support to vulnerable groups, which is a large part of the "
            "Society's work. I will propose an amendment."
        ),
        "state": "published",
        "resolution": "addressed",
    },
    # 6
    {
        "rec": "auxiliary_role",
        "author": "expert6",
        "body": (
            "Предлагаю закрепить в самом законе порядок заключения соглашений между "
            "Правительством и Обществом. Иначе требование о письменной форме останется "
            "декларативным."
        ),
        "quote": "в письменной форме",
        "state": "published",
        "resolution": "declined",
        "resolution_reason": (
            "The procedure for such agreements is a matter for a Government decree; the law only "
            "needs to require written form and mutual consent."
        ),
    },
    # 7
    {
        "rec": "autonomy",
        "author": "expert6",
        "body": (
            "How would this interact with the ordinary reporting rules for state grants? The "
            "Society should still account for public money."
        ),
        "quote": "public funding should not be made conditional",
        "state": "published",
    },
    # 8
    {
        "rec": "autonomy",
        "author": "expert1",
        "reply_to": 7,
        "body": (
            "It should, and the recommendation does not say otherwise. Autonomy does not exclude "
            "reporting on or audit of public funds; it excludes conditions that would require the "
            "Society to depart from neutrality, impartiality or independence."
        ),
        "state": "published",
    },
    # 9
    {
        "rec": "autonomy",
        "author": "expert4",
        "body": "Same question as above: how does autonomy fit with reporting on state grants?",
        "state": "rejected",
        "moderation_reason": "Duplicate of comment above",
    },
    # 10
    {
        "rec": "emblem_use",
        "author": "expert5",
        "body": (
            "This prohibition needs a sanction, so it should be read together with the "
            "recommendation on penalties. We should also decide whether to follow the separate "
            "emblem laws of Kyrgyzstan (2000) and Tajikistan (2001) or keep the emblem rules in "
            "the law on the Society."
        ),
        "quote": "Any use not authorised by the law should be prohibited",
        "state": "published",
    },
    # 11
    {
        "rec": "emblem_use",
        "author": "expert2",
        "reply_to": 10,
        "body": (
            "A single law with a chapter on the emblem is workable, provided the emblem rules "
            "bind everyone and not only the Society."
        ),
        "state": "published",
    },
    # 12
    {
        "rec": "emblem_use",
        "author": "expert3",
        "body": (
            "Қазақ тіліндегі нұсқада «қорғаныштық пайдалану» және «тиесілілікті көрсету үшін "
            "пайдалану» терминдерін заңның бүкіл мәтінінде бірізді қолдану керек. Олардың орыс "
            "тіліндегі «защитное использование» және «опознавательное использование» "
            "терминдеріне сәйкес келетінін түсіндірме жазбада көрсеткен жөн."
        ),
        "quote": "Қорғаныштық пайдалану",
        "state": "published",
    },
    # 13
    {
        "rec": "emblem_penalties",
        "author": "expert6",
        "body": (
            "Does the Criminal Code already cover perfidious use of the emblem? If so, the "
            "recommendation should ask for an amendment of the existing article rather than a new "
            "offence."
        ),
        "quote": "criminal liability for perfidious use",
        "state": "published",
    },
    # 14
    {
        "rec": "emblem_penalties",
        "author": "expert5",
        "reply_to": 13,
        "body": (
            "Охватывают ли действующие нормы Уголовного кодекса вероломное использование эмблемы, "
            "требует отдельного анализа. Рекомендация сформулирована нейтрально: Парламент может "
            "как дополнить существующую статью, так и ввести новый состав."
        ),
        "state": "published",
    },
    # 15
    {
        "rec": "emblem_penalties",
        "author": "expert1",
        "body": (
            "It would help to give examples of imitations, such as a red cross on a white "
            "background used by pharmacies or private clinics."
        ),
        "quote": "imitations likely to cause confusion",
        "state": "published",
        "resolution": "declined",
        "resolution_reason": (
            "The general formula already covers such designs; examples belong in the explanatory "
            "note to the draft law, not in the recommendation."
        ),
    },
    # 16
    {
        "rec": "competent_authority",
        "author": "expert1",
        "body": (
            "I cannot support this design. Under GC I Art. 44 the Society's indicative use is "
            "governed by national legislation and the Movement's own rules; subjecting it to "
            "authorisation by a ministry would interfere with the Society's autonomy. Protective "
            "use by the medical services of the armed forces is better authorised by the military "
            "authorities."
        ),
        "quote": "including the indicative use by the Society",
        "state": "published",
    },
    # 17
    {
        "rec": "competent_authority",
        "author": "expert3",
        "body": (
            "Общество поддерживает идею единого реестра, но не разрешительный порядок для "
            "собственной деятельности. Разумнее разделить полномочия: Министерство обороны — для "
            "защитного использования медицинской службой вооружённых сил, Министерство "
            "здравоохранения — для гражданских медицинских организаций."
        ),
        "state": "published",
    },
    # 18
    {
        "rec": "competent_authority",
        "author": "expert6",
        "reply_to": 16,
        "body": (
            "The aim was simple supervision, not control over the Society. I am open to a split "
            "model, but one body should keep the register and report to the Government."
        ),
        "state": "published",
    },
    # 19
    {
        "rec": "competent_authority",
        "author": "expert2",
        "body": "Does anyone have the slides from this morning's session? I would like to share them.",
        "state": "hidden",
        "moderation_reason": "Off-topic: not about the text of the recommendation",
    },
    # 20
    {
        "rec": "tax_facilities",
        "author": "expert6",
        "body": (
            "A general exemption from corporate income tax on all activities is unlikely to find "
            "support in Parliament. I suggest limiting relief to humanitarian goods and donations."
        ),
        "state": "published",
        "resolution": "addressed",
    },
    # 21
    {
        "rec": "tax_facilities",
        "author": "expert3",
        "reply_to": 20,
        "body": (
            "Согласны сузить формулировку. Для Общества важнее всего ускоренное таможенное "
            "оформление грузов помощи в чрезвычайных ситуациях: здесь задержки обходятся дороже "
            "всего."
        ),
        "quote": "ускоренное таможенное оформление грузов помощи",
        "state": "published",
    },
    # 22
    {
        "rec": "tax_facilities",
        "author": "expert5",
        "body": (
            "I would keep at least a reference provision in the law on the Society itself; "
            "otherwise the facilities may never reach the Tax Code."
        ),
        "quote": "not in the law on the Society itself",
        "state": "published",
    },
    # 23
    {
        "rec": "tax_facilities",
        "author": "expert2",
        "body": "Agree with the point above: customs clearance is the main issue.",
        "state": "rejected",
        "moderation_reason": "Duplicate of comment above",
    },
    # 24 (open round)
    {
        "rec": "access_conflict",
        "author": "expert1",
        "body": (
            "The second sentence should refer to protected persons within the meaning of GC IV, "
            "so that it is not read more broadly than the Convention."
        ),
        "quote": "protected persons",
        "state": "pending",
    },
    # 25 (open round)
    {
        "rec": "access_conflict",
        "author": "expert6",
        "body": (
            "I am concerned that the open amendment on territory under foreign control could be "
            "read politically. Parliament may prefer wording that speaks only of armed conflict in "
            "general."
        ),
        "quote": "during emergencies and armed conflict",
        "state": "flagged",
        "flag_reason": "Raises a political question beyond the scope of the recommendation",
    },
    # 26 (open round)
    {
        "rec": "access_conflict",
        "author": "expert3",
        "reply_to": 25,
        "body": (
            "The sentence would only restate what already follows from GC IV Art. 63. It does not "
            "refer to any particular situation."
        ),
        "state": "published",
    },
    # 27 (open round)
    {
        "rec": "access_conflict",
        "author": "expert5",
        "body": (
            "Нужно уточнить, какой орган выдаёт служебные удостоверения персоналу Общества и "
            "каким актом закрепляется их признание всеми ведомствами."
        ),
        "quote": "a service card recognised by all state bodies",
        "state": "pending",
    },
    # 28
    {
        "rec": "tracing_rfl",
        "author": "expert2",
        "body": (
            "Tracing files hold sensitive personal data. The recommendation should say that data "
            "collected for tracing are used only for humanitarian purposes."
        ),
        "state": "published",
        "resolution": "addressed",
    },
    # 29
    {
        "rec": "tracing_rfl",
        "author": "expert4",
        "reply_to": 28,
        "body": (
            "Келісемін. Дербес деректерді тек гуманитарлық мақсатта пайдалану туралы ереже жаңа "
            "редакцияға енгізілді."
        ),
        "quote": "тек гуманитарлық мақсатта",
        "state": "published",
    },
    # 30
    {
        "rec": "tracing_rfl",
        "author": "expert6",
        "body": (
            "A time limit written into the law itself, for example thirty days, would be more "
            "effective than leaving it to the Government."
        ),
        "quote": "within time limits set by the Government",
        "state": "published",
        "resolution": "declined",
        "resolution_reason": (
            "Time limits differ by type of request; the Government is better placed to set and "
            "adjust them."
        ),
    },
    # 31
    {
        "rec": "ihl_dissemination",
        "author": "expert5",
        "body": (
            "Құқық және мемлекеттік басқару мектебі халықаралық гуманитарлық құқық бойынша "
            "таңдау курсының бағдарламасын әзірлеп, оны басқа жоғары оқу орындарымен бөлісуге "
            "дайын."
        ),
        "quote": "жоғары білім беру бағдарламаларына",
        "state": "published",
    },
    # 32
    {
        "rec": "disaster_management",
        "author": "expert6",
        "body": (
            "Emergency plans are also prepared at regional level. Should the law mention the local "
            "executive bodies (akimats) expressly?"
        ),
        "quote": "national and local emergency plans",
        "state": "published",
    },
    # 33
    {
        "rec": "first_aid_health",
        "author": "expert5",
        "body": (
            "Стоит уточнить, кто утверждает программы обучения первой помощи: уполномоченный "
            "орган или само Общество по согласованию с ним."
        ),
        "quote": "согласованным с уполномоченным органом",
        "state": "published",
    },
    # 34 (open round)
    {
        "rec": "volunteers",
        "author": "expert5",
        "body": (
            "Who pays for the insurance: the Society, the State or the organisation hosting the "
            "volunteers? The recommendation should say."
        ),
        "quote": "insured against accidents",
        "state": "pending",
    },
    # 35 (open round)
    {
        "rec": "volunteers",
        "author": "expert3",
        "body": (
            "Last spring one of our volunteers was injured during a flood response and had no "
            "accident cover; the treatment was paid for from private donations."
        ),
        "state": "flagged",
        "flag_reason": "May identify an individual volunteer; please check before it stays public",
    },
    # 36 (open round)
    {
        "rec": "volunteers",
        "author": "expert2",
        "reply_to": 35,
        "body": (
            "Cases like this are the reason the requirement matters. The insurance should also "
            "cover volunteers deployed abroad in operations of the Movement."
        ),
        "state": "published",
    },
]

# ---------------------------------------------------------------------------------------------
# How the demo rounds end
# ---------------------------------------------------------------------------------------------

# Still under discussion in an open round: the only recommendations with pending comments,
# open flags or an open amendment.
OPEN_ROUND_KEYS: list[str] = ["access_conflict", "volunteers"]

# No consensus in the Delphi round: carried forward to the next round.
DELPHI_CARRIED_KEY: str = "tax_facilities"

# Rejected in the simple vote.
REJECTED_KEY: str = "competent_authority"
