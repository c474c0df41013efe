"""The fictional force "Northshire Police": its units, names, ranks and courses, as data.

What :mod:`data.demo_force` draws people and completions from; nothing here is random.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

REFERENCE_DATE = pd.Timestamp("2026-11-01")
PEOPLE = 2000
EMAIL_DOMAIN = "northshire.police.uk"
CHIEF_CONSTABLE = "Marsh, Caroline"
MATRIX_COURSE_COLUMNS = ("Safeguarding Vulnerable People", "Taser Refresher")
DAYS_PER_MONTH = 365.25 / 12


STAFF_TYPES = ("officer", "staff", "pcso", "special")
STAFF_TYPE_LABELS = {
    "officer": "Police Officer",
    "staff": "Police Staff",
    "pcso": "PCSO",
    "special": "Special Constable",
}


@dataclass(frozen=True)
class Department:
    division: str
    name: str
    teams: tuple[str, ...]
    mix: tuple[float, float, float, float]
    """Share of officer, staff, pcso, special."""
    diligence: float
    """How reliably this department keeps its training up to date (0..1)."""
    team_weight: float = 1.0
    staff_titles: tuple[str, ...] = ("Admin Officer",)


def _response(division: str, diligence: float) -> Department:
    teams = tuple(f"Response Team {n}" for n in range(1, 5))
    return Department(
        division, "Response", teams, (0.9, 0.02, 0.0, 0.08), diligence, 1.6,
        ("Investigation Support Officer",),
    )


DEPARTMENTS: tuple[Department, ...] = (
    _response("North Division", 0.9),
    Department(
        "North Division", "Neighbourhood Policing",
        ("Northton NPT", "Eastmoor NPT", "Hillside NPT"),
        (0.5, 0.05, 0.35, 0.1), 0.93, 1.0, ("Neighbourhood Support Officer", "Admin Officer"),
    ),
    Department(
        "North Division", "Custody", ("Northton Custody Suite",), (0.35, 0.65, 0.0, 0.0), 0.95,
        1.3, ("Detention Officer", "Custody Support Officer"),
    ),
    _response("South Division", 0.55),
    Department(
        "South Division", "Neighbourhood Policing",
        ("Southport NPT", "Riverside NPT", "Westfield NPT"),
        (0.5, 0.05, 0.35, 0.1), 0.84, 1.0, ("Neighbourhood Support Officer", "Admin Officer"),
    ),
    Department(
        "South Division", "Custody", ("Southport Custody Suite",), (0.35, 0.65, 0.0, 0.0), 0.9,
        1.3, ("Detention Officer", "Custody Support Officer"),
    ),
    Department(
        "Crime Command", "CID", ("North CID", "South CID", "Major Crime Team"),
        (0.8, 0.2, 0.0, 0.0), 0.88, 1.0, ("Investigator", "Case Officer"),
    ),
    Department(
        "Crime Command", "Public Protection", ("Child Protection", "Domestic Abuse", "MASH"),
        (0.6, 0.4, 0.0, 0.0), 0.94, 1.0, ("Investigator", "Referral Officer"),
    ),
    Department(
        "Crime Command", "Intelligence", ("Force Intelligence Bureau", "Analysis", "Source Unit"),
        (0.3, 0.7, 0.0, 0.0), 0.96, 0.8, ("Intelligence Analyst", "Intelligence Officer"),
    ),
    Department(
        "Operational Support", "Roads Policing", ("Roads Policing Unit", "Collision Investigation"),
        (0.85, 0.1, 0.0, 0.05), 0.9, 1.0, ("Collision Investigator", "Admin Officer"),
    ),
    Department(
        "Operational Support", "Armed Policing", ("ARV Team 1", "ARV Team 2", "Firearms Training"),
        (0.95, 0.05, 0.0, 0.0), 0.92, 0.9, ("Armourer", "Firearms Licensing Officer"),
    ),
    Department(
        "Operational Support", "Contact Management",
        ("Control Room", "Call Handling", "Enquiry Office"),
        (0.1, 0.9, 0.0, 0.0), 0.87, 1.3, ("Call Handler", "Dispatcher", "Enquiry Officer"),
    ),
    Department(
        "Corporate Services", "People Services",
        ("HR Advisory", "Occupational Health", "Learning and Development"),
        (0.05, 0.95, 0.0, 0.0), 0.97, 0.6, ("HR Advisor", "Occupational Health Nurse", "Trainer"),
    ),
    Department(
        "Corporate Services", "Information Management",
        ("Records", "Data Protection Office", "Information Security"),
        (0.02, 0.98, 0.0, 0.0), 0.98, 0.6, ("Records Officer", "Disclosure Officer", "Analyst"),
    ),
    Department(
        "Corporate Services", "Finance and Estates", ("Finance", "Estates", "Fleet"),
        (0.0, 1.0, 0.0, 0.0), 0.93, 0.6, ("Finance Officer", "Estates Officer", "Fleet Technician"),
    ),
)

FORENAMES = (
    "James", "Oliver", "Jack", "Harry", "George", "Thomas", "Daniel", "Samuel", "Joseph", "Adam",
    "Michael", "David", "Paul", "Mark", "Richard", "Stephen", "Andrew", "Christopher", "Matthew",
    "Liam", "Connor", "Mohammed", "Ahmed", "Imran", "Ravi", "Tomasz", "Piotr", "Kwame", "Seán",
    "Ciarán", "Amelia", "Olivia", "Emily", "Sophie", "Jessica", "Charlotte", "Hannah", "Lucy",
    "Sarah", "Laura", "Rebecca", "Emma", "Claire", "Rachel", "Nicola", "Gemma", "Kelly", "Fatima",
    "Aisha", "Priya", "Zoë", "Chloë", "Siobhán", "Niamh", "Agnieszka", "Joanna", "Grace", "Megan",
    "Eleanor", "Alice",
)
SURNAMES = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes",
    "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin",
    "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison",
    "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price",
    "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey",
    "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall",
    "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson", "Foster", "Chapman",
    "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain", "Campbell", "Matthews",
    "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell",
    "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "O'Brien", "O’Neill",
    "Nowak", "Kowalski", "Okafor", "Mensah", "Ahmed", "Chowdhury", "McDonald", "Fitzgerald",
)

OFFICER_RANKS = (("Constable", 0.82), ("Sergeant", 0.13), ("Inspector", 0.05))
SPECIAL_RANKS = (("Special Constable", 0.92), ("Special Sergeant", 0.08))


@dataclass(frozen=True)
class Course:
    """How the demo force's training for one requirement is recorded and kept up."""

    requirement: str
    titles: tuple[str, ...]
    """Spellings of the title in the learning systems (all match the requirement)."""
    staff_types: tuple[str, ...]
    renewal_months: int | None
    not_before: pd.Timestamp | None = None
    unit_prefix: str | None = None


