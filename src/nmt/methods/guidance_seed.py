"""The first edition of the guided workflow, written for NMT by its method-support team.

This is data, not code: it is loaded once by a migration (and by tests after a flush), after which
the national team maintains the guidance in the web app, as new versions. Each row is
``(key, purpose, phase, measure_kind, title_sv, title_en, text_sv, text_en)``.
"""

from __future__ import annotations

from typing import Any

TITLE_SV = "Vägledning vid misstanke om människohandel"
TITLE_EN = "Guidance when human trafficking is suspected"
CHANGE_NOTE = "Första versionen: indikatorer per ändamål och steg från första kontakt till framtid."

INDICATORS = [
    (
        "general-controlled",
        "",
        "Någon annan styr var personen bor, arbetar och rör sig",
        "Someone else controls where the person lives, works and goes",
        "Fråga öppet hur en vanlig dag ser ut. Tecken: personen hämtas och lämnas, har inte egen "
        "nyckel, får inte vara ensam med dig.",
        "Ask openly what an ordinary day looks like. Signs: the person is picked up and dropped "
        "off, has no key of their own, is never left alone with you.",
    ),
    (
        "general-documents",
        "",
        "Pass eller id-handlingar hålls av någon annan",
        "Passport or identity papers are held by someone else",
        "Fråga var handlingarna finns och vem som bestämmer över dem.",
        "Ask where the papers are and who decides over them.",
    ),
    (
        "general-debt",
        "",
        "Skuld till den som ordnat resa, bostad eller arbete",
        "Debt to whoever arranged travel, housing or work",
        "Skulder som växer eller aldrig kan betalas av är ett vanligt kontrollmedel.",
        "Debts that grow or can never be paid off are a common means of control.",
    ),
    (
        "general-threats",
        "",
        "Hot eller våld mot personen eller familjen",
        "Threats or violence against the person or their family",
        "Även hot mot anhöriga i hemlandet räknas. Dokumentera vad personen berättar, med "
        "personens egna ord.",
        "Threats against relatives at home count too. Record what the person tells you, in their "
        "own words.",
    ),
    (
        "general-fear",
        "",
        "Rädsla för myndigheter, polis eller utvisning",
        "Fear of the authorities, the police or deportation",
        "Förklara din roll och vad som händer med uppgifterna innan du ställer frågor.",
        "Explain your role and what happens to the information before you ask questions.",
    ),
    (
        "sexual-advertised",
        "sexual",
        "Annonseras för sexuella tjänster eller flyttas mellan städer",
        "Advertised for sexual services or moved between cities",
        "Korta vistelser på hotell eller i lägenheter som byts ofta är ett tecken.",
        "Short stays in hotels or flats that change often are a sign.",
    ),
    (
        "sexual-no-money",
        "sexual",
        "Lämnar ifrån sig pengarna till någon annan",
        "Hands the money over to someone else",
        "Fråga vem som tar emot betalningen och vad personen själv får behålla.",
        "Ask who receives the payment and what the person is allowed to keep.",
    ),
    (
        "labour-pay",
        "forced_labour",
        "Lön långt under avtal, eller ingen lön alls",
        "Pay far below the agreement, or no pay at all",
        "Jämför med kollektivavtalet för branschen; avdrag för boende och resor kan äta upp lönen.",
        "Compare with the sector's collective agreement; deductions for housing and travel can "
        "swallow the wage.",
    ),
    (
        "labour-hours",
        "forced_labour",
        "Mycket långa arbetsdagar utan ledighet",
        "Very long working days without days off",
        "Arbetsmiljöverket kan bidra med kunskap om branschen och om tidigare inspektioner.",
        "The Work Environment Authority can share knowledge of the sector and earlier inspections.",
    ),
    (
        "labour-housing",
        "forced_labour",
        "Bor på arbetsplatsen eller i boende som arbetsgivaren ordnar",
        "Lives at the workplace or in housing arranged by the employer",
        "Trångboddhet och hyra som dras direkt från lönen är vanliga tecken.",
        "Crowding and rent taken straight out of the wage are common signs.",
    ),
    (
        "begging-handover",
        "begging",
        "Lämnar det insamlade till någon annan",
        "Hands what was collected to someone else",
        "Observera om någon lämnar och hämtar personen på samma plats varje dag.",
        "Watch whether someone drops off and collects the person at the same place every day.",
    ),
    (
        "begging-disability",
        "begging",
        "Funktionsnedsättning, sjukdom eller ung ålder utnyttjas",
        "A disability, illness or young age is exploited",
        "Personer i särskilt utsatt läge placeras där de väcker mest medkänsla.",
        "People in a particularly vulnerable position are placed where they arouse most sympathy.",
    ),
    (
        "crime-forced",
        "crime",
        "Tvingas begå stölder, bedrägerier eller sälja narkotika",
        "Forced to steal, commit fraud or sell drugs",
        "Personen kan själv vara misstänkt för brott; brottsoffret och gärningspersonen kan vara "
        "samma person. Se till att både socialtjänst och polis vet om misstanken.",
        "The person may be a suspect too; victim and offender can be the same person. Make sure "
        "both social services and the police know of the suspicion.",
    ),
    (
        "crime-child",
        "crime",
        "Barn som utnyttjas av äldre i kriminella nätverk",
        "A child used by older people in criminal networks",
        "Barn ska alltid hanteras enligt socialtjänstlagen och LVU; kontakta socialjouren direkt "
        "vid akut fara.",
        "Children are always handled under the Social Services Act and the Care of Young Persons "
        "Act; call the social emergency service at once in acute danger.",
    ),
    (
        "marriage-pressure",
        "forced_marriage",
        "Press från familjen att gifta sig, eller en planerad resa till hemlandet",
        "Pressure from the family to marry, or a planned trip to the home country",
        "Kontakta Nationella kompetensteamet mot hedersrelaterat våld och förtryck vid behov av "
        "stöd. Utreseförbud kan sökas för barn.",
        "Ask the national competence team on honour-related violence for support when needed. A "
        "travel ban can be sought for children.",
    ),
]

