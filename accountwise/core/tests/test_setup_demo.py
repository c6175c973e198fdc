import datetime
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from accountwise.accounts.models import Account, Contact
from accountwise.contracts.models import Contract
from accountwise.core.demo import create_demo_data
from accountwise.opportunities.models import Opportunity, StageChange
from accountwise.users.models import User


class SetupDemoTests(TestCase):
    def setUp(self):
        self.data_dir = Path(tempfile.mkdtemp())
        self.enterContext(override_settings(DATA_DIR=self.data_dir))

    def run_command(self) -> str:
        output = StringIO()
        call_command("setup_demo", stdout=output)
        return output.getvalue()

    def test_first_run_creates_portfolio(self):
        output = self.run_command()

        self.assertTrue(User.objects.get(username="admin").is_administrator)
        self.assertEqual(Account.objects.count(), 20)
        self.assertTrue(Account.objects.filter(parent__isnull=False).exists())
        self.assertTrue(Contract.objects.exists())
        self.assertTrue(Opportunity.objects.exists())
        password = (self.data_dir / "demo-login.txt").read_text()
        self.assertIn(f"admin / {password}", output)

    def test_opportunities_have_a_stage_history(self):
        self.run_command()

        for opportunity in Opportunity.objects.all():
            changes = list(StageChange.objects.filter(opportunity=opportunity).order_by("changed_at"))
            self.assertIsNone(changes[0].from_stage_id)
            self.assertEqual(changes[-1].to_stage_id, opportunity.stage_id)
            self.assertLess(opportunity.created_at, timezone.now() - datetime.timedelta(days=59))
            self.assertLessEqual(opportunity.created_at, changes[0].changed_at)

    def test_password_logs_in(self):
        self.run_command()
        password = (self.data_dir / "demo-login.txt").read_text()

        self.assertTrue(self.client.login(username="admin", password=password))
        self.assertTrue(self.client.login(username="kim", password=password))

    def test_second_run_adds_nothing(self):
        self.run_command()

        output = self.run_command()

        self.assertEqual(Account.objects.count(), 20)
        self.assertEqual(User.objects.filter(username="admin").count(), 1)
        self.assertIn("admin / ", output)

    def test_changed_password_not_printed(self):
        self.run_command()
        old_password = (self.data_dir / "demo-login.txt").read_text()
        admin = User.objects.get(username="admin")
        admin.set_password("a-new-private-passphrase")
        admin.save()

        output = self.run_command()

        self.assertNotIn(old_password, output)
        self.assertIn("password was changed", output)

    def test_existing_users_skip_demo(self):
        User.objects.create_user("someone", password="x")

        output = self.run_command()

        self.assertEqual(Account.objects.count(), 0)
        self.assertIn("log in with your own account", output)


class DemoKeyPlayersTests(TestCase):
    def test_key_players_have_relationship_details(self):
        create_demo_data("a-demo-passphrase")

        key_players = Contact.objects.key_players()
        self.assertTrue(key_players.exists())
        self.assertFalse(key_players.filter(sentiment="").exists())
        self.assertFalse(key_players.filter(decision_power="").exists())
        self.assertFalse(key_players.filter(relationship_owner__isnull=True).exists())
        self.assertFalse(key_players.filter(last_contact_date__isnull=True).exists())
