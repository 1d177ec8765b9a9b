from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gremium.importers.casenumbers import parse_case_number_line
from gremium.importers.hyphenation import join_lines

digits = st.integers(min_value=0, max_value=10**6)
year = st.integers(min_value=1990, max_value=2099)
letters = st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå", min_size=2, max_size=12)


@given(st.integers(10, 99), st.integers(1, 99999999))
def test_slash_case_numbers(yy: int, serial: int):
    assert parse_case_number_line(f"{yy}/{serial}") == f"{yy}/{serial}"


@given(year, st.integers(1, 99999999))
def test_year_serial_case_numbers_survive_labels_bold_and_spaces(y: int, serial: int):
    expected = f"{y}-{serial}"
    assert parse_case_number_line(f"Sagsnr.: {y} - {serial}") == expected
    year_range = 1900 <= serial <= 2099 and serial > y
    # Unlabelled, "2024-2027" is a period, not a case number: only the label decides it
    assert parse_case_number_line(f"**{expected}**") == (None if year_range else expected)


@given(st.integers(1, 999), year, st.integers(1, 99999999))
def test_prefixed_case_numbers(prefix: int, y: int, serial: int):
    text = f"{prefix}-{y}-{serial}"
    assert parse_case_number_line(text) == text


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=6), year, digits)
def test_letter_prefixed_case_numbers(prefix: str, y: int, serial: int):
    text = f"{prefix}-{y}-{serial:06d}"
    assert parse_case_number_line(text) == text


@given(st.text(min_size=1).filter(lambda t: any(c.isalpha() and c.islower() for c in t[:3])))
def test_prose_is_never_a_case_number(text: str):
    assert parse_case_number_line(text) is None


@given(letters, letters)
def test_line_end_hyphen_before_lowercase_joins_the_word(first: str, second: str):
    if second in {"og", "eller", "samt", "til", "end"}:
        return
    assert join_lines(f"en {first}-", f"{second} mere") == f"en {first}{second} mere"


@given(letters, st.sampled_from(["og", "eller", "samt"]))
def test_suspended_compound_keeps_hyphen_and_space(first: str, conjunction: str):
    assert join_lines(f"{first.capitalize()}-", f"{conjunction} Borgerservice") == (
        f"{first.capitalize()}- {conjunction} Borgerservice"
    )


@given(letters, letters)
def test_hyphen_inside_a_line_is_never_touched(first: str, second: str):
    line = f"{first}- {second}"
    assert join_lines(line, "Næste") == f"{line} Næste"


@given(st.integers(1, 99), letters)
def test_number_compounds_keep_their_hyphen(number: int, word: str):
    assert join_lines(f"på {number}-", word) == f"på {number}-{word}"