COURSES: tuple[Course, ...] = (
    Course(
        "Managing Information",
        ("Managing Information", "Management of Information",
         "NCALT Managing Information (2024 refresh)"),
        STAFF_TYPES, 36,
    ),
    Course(
        "Information Security Awareness",
        ("Information Security Awareness", "Info Security Awareness"),
        STAFF_TYPES, 12,
    ),
    Course(
        "Data Protection (GDPR)",
        ("Data Protection (GDPR)", "GDPR Awareness", "DATA PROTECTION  (GDPR)"),
        STAFF_TYPES, 24, pd.Timestamp("2025-04-01"),
    ),
    Course(
        "Safeguarding Vulnerable People",
        ("Safeguarding Vulnerable People",),
        ("officer", "pcso"), None,
    ),
    Course(
        "Taser Refresher",
        ("Taser Refresher",),
        ("officer",), 12, None, "Operational Support / Armed Policing",
    ),
)
UNKNOWN_COURSES = (
    "Manual Handling", "Fire Safety Awareness", "Equality, Diversity and Inclusion",
    "Stop and Search Refresher",
)
NOT_DONE_STATUSES = ("In Progress", "Failed", "Completed (did not achieve pass grade)")
PER_COURSE_FROM = pd.Timestamp("2026-01-01")


