"""Code lists of the registry: Swedish categories first (docs/adr/0001 maps them to HTCDS)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    """Purposes of exploitation (brottsbalken 4 kap. 1 a § / 1 b §)."""

    SEXUAL = "sexual", _("Sexual purposes")
    FORCED_LABOUR = "forced_labour", _("Forced labour")
    BEGGING = "begging", _("Begging")
    CRIME = "crime", _("Criminal activity")
    ORGAN_REMOVAL = "organ_removal", _("Removal of organs")
    WAR_SERVICE = "war_service", _("War service")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    OTHER_DISTRESS = "other_distress", _("Other exploitation in distress")
    UNKNOWN = "unknown", _("Unknown")


class Channel(models.TextChoices):
    """Who identified the person (identifierande aktör)."""

    REGIONAL_COORDINATOR = "regional_coordinator", _("Regional coordinator")
    SUPPORT_LINE = "support_line", _("Support line")
    MIGRATIONSVERKET = "migrationsverket", _("Swedish Migration Agency")
    POLICE = "police", _("Police")
    PROSECUTOR = "prosecutor", _("Prosecution Authority")
    SOCIAL_SERVICES = "social_services", _("Municipal social services")
    HEALTH_CARE = "health_care", _("Health care")
    LABOUR_INSPECTION = "labour_inspection", _("Work Environment Authority")
    CIVIL_SOCIETY = "civil_society", _("Civil-society organisation")
    OTHER = "other", _("Other")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class AgeGroup(models.TextChoices):
    ADULT = "adult", _("Adult")
    CHILD = "child", _("Child")
    UNKNOWN = "unknown", _("Unknown")


class Offence(models.TextChoices):
    TRAFFICKING = "trafficking", _("Trafficking in human beings")
    EXPLOITATION = "exploitation", _("Human exploitation")
    UNKNOWN = "unknown", _("Unknown")


class ExploitationPlace(models.TextChoices):
    SWEDEN = "sweden", _("In Sweden")
    ABROAD = "abroad", _("Abroad")
    BOTH = "both", _("In Sweden and abroad")
    UNKNOWN = "unknown", _("Unknown")


class Industry(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture and forestry")
    BERRY_PICKING = "berry_picking", _("Berry picking")
    CONSTRUCTION = "construction", _("Construction")
    CLEANING = "cleaning", _("Cleaning")
    RESTAURANT = "restaurant", _("Restaurants and hotels")
    BEAUTY = "beauty", _("Beauty and nail salons")
    TRANSPORT = "transport", _("Transport")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    DOMESTIC_WORK = "domestic_work", _("Domestic work")
    CAR_WASH = "car_wash", _("Car wash and repair")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Indicator(models.TextChoices):
    """Observed indicators, after the common indicator lists used by NMT and IOM."""

    CONTROLLED_MOVEMENT = "controlled_movement", _("Movement controlled by others")
    DOCUMENTS_WITHHELD = "documents_withheld", _("Identity documents withheld")
    DEBT_BONDAGE = "debt_bondage", _("Debt to an employer or facilitator")
    THREATS_VIOLENCE = "threats_violence", _("Threats or violence")
    NO_PAY = "no_pay", _("Little or no pay")
    EXCESSIVE_HOURS = "excessive_hours", _("Excessive working hours")
    HOUSING_AT_WORK = "housing_at_work", _("Lives at the workplace or in housing from the employer")
    DOES_NOT_KNOW_ADDRESS = "does_not_know_address", _("Does not know home or work address")
    SPEAKS_FOR_BY_OTHERS = "spoken_for", _("Others speak for the person")
    FEAR_OF_AUTHORITIES = "fear_of_authorities", _("Fear of authorities")
    ISOLATION = "isolation", _("Isolated from family and community")
    RECRUITED_DECEPTIVELY = "recruited_deceptively", _("Recruited with false promises")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SUPPORT = "support", _("In support")
    CLOSED = "closed", _("Closed")


class ClosedReason(models.TextChoices):
    SUPPORT_COMPLETED = "support_completed", _("Support completed")
    RETURNED_HOME = "returned_home", _("Returned to home country")
    DECLINED_SUPPORT = "declined_support", _("Declined support")
    LOST_CONTACT = "lost_contact", _("Contact lost")
    TRANSFERRED = "transferred", _("Transferred to another region or agency")
    NOT_TRAFFICKING = "not_trafficking", _("Not trafficking after assessment")
    OTHER = "other", _("Other")


class DocumentKind(models.TextChoices):
    PERSONAL_IDENTITY_NUMBER = "personnummer", _("Swedish personal identity number")
    COORDINATION_NUMBER = "samordningsnummer", _("Swedish coordination number")
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National identity card")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit card")
    OTHER = "other", _("Other document")


class MeasureKind(models.TextChoices):
    REFLECTION_PERIOD = "reflection_period", _("Reflection period")
    TEMPORARY_RESIDENCE_PERMIT = "temporary_residence_permit", _("Temporary residence permit")
    SAFE_HOUSING = "safe_housing", _("Safe housing")
    HEALTH_CARE = "health_care", _("Health care")
    COUNSEL = "counsel", _("Counsel for the injured party")
    INTERPRETER = "interpreter", _("Interpreter")
    RETURN_PROGRAMME = "return_programme", _("Return programme")
    OTHER = "other", _("Other measure")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    APPLIED = "applied", _("Applied for")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    ACTIVE = "active", _("Ongoing")
    ENDED = "ended", _("Ended")
    CANCELLED = "cancelled", _("Cancelled")


class LegalGround(models.TextChoices):
    CONSENT = "consent", _("Consent of the person")
    SECRECY_PROVISION = "secrecy_provision", _("Provision of the Public Access and Secrecy Act")
    OTHER_STATUTE = "other_statute", _("Other statute")


class Consent(models.TextChoices):
    GIVEN = "given", _("Given")
    REFUSED = "refused", _("Refused")
    NOT_OBTAINED = "not_obtained", _("Not obtained")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CLOSED = "closed", _("Closed")


OPEN_REFERRAL_STATUSES = (ReferralStatus.PENDING, ReferralStatus.ACCEPTED)


class TimelineKind(models.TextChoices):
    NOTE = "note", _("Note")
    STATUS = "status", _("Status")
    MEASURE = "measure", _("Measure")
    REFERRAL = "referral", _("Referral")
    CHANGE = "change", _("Change")