STEPS = [
    (
        "contact-coordinator",
        "first_contact",
        "",
        "Kontakta regionkoordinatorn eller stödtelefonen",
        "Contact the regional coordinator or the support line",
        "Du behöver inte vara säker på att det är människohandel. Regionkoordinatorn hjälper till "
        "med bedömning, kontakter och nästa steg; stödtelefonen svarar för yrkesverksamma i hela "
        "landet.",
        "You need not be sure that it is human trafficking. The regional coordinator helps with "
        "the assessment, contacts and next steps; the support line answers professionals across "
        "the country.",
    ),
    (
        "assess-safety",
        "safety",
        "",
        "Bedöm säkerheten, nu och framåt",
        "Assess safety, now and ahead",
        "Är personen i akut fara? Vet gärningspersonerna var personen är? Finns barn eller "
        "anhöriga som också behöver skydd?",
        "Is the person in immediate danger? Do the offenders know where the person is? Are there "
        "children or relatives who need protection too?",
    ),
    (
        "safe-housing",
        "safety",
        "safe_housing",
        "Ordna skyddat boende",
        "Arrange safe housing",
        "Regionkoordinatorn känner till boenden med erfarenhet av målgruppen. Registrera "
        "insatsen med datum i ärendet.",
        "The regional coordinator knows housing with experience of the group. Record the measure "
        "with its dates in the case.",
    ),
    (
        "interpreter",
        "first_contact",
        "interpreter",
        "Boka tolk som inte har band till personens nätverk",
        "Book an interpreter with no ties to the person's network",
        "Använd aldrig medföljande personer som tolk. Telefontolk från en annan ort kan vara "
        "tryggare.",
        "Never use accompanying people as interpreters. A telephone interpreter from another town "
        "can be safer.",
    ),
    (
        "police-report",
        "rights",
        "",
        "Överväg polisanmälan",
        "Consider a police report",
        "Diskutera med personen vad en anmälan innebär. Myndigheter kan göra anmälan även utan "
        "personens medverkan; kontakta polisens regionala människohandelsgrupp.",
        "Discuss with the person what a report means. Authorities can report even without the "
        "person taking part; contact the police's regional trafficking unit.",
    ),
    (
        "reflection-period",
        "rights",
        "reflection_period",
        "Ansök om betänketid",
        "Apply for a reflection period",
        "Förundersökningsledaren ansöker hos Migrationsverket om tidsbegränsat uppehållstillstånd "
        "för betänketid (30 dagar, 5 kap. 15 § utlänningslagen). Notera slutdatumet: före det "
        "behövs ett beslut om fortsatt tillstånd eller återvändande.",
        "The head of the preliminary investigation applies to the Migration Agency for a "
        "temporary residence permit for a reflection period (30 days, Aliens Act ch. 5 s. 15). "
        "Note the end date: before it, a decision on a further permit or a return is needed.",
    ),
    (
        "counsel",
        "rights",
        "counsel",
        "Begär målsägandebiträde",
        "Request counsel for the injured party",
        "Målsägandebiträde förordnas av domstol på begäran av förundersökningsledaren; be om det "
        "tidigt.",
        "Counsel is appointed by the court at the request of the head of the investigation; ask "
        "for it early.",
    ),
    (
        "health-care",
        "support",
        "health_care",
        "Erbjud hälso- och sjukvård",
        "Offer health care",
        "Akut vård och vård som inte kan anstå, även utan uppehållstillstånd. Tänk på psykisk "
        "ohälsa, sexuell och reproduktiv hälsa och tandvård.",
        "Emergency care and care that cannot wait, also without a residence permit. Think of "
        "mental health, sexual and reproductive health and dental care.",
    ),
    (
        "residence-permit",
        "support",
        "temporary_residence_permit",
        "Följ upp tidsbegränsat uppehållstillstånd",
        "Follow up the temporary residence permit",
        "Tillstånd i minst sex månader kan ges när personen medverkar i förundersökning eller "
        "rättegång. Bevaka slutdatumet.",
        "A permit for at least six months can be granted while the person takes part in the "
        "investigation or trial. Watch the end date.",
    ),
    (
        "return-programme",
        "future",
        "return_programme",
        "Informera om programmet för tryggt återvändande",
        "Inform about the programme for safe return",
        "Om personen vill återvända hjälper programmet med resa och mottagande i hemlandet. "
        "Ansökan görs via Jämställdhetsmyndigheten.",
        "If the person wants to return, the programme helps with the journey and reception in the "
        "home country. Applications go through the Gender Equality Agency.",
    ),
]


