"""Personal data in free text: what a participant types in an evidence box is flagged, institutions are not."""

from __future__ import annotations

import pytest

import r2kit
from r2kit.privacy import NAME, person_names, personal_data_hints, personal_data_warnings


@pytest.mark.parametrize(
    "text, name",
    [
        ("Maria Lopez, maria@example.org", "Maria Lopez"),
        ("Interview with Ahmed Karimi on 3 May", "Ahmed Karimi"),
        ("José García confirmed it", "José García"),
        ("Mr. Jones at the border post", "Jones"),
        ("Ms Haddad said so", "Haddad"),
        ("Mme Dupont, assistante sociale", "Dupont"),
        ("M. Dupont", "Dupont"),
        ("Sr. Pérez lo confirmó", "Pérez"),
        ("Dr Okafor examined the returnees", "Okafor"),
        ("my name is Maria", "Maria"),
        ("Name: Fatou Diop", "Fatou Diop"),
        ("Je m'appelle Fatou Diop", "Fatou Diop"),
        ("me llamo Carlos Fuentes", "Carlos Fuentes"),
    ],
)
def test_plain_personal_names_are_found(text, name):
    assert name in person_names(text)
    assert NAME in personal_data_hints(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ministry of Interior",
        "Assisted Voluntary Return",
        "Assisted Voluntary Return and Reintegration programme of the Ministry of Labour",
        "a procedure called Assisted Voluntary Return",
        "Standard Operating Procedures of 2019, section 4",
        "Anna Lindh Foundation",
        "Kofi Annan Foundation report",
        "Sheikh Zayed Road reception centre",
        "National Human Rights Institution monitoring report, 2021",
        "UNHCR and IOM joint guidance; Law 12/2019 on Foreigners",
        "Decree of 2019 on alternatives to detention",
        "Returns to Jordan and Georgia under the readmission agreement",
        "Maria. Lopez",  # two sentences, not a name
        "The name of the programme is Assisted Voluntary Return",
    ],
)
def test_institutions_programmes_and_places_are_not_names(text):
    assert person_names(text) == [] and NAME not in personal_data_hints(text)


def test_no_text_in_the_knowledge_base_is_taken_for_a_name():
    for dataset in r2kit.datasets():
        frame = r2kit.load(dataset)
        for column in frame.columns:
            for value in frame[column]:
                if isinstance(value, str):
                    assert person_names(value) == [], (dataset, column, value)


def test_every_kind_is_named_once_in_a_stable_order():
    text = "Maria Lopez, maria@example.org, +41 22 123 45 67, passport no. AB1234567"
    assert personal_data_hints(text) == [
        "an email address",
        "a phone number",
        NAME,
        "a passport or ID number",
    ]
    assert personal_data_warnings("Mr Jones") == [
        "the text seems to contain a person's name; r2kit asks for no personal data, please remove it"
    ]


def test_years_and_short_numbers_are_not_phone_numbers():
    assert personal_data_hints("Law of 2019, amended 2020-2021; 1 200 returns") == []
    assert personal_data_hints("") == [] and personal_data_hints(None) == []
