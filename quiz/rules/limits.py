"""The bounds a question has, in one place (bank-format.md).

A question is answered in 3 to 600 seconds and is worth 0 to 1000 points; a
single or multiple question has 2 to 6 choices (A-F), an order question 2 to 8
items (A-H). Bank loading, the importers, the export template and the web layer
read these; nothing else writes them down.
"""

from __future__ import annotations

TIME_LIMIT_MIN, TIME_LIMIT_MAX = 3, 600  # seconds to answer
POINTS_MIN, POINTS_MAX = 0, 1000  # a question's points
MAX_CHOICES = 6  # of a single or multiple question
MAX_ITEMS = 8  # of an order question
LETTERS = "ABCDEFGH"
CHOICE_LETTERS = LETTERS[:MAX_CHOICES]
ITEM_LETTERS = LETTERS[:MAX_ITEMS]
EXTRA_TIME_MAX = 600  # seconds the MC may add to a running clock at once
