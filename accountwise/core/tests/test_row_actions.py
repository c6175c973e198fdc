"""The row_action and row_move_buttons tags: posted forms in a table row's actions."""

from django.template import Context, Template
from django.test import SimpleTestCase

NAME = '5 "<b>" & co'
CSRF_TOKEN = "k" * 64


def _render(source: str, **context) -> str:
    return Template(source).render(Context({"csrf_token": CSRF_TOKEN, **context}))


class RowActionTests(SimpleTestCase):
    def test_posts_with_csrf_token(self):
        html = _render('{% row_action "/rules/1/delete/" "trash" "Delete rule" "Delete rule" %}')

        self.assertIn('<form class="d-inline" method="post" action="/rules/1/delete/">', html)
        self.assertIn(f'name="csrfmiddlewaretoken" value="{CSRF_TOKEN}"', html)
        self.assertIn('class="btn btn-sm btn-outline-secondary"', html)
        self.assertNotIn("data-aw-confirm", html)
        self.assertNotIn("disabled", html)

    def test_danger_confirm_and_text(self):
        html = _render(
            '{% row_action "/x/" "archive" "Retire x" "Stop it" text="Retire" danger=True confirm="Sure?" %}'
        )

        self.assertIn('data-aw-confirm="Sure?"', html)
        self.assertIn('class="btn btn-sm btn-outline-danger"', html)
        self.assertIn('<i class="bi bi-archive"></i> Retire</button>', html)

    def test_name_escaped_in_label_and_confirm(self):
        html = _render(
            '{% row_action "/x/" "trash" "Delete "|add:name "Delete" confirm="Delete "|add:name|add:"?" %}', name=NAME
        )

        self.assertIn('aria-label="Delete 5 &quot;&lt;b&gt;&quot; &amp; co"', html)
        self.assertIn('data-aw-confirm="Delete 5 &quot;&lt;b&gt;&quot; &amp; co?"', html)
        self.assertNotIn("<b>", html)


class RowMoveButtonsTests(SimpleTestCase):
    source = "{% row_move_buttons '/fields/2/move/' name 2 first_pk=first last_pk=last %}"

    def test_middle_row_moves_both_ways(self):
        html = _render(self.source, name="Tier", first=1, last=3)

        self.assertIn('<input type="hidden" name="direction" value="up">', html)
        self.assertIn('<input type="hidden" name="direction" value="down">', html)
        self.assertEqual(html.count('action="/fields/2/move/"'), 2)
        self.assertEqual(html.count(f'value="{CSRF_TOKEN}"'), 2)
        self.assertNotIn("disabled", html)

    def test_first_row_cannot_move_up(self):
        html = _render(self.source, name="Tier", first=2, last=3)

        self.assertIn('aria-label="Move Tier up" disabled>', html)
        self.assertIn('aria-label="Move Tier down">', html)

    def test_last_row_cannot_move_down(self):
        html = _render(self.source, name="Tier", first=1, last=2)

        self.assertIn('aria-label="Move Tier up">', html)
        self.assertIn('aria-label="Move Tier down" disabled>', html)

    def test_name_escaped_in_labels(self):
        html = _render(self.source, name=NAME, first=1, last=3)

        self.assertIn('aria-label="Move 5 &quot;&lt;b&gt;&quot; &amp; co up"', html)
        self.assertNotIn("<b>", html)