def guidance_rows() -> list[dict[str, Any]]:
    """The items of the first version, as field values."""
    rows = []
    for order, (key, purpose, title_sv, title_en, text_sv, text_en) in enumerate(INDICATORS, 1):
        rows.append(
            {
                "kind": "indicator",
                "key": key,
                "purpose": purpose,
                "phase": "",
                "measure_kind": "",
                "order": order * 10,
                "title_sv": title_sv,
                "title_en": title_en,
                "text_sv": text_sv,
                "text_en": text_en,
            }
        )
    for order, (key, phase, measure, title_sv, title_en, text_sv, text_en) in enumerate(STEPS, 1):
        rows.append(
            {
                "kind": "step",
                "key": key,
                "purpose": "",
                "phase": phase,
                "measure_kind": measure,
                "order": order * 10,
                "title_sv": title_sv,
                "title_en": title_en,
                "text_sv": text_sv,
                "text_en": text_en,
            }
        )
    return rows


NATIONAL_TEAM_GROUP = "Nationella teamet (NMT)"


def seed_guidance(apps: Any = None) -> None:
    """The first published version and the national team's group, unless already there."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    from django.utils import timezone

    version_model = apps.get_model("methods", "GuidanceVersion")
    item_model = apps.get_model("methods", "GuidanceItem")
    group_model = apps.get_model("auth", "Group")
    group_model.objects.get_or_create(name=NATIONAL_TEAM_GROUP)
    if version_model.objects.exists():
        return
    version = version_model.objects.create(
        number=1,
        status="published",
        title_sv=TITLE_SV,
        title_en=TITLE_EN,
        change_note=CHANGE_NOTE,
        published_at=timezone.now(),
    )
    item_model.objects.bulk_create([item_model(version=version, **row) for row in guidance_rows()])
