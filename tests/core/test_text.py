"""Untrusted text is isolated for display, and otherwise left exactly as it came."""

import pytest

from inbox.text import FSI, PDF, PDI, isolate

RLO, LRE, RLI = "\u202e", "\u202a", "\u2067"


@pytest.mark.parametrize("text", ["Maria", "Jan O'Neil 123", "🙂 <b>x</b>", ""])
def test_text_that_cannot_reorder_anything_is_left_alone(text):
    assert isolate(text) == text


def test_an_override_is_closed_inside_the_isolate():
    assert isolate(f"ltr1ax{RLO}gnp.exe") == f"{FSI}ltr1ax{RLO}gnp.exe{PDF}{PDI}"


def test_nested_controls_are_closed_in_order():
    assert isolate(f"{RLI}a{LRE}b") == f"{FSI}{RLI}a{LRE}b{PDF}{PDI}{PDI}"


def test_closers_that_match_nothing_cannot_end_the_isolate_early():
    assert isolate(f"x{PDI}{RLO}evil") == f"{FSI}x{RLO}evil{PDF}{PDI}"
    assert isolate(f"{PDF}{PDF}a{RLO}b") == f"{FSI}a{RLO}b{PDF}{PDI}"


def test_a_closing_pdi_also_closes_the_embeddings_inside_its_isolate():
    assert isolate(f"{RLI}{RLO}a{PDI}b") == f"{FSI}{RLI}{RLO}a{PDI}b{PDI}"


def test_right_to_left_letters_are_isolated_as_they_are():
    assert isolate("مرحبا") == f"{FSI}مرحبا{PDI}"
