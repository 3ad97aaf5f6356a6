"""Every value of a labelled vocabulary has a French label, and no label names a value that does not exist."""

from __future__ import annotations

from enum import StrEnum

import pytest

from db.labels import LABELS


@pytest.mark.parametrize("enum", list(LABELS), ids=lambda enum: enum.__name__)
def test_every_value_has_one_label(enum: type[StrEnum]) -> None:
    labels = LABELS[enum]
    assert set(labels) == {member.value for member in enum}
    assert all(text.strip() == text and text for text in labels.values())
